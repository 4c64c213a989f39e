"""Checks for unit 3, updating parameters by hand (`manual_update.py`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/manual_update.py`.
Every check judges with `grader.checks.kit`; a result that goes wrong only
under one family of inputs (a generator of params, `None` or zero gradients,
a transposed param, a keyword call, a second call) fails with that condition
named.
"""

import pytest
import torch

from grader.checks import kit
from grader.scenarios import families, load_unit
from grader.scenarios.manual_update import (
    FIT_ARGUMENTS,
    FIT_CASES,
    FROZEN,
    MODEL_LR,
    SECOND_PROBLEM,
    STEP_ARGUMENTS,
    STEP_LR,
    STEP_PROBLEM,
    model_data,
    model_with_buffers,
    step_params,
)

# The judge accepts the results of the scenarios it knows: load_unit registers the
# hidden ones too, where the copy of the grader has them (the release has not).
load_unit("manual_update")

# Every check that tests a side property (no autograd record, same leaf tensors,
# params without a gradient left alone, the return value, the result's types)
# first requires the right result from the same scenario, so that a trivial
# answer earns nothing.

# --- shared: what came back, signatures ----------------------------------------------


def kind_text(value) -> str:
    """What kind of value came back, as code (`torch.Tensor`, `list`), never an English phrase."""
    return "torch.Tensor" if type(value) is torch.Tensor else kit.describe(value)


# Errors that real mistakes raise, named: (error type, words of its message, key, advice).
KNOWN_ERRORS = (
    ("RuntimeError", "view size is not compatible", "manual_update_view_needs_contiguous", "manual_update_advice_reshape"),
    ("TypeError", "NoneType", "manual_update_none_grad_used", "manual_update_advice_skip_none_grad"),
    ("TypeError", "not subscriptable", "manual_update_generator_indexed", "advice_walk_once"),
    ("TypeError", "does not support item assignment", "manual_update_generator_indexed", "advice_walk_once"),
    ("TypeError", "has no len()", "manual_update_generator_indexed", "advice_walk_once"),
    ("AttributeError", "'NoneType' object has no attribute", "manual_update_none_grad_used", "manual_update_advice_skip_none_grad"),
    ("RuntimeError", "floating point and complex dtype can require gradients", "manual_update_integer_w", "manual_update_advice_float_w"),
)


def get(outcome, name: str, conditions=()):
    """A scenario's record; if it raised, the error is named (and the conditions it raised under are kept)."""
    try:
        return outcome(name)
    except kit.CheckFailure as failure:
        if failure.key != "raised":
            raise
        if failure.params.get("error_type") == "TypeError" and "argument" in str(failure.params.get("message", "")):
            function = str(failure.params.get("function", "")).split(",")[0].strip()
            if function in SIGNATURES:  # a call refused by a signature that is not the contract's
                wrong_signature(outcome, *SIGNATURES[function], conditions)
        location = failure.params.get("location")
        short = {"location": {**location, "code": ""}} if isinstance(location, dict) and location.get("file") else {}
        for error_type, words, key, advice in KNOWN_ERRORS:
            if failure.params.get("error_type") == error_type and words in str(failure.params.get("message", "")):
                kit.fail(key, advice=advice, conditions=conditions, function=f"{failure.params.get('function', '')}()", **short)
        if not conditions:
            raise
        raise kit.CheckFailure(failure.key, advice=failure.advice, conditions=conditions, **failure.params) from None


def wrong_signature(outcome, signature_scenario: str, function: str, contract: str, expected_names, conditions) -> None:
    """Fail naming the submission's signature, when it is not the contract's."""
    signature = outcome(signature_scenario)
    names = signature.get("names")
    if names is not None and not signature.get("flexible") and list(names) != list(expected_names):
        got = f"{function}({', '.join(names)})"
        kit.fail("manual_update_signature_differs", advice="manual_update_advice_signature", got=got, expected=contract, conditions=conditions)


def styled(outcome, name: str, conditions, signature_scenario: str, function: str, contract: str, expected_names):
    """A call-style scenario's record; a refused call on a signature other than the contract's says so."""
    try:
        return get(outcome, name, conditions)
    except kit.CheckFailure as failure:
        if failure.key == "raised":
            wrong_signature(outcome, signature_scenario, function, contract, expected_names, conditions)
        raise


# --- 3.1 sgd_step_ -----------------------------------------------------------------

STEP_CALL = "sgd_step_(params, lr)"
STEP_CONTRACT = "sgd_step_(params, lr)"
LIST_NAMES = [f"params[{i}]" for i in range(len(STEP_PROBLEM[0]))]
MODEL_NAMES = [f"list(model.parameters())[{i}]" for i in range(6)]


def expected_step(params, grads, lr: float) -> list[torch.Tensor]:
    return [p if g is None else p - lr * g for p, g in zip(params, grads, strict=True)]


@kit.oracle
def model_step():
    """The model's parameters after one step on the gradient of the mean squared error (autograd)."""
    model = model_with_buffers()
    x, target = model_data()
    params = list(model.parameters())
    grads = torch.autograd.grad(((model(x) - target) ** 2).mean(), params)
    before = [p.detach().clone() for p in params]
    return before, list(grads), [b.detach().clone() for b in model.buffers()]


def step_mistakes(before, grad, lr: float, name: str, call: str, after_grad) -> list:
    """Known wrong updates of one param, replayed."""
    return [
        kit.Mistake("manual_update_sign_flipped", lambda got: kit.close(got, before + lr * grad), "manual_update_advice_subtract", {"call": call, "name": name}),
        kit.Mistake("manual_update_lr_ignored", lambda got: lr != 1 and kit.close(got, before - grad), "manual_update_advice_subtract", {"call": call, "name": name, "lr": lr}),
        kit.Mistake(
            "manual_update_zeroed_before_update",
            lambda got: torch.equal(got, before) and type(after_grad) is torch.Tensor and not bool(after_grad.any()),
            "manual_update_advice_update_then_clear",
            {"call": call, "name": name},
        ),
        kit.Mistake("not_updated_in_place", lambda got: torch.equal(got, before), "advice_no_grad", {"call": call, "name": name}),
    ]


def screened(got: dict, call: str, name: str, conditions=()) -> dict:
    if got.get("autograd_error"):
        kit.fail("update_recorded_by_autograd", advice="advice_no_grad", call=call, name=name, conditions=conditions)
    return got


def check_values(got, before, grads, lr: float, call: str, names: list[str], conditions=()) -> None:
    """Every param with a gradient holds `p - lr * grad`; a known wrong update is named."""
    screened(got, call, names[0], conditions)
    for name, value, old, grad, after_grad in zip(names, got["values"], before, grads, got["grads"], strict=True):
        if grad is None:
            continue
        want = old - lr * grad
        if not kit.close(value, want):
            kit.diagnose(value, step_mistakes(old, grad, lr, name, call, after_grad), conditions)  # they name the call
        kit.tensor(value, want, name, conditions=[*conditions, kit.when("after_step", call=call)])


def check_cleared(got, grads, call: str, names: list[str], conditions=()) -> None:
    screened(got, call, names[0], conditions)
    for name, after, grad in zip(names, got["grads"], grads, strict=True):
        if grad is None:
            continue
        if after is not None and not (type(after) is torch.Tensor and not bool(after.any())):
            kit.fail("grad_not_cleared", advice="advice_clear_grad", call=call, name=name, conditions=conditions)


def check_list_step(outcome, name: str, kind: str = "full", call: str = STEP_CALL, conditions=(), record=None) -> dict:
    """The run of one scenario on a list: values updated and gradients cleared."""
    got = get(outcome, name, conditions) if record is None else record
    before, grads = step_params(kind=kind)
    check_values(got, before, grads, STEP_LR, call, LIST_NAMES, conditions)
    check_cleared(got, grads, call, LIST_NAMES, conditions)
    return got


def check_model_step(outcome) -> dict:
    call = "sgd_step_(model.parameters(), lr)"
    conditions = [kit.when("buffers")]
    got = get(outcome, "step_on_model_parameters", conditions)
    before, grads, buffers = model_step()
    check_values(got, before, grads, MODEL_LR, call, MODEL_NAMES, conditions)
    check_cleared(got, grads, call, MODEL_NAMES, conditions)
    for index, (after, want) in enumerate(zip(got["buffers"], buffers, strict=True)):
        kit.unchanged(after, want, f"list(model.buffers())[{index}]", call, conditions)
    return got


@pytest.mark.task("3.1", weight=2)
def test_subtracts_lr_times_grad_from_each_param(outcome):
    got = get(outcome, "step_on_a_list")
    before, grads = step_params()
    check_values(got, before, grads, STEP_LR, STEP_CALL, LIST_NAMES)


@pytest.mark.task("3.1", weight=2)
def test_zeroes_each_gradient_after_the_update(outcome):
    check_list_step(outcome, "step_on_a_list")


@pytest.mark.task("3.1")
def test_update_is_not_recorded_by_autograd(outcome):
    for got, names in ((check_list_step(outcome, "step_on_a_list"), LIST_NAMES), (check_model_step(outcome), MODEL_NAMES)):
        for param, has_grad_fn in zip(names, got["grad_fn"], strict=True):
            if has_grad_fn:
                kit.fail("recorded_by_autograd", advice="advice_no_grad", call=STEP_CALL, name=param)


@pytest.mark.task("3.1")
def test_params_stay_the_same_leaf_tensors(outcome):
    for got, names in ((check_list_step(outcome, "step_on_a_list"), LIST_NAMES), (check_model_step(outcome), MODEL_NAMES)):
        for param, same, leaf, requires_grad in zip(names, got["same_objects"], got["is_leaf"], got["requires_grad"], strict=True):
            if not (same and leaf and requires_grad):
                kit.fail("not_same_tensor", advice="advice_no_grad", call=STEP_CALL, name=param)


@pytest.mark.task("3.1")
def test_leaves_params_without_grad_alone(outcome):
    conditions = [kit.when("none_grads", name="p")]
    got = get(outcome, "step_with_none_grads", conditions)
    params, _ = step_params(kind="none")
    name = LIST_NAMES[FROZEN]
    if got.get("autograd_error") is None and (not torch.equal(got["values"][FROZEN], params[FROZEN]) or got["grads"][FROZEN] is not None):
        kit.fail("changed_without_grad", advice="manual_update_advice_skip_none_grad", call=STEP_CALL, name=name, conditions=conditions)
    check_list_step(outcome, "step_with_none_grads", "none", conditions=conditions, record=got)


@pytest.mark.task("3.1")
def test_clears_gradients_that_are_all_zeros(outcome):
    check_list_step(outcome, "step_on_a_list")  # with zero gradients, doing nothing would look right
    check_list_step(outcome, "step_with_zero_grads", "zeros", conditions=[kit.when("zero_grads")])


@pytest.mark.task("3.1", weight=2)
def test_walks_a_generator_of_params_once(outcome):
    call = "sgd_step_((p for p in params), lr)"
    conditions = [kit.when("manual_update_generator_of_params")]
    got = get(outcome, "step_on_a_generator", conditions)
    try:
        check_list_step(outcome, "step_on_a_generator", call=call, conditions=conditions, record=got)
    except kit.CheckFailure as failure:
        if failure.key != "update_recorded_by_autograd" and list_step_is_right(outcome):
            kit.fail("generator_walked_twice", advice="advice_walk_once", call=call, name="params", conditions=conditions)
        raise
    check_model_step(outcome)


def list_step_is_right(outcome) -> bool:
    try:
        check_list_step(outcome, "step_on_a_list")
    except kit.CheckFailure:
        return False
    return True


@pytest.mark.task("3.1")
def test_does_not_depend_on_memory_layout(outcome):
    conditions = [kit.when("transposed", name="params[0]")]
    check_list_step(outcome, "step_on_a_transposed_param", conditions=conditions)


@pytest.mark.task("3.1")
def test_step_accepts_the_contract_parameter_names(outcome):
    arguments = [("params", None), ("lr", None)]
    for style in ("keywords", "mixed"):
        call = families.call_text("sgd_step_", arguments, style)
        conditions = [kit.when("keywords", call=call)]
        got = styled(outcome, f"step_call_{style}", conditions, "step_signature", "sgd_step_", STEP_CONTRACT, STEP_ARGUMENTS)
        check_list_step(outcome, f"step_call_{style}", call=call, conditions=conditions, record=got)


@pytest.mark.task("3.1")
def test_each_call_updates_only_its_own_params(outcome):
    got = get(outcome, "step_twice_two_lists")
    screened(got, STEP_CALL, "params")
    runs = got["value"]
    first, first_grads = step_params(STEP_PROBLEM)
    second, second_grads = step_params(SECOND_PROBLEM)
    after_first = expected_step(first, first_grads, STEP_LR)
    conditions = [kit.when("second_call")]
    untouched = all(torch.equal(value, old) for value, old in zip(runs["after_first"]["values"], first, strict=True))
    if untouched and list_step_is_right(outcome):  # the same call on the first list of the process worked
        kit.fail("manual_update_stale_params", advice="manual_update_advice_no_state", call=STEP_CALL, name=LIST_NAMES[0], conditions=conditions)
    check_values(runs["after_first"], first, first_grads, STEP_LR, STEP_CALL, LIST_NAMES)
    for name, value, want in zip(LIST_NAMES, runs["after_second"]["first"]["values"], after_first, strict=True):
        if not kit.close(value, want):
            kit.fail("manual_update_earlier_params_changed", advice="manual_update_advice_no_state", call=STEP_CALL, name=name, conditions=conditions)
    check_values(runs["after_second"]["second"], second, second_grads, STEP_LR, STEP_CALL, LIST_NAMES, conditions)
    _, third_grads = step_params(STEP_PROBLEM, step=1)
    check_values(runs["after_third"], after_first, third_grads, STEP_LR, STEP_CALL, LIST_NAMES, [kit.when("repeated_calls", call=STEP_CALL, count=3)])


@pytest.mark.task("3.1")
def test_returns_none(outcome):
    for got in (check_list_step(outcome, "step_on_a_list"), check_model_step(outcome)):
        if got["returned"] is not None:
            kit.fail("manual_update_returns_a_value", advice="manual_update_advice_return_none", call=STEP_CALL, got=kind_text(got["returned"]))


@pytest.mark.task("3.1", hidden=True)
def test_sgd_step_on_unseen_params(outcome):
    from grader.scenarios.hidden.manual_update import (
        HIDDEN_STEP_KIND,
        HIDDEN_STEP_LR,
        HIDDEN_STEP_PROBLEM,
    )

    call = "sgd_step_(iter(params), lr)"
    got = get(outcome, "hidden_step_unseen_params")
    before, grads = step_params(HIDDEN_STEP_PROBLEM, HIDDEN_STEP_KIND)
    names = [f"params[{i}]" for i in range(len(before))]
    check_values(got, before, grads, HIDDEN_STEP_LR, call, names)
    check_cleared(got, grads, call, names)
    if not torch.equal(got["values"][FROZEN], before[FROZEN]) or got["grads"][FROZEN] is not None:
        kit.fail("changed_without_grad", advice="manual_update_advice_skip_none_grad", call=call, name=names[FROZEN])


# --- 3.2 fit_slope -----------------------------------------------------------------

FIT_CONTRACT = "fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100)"
SLOPE_TOLERANCE = kit.tolerance(torch.float32)  # a float32 w is fine: float32 accuracy, not float64's


def fit_slope_oracle(xs, ys, w0=1.0, lr=0.01, epochs=100, mistake=None):
    """Per-sample gradient descent on (w·x − y)² in float64, with dL/dw = 2(w·x − y)·x.

    `mistake` recomputes a known wrong version, to name it in the feedback.
    """
    w, accumulated, losses = float(w0 if mistake != "manual_update_w0_ignored" else 1.0), 0.0, []
    lr = 0.01 if mistake == "manual_update_slope_lr_ignored" else lr
    for _ in range(epochs):
        epoch = []
        if mistake == "manual_update_one_update_per_epoch":
            epoch = [(w * x - y) ** 2 for x, y in zip(xs, ys, strict=True)]
            w -= lr * sum(2 * (w * x - y) * x for x, y in zip(xs, ys, strict=True))
            losses.append(epoch[-1])
            continue
        for x, y in zip(xs, ys, strict=True):
            loss = (w * x - y) ** 2
            grad = 2 * (w * x - y) * x
            accumulated = accumulated + grad if mistake == "grad_never_zeroed" else grad
            w -= lr * accumulated
            epoch.append((w * x - y) ** 2 if mistake == "loss_after_update" else loss)
        if mistake == "manual_update_loss_per_sample":
            losses.extend(epoch)
        elif mistake == "epoch_mean_loss":
            losses.append(sum(epoch) / len(epoch))
        elif mistake == "manual_update_first_sample_loss":
            losses.append(epoch[0])
        else:
            losses.append(epoch[-1])
    return w, losses


SLOPE_MISTAKES = {
    "grad_never_zeroed": "advice_clear_grad",
    "loss_after_update": "advice_loss_before_update",
    "epoch_mean_loss": "advice_losses_per_epoch",
    "manual_update_first_sample_loss": "advice_losses_per_epoch",
    "manual_update_loss_per_sample": "advice_losses_per_epoch",
    "manual_update_one_update_per_epoch": "manual_update_advice_per_sample",
    "manual_update_w0_ignored": "manual_update_advice_use_arguments",
    "manual_update_slope_lr_ignored": "manual_update_advice_use_arguments",
}


def numbers_close(got, want: list[float]) -> bool:
    return type(got) is list and len(got) == len(want) and all(kit.close_number(g, w, rtol=SLOPE_TOLERANCE.rtol, atol=SLOPE_TOLERANCE.atol) for g, w in zip(got, want, strict=True))


def slope_mistakes(xs, ys, args: dict, call: str) -> list:
    def replay(mistake):
        def matches(result):
            other_w, other_losses = fit_slope_oracle(xs, ys, **args, mistake=mistake)
            return kit.close_number(result[0], other_w, rtol=SLOPE_TOLERANCE.rtol, atol=SLOPE_TOLERANCE.atol) and numbers_close(result[1], other_losses)

        return matches

    _, want_losses = fit_slope_oracle(xs, ys, **args)
    kept = kit.Mistake(
        "manual_update_losses_kept_between_calls",
        lambda result: type(result[1]) is list and len(result[1]) > len(want_losses) and numbers_close(result[1][len(result[1]) - len(want_losses) :], want_losses),
        "manual_update_advice_no_state",
        {"what": call},
    )
    named = [kit.Mistake(mistake, replay(mistake), advice, {"what": call}) for mistake, advice in SLOPE_MISTAKES.items() if mistake != "manual_update_w0_ignored" or args.get("w0", 1.0) != 1.0]
    return [kept, *named]


def fit_call(xs, ys, args: dict, style: str = "mixed_default") -> str:
    data = "[1, 2, 3], [2, 4, 6]" if list(xs) == [1.0, 2.0, 3.0] else "xs, ys"
    if style == "positional":
        return f"fit_slope({data}{''.join(f', {value}' for value in args.values())})"
    if style == "keywords":
        return "fit_slope(xs=xs, ys=ys" + "".join(f", {key}={value}" for key, value in args.items()) + ")"
    return f"fit_slope({data}{''.join(f', {key}={value}' for key, value in args.items())})"


def check_fit(got, xs, ys, args: dict, call: str, conditions=(), mistakes=None) -> tuple:
    """fit_slope's (w, losses) is the per-sample descent's; a known mistake is named."""
    if got.get("autograd_error"):
        kit.fail("update_recorded_by_autograd", advice="advice_no_grad", call=call, name="w", conditions=conditions)
    result = got["value"]
    if type(result) not in (tuple, list):
        kit.fail("wrong_type", what=call, expected="tuple", got=kind_text(result), conditions=conditions)
    if len(result) != 2:
        kit.fail("wrong_length", what=call, expected=2, got=len(result), conditions=conditions)
    w, losses = result
    want_w, want_losses = fit_slope_oracle(xs, ys, **args)
    right = kit.close_number(w, want_w, rtol=SLOPE_TOLERANCE.rtol, atol=SLOPE_TOLERANCE.atol) and numbers_close(losses, want_losses)
    if not right:
        kit.diagnose((w, losses), slope_mistakes(xs, ys, args, call) if mistakes is None else mistakes, conditions)
    floats(losses, f"{call}[1]", conditions)
    if len(losses) != len(want_losses):
        kit.fail("wrong_length", advice="advice_losses_per_epoch", what=f"{call}[1]", expected=len(want_losses), got=len(losses), conditions=conditions)
    kit.numbers(losses, want_losses, f"{call}[1]", rtol=SLOPE_TOLERANCE.rtol, atol=SLOPE_TOLERANCE.atol, advice="advice_losses_per_epoch", conditions=conditions)
    if type(w) is torch.Tensor:
        kit.fail("expected_number_got_tensor", advice="advice_item", what=f"{call}[0]", got="torch.Tensor", conditions=conditions)
    kit.number(w, want_w, f"{call}[0]", rtol=SLOPE_TOLERANCE.rtol, atol=SLOPE_TOLERANCE.atol, conditions=conditions)
    return w, losses


def floats(losses, what: str, conditions=()) -> None:
    """A list whose items are Python numbers (tensors need .item())."""
    if type(losses) is not list:
        kit.fail("wrong_type", what=what, expected="list[float]", got=kind_text(losses), conditions=conditions)
    for index, item in enumerate(losses):
        if isinstance(item, bool) or not isinstance(item, float | int):
            kit.fail("wrong_item_type", advice="advice_item", what=what, index=index, expected="float", got=kind_text(item), conditions=conditions)


def check_fit_case(outcome, name: str, conditions=()) -> tuple:
    xs, ys, args, style = FIT_CASES[name]
    call = fit_call(xs, ys, args, style)
    return check_fit(get(outcome, name, conditions), xs, ys, args, call, conditions)


@pytest.mark.task("3.2", weight=2)
def test_lesson_run_matches_per_sample_descent(outcome):
    check_fit_case(outcome, "lesson_defaults", [kit.when("defaults", call="fit_slope(xs, ys)")])


@pytest.mark.task("3.2", weight=2)
def test_uses_w0_lr_and_epochs_on_other_data(outcome):
    check_fit_case(outcome, "noisy_data")


@pytest.mark.task("3.2")
def test_zero_epochs_return_w0_and_no_losses(outcome):
    check_fit_case(outcome, "zero_epochs")


@pytest.mark.task("3.2")
def test_one_sample_gives_one_update_per_epoch(outcome):
    check_fit_case(outcome, "one_sample", [kit.when("value", name="len(xs)", value=1)])


@pytest.mark.task("3.2")
def test_fit_slope_accepts_positional_and_keyword_arguments(outcome):
    for name, key in (("fit_call_positional", "positional"), ("fit_call_keywords", "keywords")):
        xs, ys, args, style = FIT_CASES[name]
        call = fit_call(xs, ys, args, style)
        conditions = [kit.when(key, call=call)]
        got = styled(outcome, name, conditions, "fit_signature", "fit_slope", FIT_CONTRACT, FIT_ARGUMENTS)
        try:
            check_fit(got, xs, ys, args, call, conditions)
        except kit.CheckFailure:
            if key == "positional" and fit_is_right(outcome, "fit_call_keywords"):
                wrong_signature(outcome, "fit_signature", "fit_slope", FIT_CONTRACT, FIT_ARGUMENTS, conditions)
            raise


def fit_is_right(outcome, name: str) -> bool:
    try:
        xs, ys, args, style = FIT_CASES[name]
        check_fit(outcome(name), xs, ys, args, fit_call(xs, ys, args, style))
    except kit.CheckFailure:
        return False
    return True


@pytest.mark.task("3.2")
def test_second_call_starts_afresh(outcome):
    xs, ys, args, _ = FIT_CASES["noisy_data"]
    call = fit_call(xs, ys, args)
    got = get(outcome, "fit_twice")
    check_fit(got["first"], xs, ys, args, call)
    check_fit(got["second"], xs, ys, args, call, [kit.when("second_call")])


@pytest.mark.task("3.2")
def test_returns_a_float_and_a_list_of_floats(outcome):
    w, losses = check_fit_case(outcome, "noisy_data")
    call = fit_call(*FIT_CASES["noisy_data"][:3])
    if isinstance(w, bool) or not isinstance(w, float | int):
        kit.fail("wrong_type", advice="advice_item", what=f"{call}[0]", expected="float", got=kind_text(w))
    floats(losses, f"{call}[1]")


@pytest.mark.task("3.2")
def test_leaves_xs_and_ys_unchanged(outcome):
    for name in ("lesson_defaults", "noisy_data"):
        check_fit_case(outcome, name)
        xs, ys, args, style = FIT_CASES[name]
        got = get(outcome, name)
        for key, before in (("xs", xs), ("ys", ys)):
            if got[key] != list(before):
                kit.fail("input_modified", advice="manual_update_advice_read_only_lists", call=fit_call(xs, ys, args, style), name=key)


@pytest.mark.task("3.2")
def test_gradient_comes_from_autograd(outcome, forbidden_uses):
    got = get(outcome, "noisy_data")
    check_fit_case(outcome, "noisy_data")
    if not got["autograd"] and not forbidden_uses("autograd"):
        kit.fail("manual_update_no_autograd", advice="manual_update_advice_use_autograd", call=fit_call(*FIT_CASES["noisy_data"][:3]))


@pytest.mark.task("3.2", hidden=True)
def test_fit_slope_on_unseen_data(outcome):
    from grader.scenarios.hidden.manual_update import HIDDEN_FIT_CASES

    for name, (xs, ys, args) in HIDDEN_FIT_CASES.items():
        check_fit(get(outcome, name), xs, ys, args, fit_call(xs, ys, args))


# A function's signature scenario, its contract and the contract's parameter names: a refused call is named by them.
SIGNATURES = {
    "sgd_step_": ("step_signature", "sgd_step_", STEP_CONTRACT, STEP_ARGUMENTS),
    "fit_slope": ("fit_signature", "fit_slope", FIT_CONTRACT, FIT_ARGUMENTS),
}
