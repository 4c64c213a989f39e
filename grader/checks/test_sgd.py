"""Checks for unit 4, stochastic gradient descent (`sgd.py`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/sgd.py`.
Every check judges with `grader.checks.kit`; a result that goes wrong only
under one family of inputs (a transposed view, an input that requires grad,
a keyword call, a second call, two optimizers at once, `None` or zero
gradients) fails with that condition named.
"""

import pytest
import torch
import torch.nn.functional as F

from grader import inputs
from grader.checks import kit
from grader.scenarios import families, load_unit
from grader.scenarios.sgd import (
    BATCH_CASES,
    BATCH_STYLE_CASE,
    DEFAULTS_CONFIG,
    GENERATOR_CONFIG,
    GLOBAL_SEED,
    IN_PLACE_CONFIG,
    LR_CHANGE,
    LR_CONFIG,
    MODEL_CONFIG,
    MODEL_STEPS,
    MSE_ARGUMENTS,
    MSE_CASES,
    MSE_GRAD_CASE,
    MSE_LAYOUT_CASE,
    NEVER,
    NO_GENERATOR,
    NO_GENERATOR_CASE,
    NONE_CONFIG,
    OTHER_GLOBAL_SEEDS,
    REGRESSION_ARGUMENTS,
    REGRESSION_CASES,
    SECOND_PROBLEM,
    SGD_ARGUMENTS,
    SGD_CONFIGS,
    SGD_PROBLEM,
    SGD_SHAPES,
    SGD_STEPS,
    SKIPPED_STEP,
    SOMETIMES,
    STYLE_CASE,
    STYLE_CONFIG,
    TWO_EPOCHS,
    TWO_INSTANCES,
    ZERO_GRAD_AFTER,
    ZERO_GRAD_CONFIG,
    ZEROS_CONFIG,
    lesson_data,
    linear_data,
    model_with_buffers,
    mse_inputs,
    sgd_gradient,
    start_params,
)

# The judge accepts the results of the scenarios it knows: load_unit registers the
# hidden ones too, where the copy of the grader has them (the release has not).
load_unit("sgd")

# Every check that tests a side property (dtype, inputs untouched, batch sizes,
# skipped params, leaves updated in place, zero_grad, no torch.optim, detached
# results) first requires the right result from the same scenario, so that a
# trivial answer earns nothing.

# --- shared: what came back, errors with a name, signatures ------------------------


def kind_text(value) -> str:
    """What kind of value came back, as code (`torch.Tensor`, `list`), never an English phrase."""
    return "torch.Tensor" if type(value) is torch.Tensor else kit.describe(value)


def _short(location):
    """The place of an error without its line of code (a file and a line number read in any language)."""
    return {**location, "code": ""} if isinstance(location, dict) and location.get("file") else None


# Errors that real mistakes raise, named: (error type, words of its message, key, advice).
VIEW_ERROR = ("RuntimeError", "view size is not compatible", "sgd_view_needs_contiguous", "sgd_advice_reshape")
SHAPES_ERROR = ("RuntimeError", "must match the size of tensor", "sgd_shapes_mixed", "sgd_advice_state_per_param")
NUMPY_ERROR = ("RuntimeError", "Can't call numpy() on Tensor that requires grad", "sgd_numpy_cuts_the_graph", "sgd_advice_stay_in_torch")
KNOWN_ERRORS = (VIEW_ERROR, SHAPES_ERROR, NUMPY_ERROR)


def get(outcome, name: str, conditions=(), known=KNOWN_ERRORS):
    """A scenario's record; if it raised, the error is named (and the conditions it raised under are kept)."""
    try:
        return outcome(name)
    except kit.CheckFailure as failure:
        if failure.key in ("forbidden_call", "subclasses_torch_sgd") and _short(failure.params.get("location")):
            raise kit.CheckFailure(failure.key, advice=failure.advice, conditions=failure.conditions, **{**failure.params, "location": _short(failure.params["location"])}) from None
        if failure.key != "raised":
            raise
        if failure.params.get("error_type") == "TypeError" and "argument" in str(failure.params.get("message", "")):
            function = str(failure.params.get("function", "")).split(",")[0].strip()
            if function in SIGNATURES:  # a call refused by a signature that is not the contract's
                wrong_signature(outcome, *SIGNATURES[function], conditions)
        for error_type, words, key, advice in known:
            if failure.params.get("error_type") == error_type and words in str(failure.params.get("message", "")):
                location = _short(failure.params.get("location"))
                function = str(failure.params.get("function", "")).split(",")[0].strip()
                kit.fail(key, advice=advice, conditions=conditions, function=f"{function}()", **({"location": location} if location else {}))
        if not conditions:
            raise
        raise kit.CheckFailure(failure.key, advice=failure.advice, conditions=conditions, **failure.params) from None


def signature_text(function: str, names) -> str:
    return f"{function}({', '.join(names)})"


def styled(outcome, name: str, conditions, signature_scenario: str, function: str, contract: str, expected_names):
    """A call-style scenario's record; a refused call on a signature other than the contract's says so."""
    try:
        return get(outcome, name, conditions)
    except kit.CheckFailure as failure:
        if failure.key == "raised":
            wrong_signature(outcome, signature_scenario, function, contract, expected_names, conditions)
        raise


def wrong_signature(outcome, signature_scenario, function, contract, expected_names, conditions) -> None:
    """Fail naming the submission's signature, when it is not the contract's."""
    signature = outcome(signature_scenario)
    names = signature.get("names")
    if names is not None and not signature.get("flexible") and list(names) != list(expected_names):
        kit.fail("sgd_signature_differs", advice="sgd_advice_signature", got=signature_text(function, names), expected=contract, conditions=conditions)


def floats_list(got, what: str, conditions=()) -> None:
    """`got` must be a list whose items are Python numbers (tensors need .item())."""
    if type(got) is not list:
        kit.fail("wrong_type", what=what, expected="list[float]", got=kind_text(got), conditions=conditions)
    for index, item in enumerate(got):
        if isinstance(item, bool) or not isinstance(item, float | int):
            kit.fail("wrong_item_type", advice="advice_item", what=what, index=index, expected="float", got=kind_text(item), conditions=conditions)


def pair(got, what: str, conditions=()) -> tuple:
    """`got` must be a pair `(first, second)` (a tuple, or a list of two)."""
    if type(got) not in (tuple, list):
        kit.fail("wrong_type", what=what, expected="tuple", got=kind_text(got), conditions=conditions)
    if len(got) != 2:
        kit.fail("wrong_length", what=what, expected=2, got=len(got), conditions=conditions)
    return tuple(got)


def numbers_close(got, want: list[float], dtype: torch.dtype) -> bool:
    limit = kit.tolerance(dtype)
    return type(got) is list and len(got) == len(want) and all(kit.close_number(g, w, rtol=limit.rtol, atol=limit.atol) for g, w in zip(got, want, strict=True))


# --- 4.1 mse -----------------------------------------------------------------------

MSE_CALL = "mse(y_hat, y)"
MSE_CONTRACT = "mse(y_hat, y)"


def mse_conditions(case: str) -> list:
    shape, dtype, _ = MSE_CASES[case]
    return [kit.when("dtype", dtype=kit.dtype_text(dtype)), kit.when("shape", name="y_hat", shape=kit.shape_text(shape))]


LAYOUT_CONDITIONS = {
    "transposed_y_hat": [kit.when("transposed", name="y_hat")],
    "transposed_y": [kit.when("transposed", name="y")],
    "strided_both": [kit.when("strided", name="y_hat"), kit.when("strided", name="y")],
}


def mse_mistakes(y_hat: torch.Tensor, y: torch.Tensor) -> list:
    """Known wrong losses, replayed on the same inputs."""
    difference = y_hat.detach() - y.detach()
    n, rows = y_hat.numel(), (len(y_hat) if y_hat.dim() else 1)
    squared = difference**2
    return [
        kit.Mistake("sum_instead_of_mean", lambda got: n > 1 and kit.close(got, squared.sum()), "advice_mean", {"what": MSE_CALL, "n": n}),
        kit.Mistake(
            "sgd_mse_divided_by_rows", lambda got: rows != n and kit.close(got, squared.sum() / rows), "sgd_advice_numel", {"what": MSE_CALL, "rows": rows, "n": n}
        ),
        kit.Mistake("sgd_mse_root", lambda got: kit.close(got, squared.mean().sqrt()), "advice_mean", {"what": MSE_CALL}),
        kit.Mistake("sgd_mse_absolute", lambda got: kit.close(got, difference.abs().mean()), "advice_mean", {"what": MSE_CALL}),
        kit.Mistake("sgd_mse_square_of_mean", lambda got: n > 1 and kit.close(got, difference.mean() ** 2), "advice_mean", {"what": MSE_CALL}),
    ]


def check_loss(result, y_hat: torch.Tensor, y: torch.Tensor, what: str, conditions) -> torch.Tensor:
    """`result` is F.mse_loss(y_hat, y) as a 0-d tensor (in any floating dtype); a known wrong loss is named."""
    kit.is_tensor(result, what, conditions)
    expected = F.mse_loss(y_hat.detach(), y.detach())
    if result.dim() != 0 and result.numel() != 1:
        kit.fail("wrong_shape", advice="advice_mean", what=what, expected="()", got=kit.shape_text(result.shape), conditions=conditions)
    return kit.compare(result, expected, what, mistakes=mse_mistakes(y_hat, y), conditions=conditions, check_dtype=False, advice="advice_mean")


def check_mse_case(outcome, case: str) -> torch.Tensor:
    y_hat, y = mse_inputs(case)
    return check_loss(get(outcome, "mse_of_several_shapes")[case]["result"], y_hat, y, MSE_CALL, mse_conditions(case))


@pytest.mark.task("4.1", weight=2)
def test_matches_f_mse_loss(outcome):
    for case in MSE_CASES:
        check_mse_case(outcome, case)


@pytest.mark.task("4.1")
def test_returns_a_0d_tensor_in_the_input_dtype(outcome):
    for case in MSE_CASES:
        result = check_mse_case(outcome, case)
        _, dtype, _ = MSE_CASES[case]
        if result.dtype != dtype:
            kit.fail("wrong_dtype", what=MSE_CALL, expected=kit.dtype_text(dtype), got=kit.dtype_text(result.dtype), conditions=mse_conditions(case))


@pytest.mark.task("4.1")
def test_mse_does_not_depend_on_memory_layout(outcome):
    y_hat, y = mse_inputs(MSE_LAYOUT_CASE)
    for layout, conditions in LAYOUT_CONDITIONS.items():
        result = get(outcome, f"mse_{layout}", conditions)["result"]
        check_loss(result, y_hat, y, MSE_CALL, conditions)
        if type(result) is torch.Tensor and result.dtype != y_hat.dtype:
            kit.fail("wrong_dtype", what=MSE_CALL, expected=kit.dtype_text(y_hat.dtype), got=kit.dtype_text(result.dtype), conditions=conditions)


@pytest.mark.task("4.1")
def test_mse_accepts_the_contract_parameter_names(outcome):
    y_hat, y = mse_inputs(MSE_LAYOUT_CASE)
    arguments = [("y_hat", y_hat), ("y", y)]
    for style in ("keywords", "mixed"):
        conditions = [kit.when("keywords", call=families.call_text("mse", arguments, style))]
        got = styled(outcome, f"mse_call_{style}", conditions, "mse_signature", "mse", MSE_CONTRACT, MSE_ARGUMENTS)
        check_loss(got["result"], y_hat, y, families.call_text("mse", arguments, style), conditions)


def _backward_record(outcome, which: str, conditions) -> dict:
    """The run with inputs that require grad: the right loss, still attached to the graph."""
    got = get(outcome, f"mse_backward_{which}", conditions)
    y_hat, y = mse_inputs(MSE_GRAD_CASE)
    check_loss(got["result"], y_hat, y, MSE_CALL, conditions)
    if not got["flows"]:
        kit.fail("sgd_mse_no_gradient", advice="sgd_advice_stay_in_torch", what=MSE_CALL, name="y_hat", conditions=conditions)
    return got


def _expected_grads() -> dict:
    y_hat, y = (families.leaf(t) for t in mse_inputs(MSE_GRAD_CASE))
    grads = torch.autograd.grad(F.mse_loss(y_hat, y), (y_hat, y))
    return {"y_hat": grads[0], "y": grads[1], "n": y_hat.numel()}


def _check_gradient(got, name: str, conditions) -> None:
    expected = _expected_grads()
    what = f"{name}.grad"
    grad = got[name]["grad"]
    after = [*conditions, kit.when("after_step", call=f"{MSE_CALL}.backward()")]
    if grad is None:
        kit.fail("sgd_mse_no_gradient", advice="sgd_advice_stay_in_torch", what=MSE_CALL, name=name, conditions=conditions)
    mistakes = [kit.Mistake("sum_instead_of_mean", lambda g: kit.close(g, expected[name] * expected["n"]), "advice_mean", {"what": what, "n": expected["n"]})]
    kit.compare(grad, expected[name], what, mistakes=mistakes, conditions=after)


@pytest.mark.task("4.1", weight=2)
def test_gradient_flows_back_to_y_hat(outcome):
    conditions = [kit.when("requires_grad", name="y_hat")]
    _check_gradient(_backward_record(outcome, "y_hat", conditions), "y_hat", conditions)


@pytest.mark.task("4.1")
def test_gradient_flows_back_to_y(outcome):
    conditions = [kit.when("requires_grad", name="y_hat"), kit.when("requires_grad", name="y")]
    _check_gradient(_backward_record(outcome, "both", conditions), "y", conditions)


@pytest.mark.task("4.1")
def test_leaves_backward_to_the_caller(outcome):
    for which, names in (("y_hat", ["y_hat"]), ("both", ["y_hat", "y"])):
        conditions = [kit.when("requires_grad", name=name) for name in names]
        got = _backward_record(outcome, which, conditions)
        for name in names:
            if got["grad_before_backward"][name]:
                kit.fail("sgd_mse_called_backward", advice="sgd_advice_loss_only", call=MSE_CALL, name=name, conditions=conditions)


@pytest.mark.task("4.1")
def test_leaves_y_hat_and_y_unchanged(outcome):
    for case in MSE_CASES:
        check_mse_case(outcome, case)
        y_hat, y = mse_inputs(case)
        after = get(outcome, "mse_of_several_shapes")[case]
        kit.unchanged(after["y_hat"], y_hat, "y_hat", MSE_CALL, mse_conditions(case))
        kit.unchanged(after["y"], y, "y", MSE_CALL, mse_conditions(case))
    y_hat, y = mse_inputs(MSE_LAYOUT_CASE)
    for layout, conditions in LAYOUT_CONDITIONS.items():
        got = get(outcome, f"mse_{layout}", conditions)
        check_loss(got["result"], y_hat, y, MSE_CALL, conditions)
        kit.unchanged(got["y_hat"], y_hat, "y_hat", MSE_CALL, conditions)
        kit.unchanged(got["y"], y, "y", MSE_CALL, conditions)


@pytest.mark.task("4.1", hidden=True)
def test_matches_f_mse_loss_on_unseen_inputs(outcome):
    from grader.scenarios.hidden.sgd import HIDDEN_MSE_CASES, hidden_mse_inputs

    got = get(outcome, "hidden_mse_cases")
    for case, (shape, dtype, _, layout) in HIDDEN_MSE_CASES.items():
        y_hat, y = hidden_mse_inputs(case)
        conditions = [kit.when("dtype", dtype=kit.dtype_text(dtype)), kit.when("shape", name="y_hat", shape=kit.shape_text(shape))]
        if layout != "plain":
            conditions.append(kit.when(layout, name="y_hat"))
        result = check_loss(got[case], y_hat, y, MSE_CALL, conditions)
        if result.dtype != dtype:
            kit.fail("wrong_dtype", what=MSE_CALL, expected=kit.dtype_text(dtype), got=kit.dtype_text(result.dtype), conditions=conditions)


# --- 4.2 minibatches ---------------------------------------------------------------

BATCHES_CONTRACT = "minibatches(n, batch_size, generator=None)"


def batches_call(n: int, batch_size: int, generator: str | None = "generator") -> str:
    return f"minibatches({n}, {batch_size}, {generator})" if generator else f"minibatches({n}, {batch_size})"


def split(n: int, batch_size: int, generator: torch.Generator) -> list[torch.Tensor]:
    return list(torch.randperm(n, generator=generator).split(batch_size))


def same_batches(got, expected: list[torch.Tensor]) -> bool:
    if type(got) not in (list, tuple) or len(got) != len(expected):
        return False
    return all(type(g) is torch.Tensor and g.shape == e.shape and not g.is_floating_point() and torch.equal(g.long(), e) for g, e in zip(got, expected, strict=True))


def is_partition(got, n: int, sizes: list[int]) -> bool:
    """Right batch sizes, every index once: only the order can be wrong."""
    if type(got) not in (list, tuple) or any(type(b) is not torch.Tensor or b.dim() != 1 or b.is_floating_point() for b in got):
        return False
    if [len(b) for b in got] != sizes:
        return False
    return bool(torch.equal(torch.cat([b.long() for b in got]).sort().values, torch.arange(n))) if got else n == 0


def batch_mistakes(n: int, batch_size: int, seed: int | None, what: str, global_seed: int = GLOBAL_SEED) -> list:
    """Known wrong batchings of the same call, replayed (`seed` None: the global seed was the source)."""
    source = seed if seed is not None else global_seed
    expected = split(n, batch_size, inputs.generator(source))
    perm = torch.randperm(n, generator=inputs.generator(source))
    variants = [
        ("indices_not_shuffled", list(torch.arange(n).split(batch_size)), "advice_pass_generator"),
        ("sgd_batches_fixed_seed", split(n, batch_size, inputs.generator(0)), "advice_pass_generator"),
    ]
    if seed is not None:
        variants.append(("randperm_ignores_generator", split(n, batch_size, inputs.generator(global_seed)), "advice_pass_generator"))
    if len(expected[-1]) < batch_size:
        variants.append(("last_batch_dropped", expected[:-1], "advice_split"))
    if n % batch_size == 0:
        variants.append(("sgd_empty_last_batch", [*expected, perm[:0]], "advice_split"))
    if n // batch_size > 0 and n % batch_size:
        variants.append(("sgd_batches_by_count", list(perm.chunk(n // batch_size)), "advice_split"))
        variants.append(("sgd_batches_by_count", list(perm.tensor_split(n // batch_size)), "advice_split"))
    stop_early = [perm[i : i + batch_size] for i in range(0, n - 1, batch_size)]
    if len(stop_early) != len(expected):
        variants.append(("sgd_batches_stop_early", stop_early, "advice_split"))
    return [
        kit.Mistake(key, (lambda got, variant=variant: same_batches(got, variant)), advice, {"what": what, "n": n, "batch_size": batch_size, "count": max(n // batch_size, 1)})
        for key, variant, advice in variants
    ]


def check_batches(got, expected: list[torch.Tensor], what: str, *, n: int, mistakes=(), conditions=(), order_key: str = "sgd_batches_generator_not_followed") -> None:
    """`got` holds the `expected` index tensors, in order; a known mistake is named."""
    if same_batches(got, expected):
        return
    kit.diagnose(got, mistakes, conditions)
    if type(got) not in (list, tuple):
        kit.fail("wrong_type", advice="advice_split", what=what, expected="list", got=kind_text(got), conditions=conditions)
    if is_partition(got, n, [len(batch) for batch in expected]):
        kit.fail(order_key, advice="advice_pass_generator", what=what, conditions=conditions)
    if len(got) != len(expected):
        kit.fail("wrong_length", advice="advice_split", what=what, expected=len(expected), got=len(got), conditions=conditions)
    for index, (batch, want) in enumerate(zip(got, expected, strict=True)):
        kit.is_tensor(batch, f"{what}[{index}]", conditions)
        kit.tensor(batch.long() if not batch.is_floating_point() else batch, want, f"{what}[{index}]", advice="advice_split", check_dtype=False, conditions=conditions)


def case_conditions(case: str) -> list:
    n, batch_size, _ = BATCH_CASES[case]
    found = []
    if batch_size == 1:
        found.append(kit.when("value", name="batch_size", value=1))
    if n == 1:
        found.append(kit.when("value", name="n", value=1))
    if batch_size > n:
        found.append(kit.when("value", name="batch_size", value=batch_size))
    return found


def check_batch_case(outcome, case: str):
    """The batches of one case are the seeded permutation cut into chunks; a known mistake is named."""
    n, batch_size, seed = BATCH_CASES[case]
    what = batches_call(n, batch_size)
    got = get(outcome, f"batches_{case}", case_conditions(case))
    check_batches(got, split(n, batch_size, inputs.generator(seed)), what, n=n, mistakes=batch_mistakes(n, batch_size, seed, what), conditions=case_conditions(case))
    return got


@pytest.mark.task("4.2", weight=2)
def test_matches_seeded_randperm_cut_into_chunks(outcome):
    for case in BATCH_CASES:
        check_batch_case(outcome, case)


@pytest.mark.task("4.2")
def test_keeps_the_shorter_last_batch(outcome):
    n, batch_size, _ = BATCH_CASES["shorter_last"]
    got = check_batch_case(outcome, "shorter_last")
    kit.equal([len(batch) for batch in got], [4, 4, 2], f"[len(batch) for batch in {batches_call(n, batch_size)}]", advice="advice_split")


@pytest.mark.task("4.2")
def test_follows_the_generator_not_the_global_seed(outcome):
    n, batch_size, seed, global_seeds = OTHER_GLOBAL_SEEDS
    runs = get(outcome, "same_seed_other_global_seeds")
    for run, global_seed in zip(runs, global_seeds, strict=True):
        what = batches_call(n, batch_size)
        conditions = [kit.when("sgd_after_global_seed", seed=global_seed)]
        check_batches(run, split(n, batch_size, inputs.generator(seed)), what, n=n, mistakes=batch_mistakes(n, batch_size, seed, what, global_seed), conditions=conditions)


@pytest.mark.task("4.2")
def test_two_calls_with_one_generator_give_two_epochs(outcome):
    n, batch_size, seed = TWO_EPOCHS
    generator = inputs.generator(seed)
    first, second = split(n, batch_size, generator), split(n, batch_size, generator)
    got = get(outcome, "two_epochs_one_generator")
    what = batches_call(n, batch_size)
    check_batches(got[0], first, what, n=n, mistakes=batch_mistakes(n, batch_size, seed, what))
    repeat = kit.Mistake("sgd_batches_repeat", lambda batches: same_batches(batches, first), "sgd_advice_advance_generator", {"what": what})
    check_batches(got[1], second, what, n=n, mistakes=[repeat], conditions=[kit.when("second_call")])


@pytest.mark.task("4.2")
def test_minibatches_without_generator_follow_the_global_seed(outcome):
    n, batch_size, global_seed = NO_GENERATOR
    stream = inputs.generator(global_seed)
    expected = [split(n, batch_size, stream), split(n, batch_size, stream)]
    got = get(outcome, "no_generator", [kit.when("no_generator")])
    what = batches_call(n, batch_size, None)
    for index, (run, want) in enumerate(zip(got, expected, strict=True)):
        conditions = [kit.when("no_generator"), kit.when("sgd_after_global_seed", seed=global_seed)] + ([kit.when("second_call")] if index else [])
        mistakes = [kit.Mistake("sgd_batches_repeat", lambda batches: same_batches(batches, expected[0]), "sgd_advice_advance_generator", {"what": what})] if index else []
        mistakes += batch_mistakes(n, batch_size, None, what, global_seed)
        check_batches(run, want, what, n=n, mistakes=mistakes, conditions=conditions, order_key="sgd_batches_global_seed_not_followed")


@pytest.mark.task("4.2")
def test_minibatches_accepts_the_contract_parameter_names(outcome):
    n, batch_size, seed = BATCH_CASES[BATCH_STYLE_CASE]
    arguments = [("n", n), ("batch_size", batch_size), ("generator", seed)]
    for style in ("keywords", "mixed"):
        call = families.call_text("minibatches", arguments, style)
        conditions = [kit.when("keywords", call=call)]
        got = styled(outcome, f"batches_call_{style}", conditions, "batches_signature", "minibatches", BATCHES_CONTRACT, ("n", "batch_size", "generator"))
        check_batches(got, split(n, batch_size, inputs.generator(seed)), call, n=n, mistakes=batch_mistakes(n, batch_size, seed, call), conditions=conditions)


@pytest.mark.task("4.2")
def test_holds_every_index_exactly_once(outcome):
    for case, (n, batch_size, _) in BATCH_CASES.items():
        got = check_batch_case(outcome, case)
        joined = torch.cat([batch.long() for batch in got]) if got else torch.zeros(0, dtype=torch.long)
        if not torch.equal(joined.sort().values, torch.arange(n)):
            kit.fail("wrong_indices", advice="advice_split", what=batches_call(n, batch_size), last=n - 1, conditions=case_conditions(case))


@pytest.mark.task("4.2")
def test_returns_a_list_of_long_tensors(outcome):
    for case, (n, batch_size, _) in BATCH_CASES.items():
        got = check_batch_case(outcome, case)
        what = batches_call(n, batch_size)
        if type(got) is not list:
            kit.fail("wrong_type", advice="advice_list", what=what, expected="list", got=kind_text(got), conditions=case_conditions(case))
        for index, batch in enumerate(got):
            kit.is_tensor(batch, f"{what}[{index}]", case_conditions(case))
            if batch.dtype != torch.long:
                kit.fail("wrong_dtype", what=f"{what}[{index}]", expected="int64", got=kit.dtype_text(batch.dtype), conditions=case_conditions(case))
            kit.detached(batch, f"{what}[{index}]", case_conditions(case))


@pytest.mark.task("4.2", hidden=True)
def test_matches_seeded_randperm_on_unseen_sizes(outcome):
    from grader.scenarios.hidden.sgd import HIDDEN_BATCH_CASES

    got = get(outcome, "hidden_batch_cases")
    for case, (n, batch_size, seed) in HIDDEN_BATCH_CASES.items():
        what = batches_call(n, batch_size)
        check_batches(got[case], split(n, batch_size, inputs.generator(seed)), what, n=n, mistakes=batch_mistakes(n, batch_size, seed, what))
        if type(got[case]) is not list or any(batch.dtype != torch.long for batch in got[case]):
            kit.fail("wrong_type", advice="advice_list", what=what, expected="list", got=kind_text(got[case]))


# --- 4.3 SGD -----------------------------------------------------------------------

SGD_CONTRACT = "SGD(params, lr, momentum=0.0, weight_decay=0.0, nesterov=False)"
SGD_NAMES = [f"params[{i}]" for i in range(len(SGD_SHAPES))]


def sgd_call(config: dict, params: str = "params") -> str:
    return f"SGD({params}, " + ", ".join(f"{key}={value}" for key, value in config.items()) + ")"


def _items(config: dict) -> tuple:
    return tuple(config.items())


@kit.oracle
def torch_sgd(config_items: tuple, kind: str = "full", lr_change=None, in_place: bool = False, problem=SGD_PROBLEM, steps: int = SGD_STEPS):
    """The oracle: torch.optim.SGD (dampening=0) on the same gradients. Returns (trajectory, gradients given)."""
    params = [p.clone().requires_grad_(True) for p in start_params(problem)]
    optimizer = torch.optim.SGD(params, dampening=0, **dict(config_items))
    trajectory, given = [], []
    for step in range(steps):
        if lr_change is not None and step == lr_change[0]:
            optimizer.param_groups[0]["lr"] = lr_change[1]
        for i, param in enumerate(params):
            grad = sgd_gradient(i, step, param, kind, problem)
            if in_place and grad is not None and param.grad is not None:
                param.grad.copy_(grad)
            else:
                param.grad = grad
        given.append([None if p.grad is None else p.grad.detach().clone() for p in params])
        optimizer.step()
        trajectory.append([p.detach().clone() for p in params])
    return trajectory, given


def simulate(config: dict, mistake: str, *, kind="full", lr_change=None, problem=SGD_PROBLEM, steps=SGD_STEPS, reset_at=None):
    """The trajectory of a known wrong optimizer, to name it in the feedback."""
    lr, momentum = config["lr"], config.get("momentum", 0.0)
    decay, nesterov = config.get("weight_decay", 0.0), config.get("nesterov", False)
    params, buffers, trajectory = start_params(problem), [None] * len(problem[0]), []
    for step in range(steps):
        if lr_change is not None and step == lr_change[0] and mistake != "lr_cached":
            lr = lr_change[1]
        if reset_at is not None and step == reset_at:
            buffers = [None] * len(buffers)
        for i, param in enumerate(params):
            grad = sgd_gradient(i, step, param, kind, problem)
            if grad is None and mistake == "sgd_none_grad_as_zeros":
                grad = torch.zeros_like(param)
            if grad is None or (mistake == "sgd_zero_grads_skipped" and not bool(grad.any())):
                continue
            if mistake not in ("weight_decay_ignored", "weight_decay_after_momentum"):
                grad = grad + decay * param
            direction, scale = grad, lr
            if momentum:
                old = buffers[i]
                if mistake == "lr_in_buffer":
                    buffer, scale = (lr * grad if old is None else momentum * old + lr * grad), 1.0
                elif old is None or mistake == "momentum_not_kept":
                    buffer = grad.clone()
                elif mistake == "dampening_applied":
                    buffer = momentum * old + (1 - momentum) * grad
                else:
                    buffer = momentum * old + grad
                buffers[i] = buffer
                if nesterov and mistake == "nesterov_raw_gradient":
                    direction = grad - decay * param + momentum * buffer
                elif nesterov and mistake != "nesterov_ignored":
                    direction = grad + momentum * buffer
                else:
                    direction = buffer
            if mistake == "weight_decay_after_momentum":
                direction = direction + decay * param
            params[i] = param - scale * direction
        trajectory.append([param.clone() for param in params])
    return trajectory


SGD_ADVICE = {  # a mistake the replay knows: (its message key, advice)
    "momentum_not_kept": ("sgd_momentum_not_kept", "sgd_advice_momentum_buffer"),
    "dampening_applied": ("sgd_dampening_applied", "sgd_advice_momentum_buffer"),
    "weight_decay_ignored": ("sgd_weight_decay_ignored", "sgd_advice_weight_decay_first"),
    "weight_decay_after_momentum": ("sgd_weight_decay_after_momentum", "sgd_advice_weight_decay_first"),
    "nesterov_ignored": ("sgd_nesterov_ignored", "sgd_advice_nesterov"),
    "nesterov_raw_gradient": ("sgd_nesterov_raw_gradient", "sgd_advice_nesterov"),
    "lr_cached": ("sgd_lr_cached", "sgd_advice_read_lr"),
    "lr_in_buffer": ("sgd_lr_in_buffer", "sgd_advice_read_lr"),
}


def matches(got, expected) -> bool:
    """Quietly: is `got` a trajectory (a list of rows of tensors) close to `expected`?"""
    return (
        type(got) is list
        and len(got) == len(expected)
        and all(
            type(row) is list and len(row) == len(want) and all(kit.close(g, w) and g.dtype == w.dtype for g, w in zip(row, want, strict=True))
            for row, want in zip(got, expected, strict=True)
        )
    )


def sgd_mistakes(config: dict, what: str, **replay) -> list:
    mistakes = [
        kit.Mistake(key, (lambda got, mistake=mistake: matches(got, simulate(config, mistake, **replay))), advice, {"what": what})
        for mistake, (key, advice) in SGD_ADVICE.items()
    ]
    kind = replay.get("kind", "full")
    if kind == "zeros":
        mistakes.insert(0, kit.Mistake("sgd_zero_grads_skipped", lambda got: matches(got, simulate(config, "sgd_zero_grads_skipped", **replay)), "sgd_advice_zero_grads", {"what": what}))
    if kind == "none":
        mistakes.insert(0, kit.Mistake("sgd_none_grad_as_zeros", lambda got: matches(got, simulate(config, "sgd_none_grad_as_zeros", **replay)), "sgd_advice_skip_none_grad", {"what": what}))
    return mistakes


def compare_trajectory(got, expected, what: str, names: list[str], *, mistakes=(), conditions=(), start=None) -> None:
    """Step by step, param by param; a known mistake is named, else the first difference with its step."""
    if matches(got, expected):
        return
    kit.diagnose(got, mistakes, conditions)
    if type(got) is not list or len(got) != len(expected):
        kit.fail("wrong_length", what=what, expected=len(expected), got=len(got) if type(got) is list else 0, conditions=conditions)
    if start is not None and all(type(v) is torch.Tensor and torch.equal(v, s) for v, s in zip(got[0], start, strict=True)):
        kit.fail("not_updated_in_place", advice="advice_no_grad", call=f"{what}.step()", name="params", conditions=conditions)
    for step, (row, want_row) in enumerate(zip(got, expected, strict=True)):
        for name, value, want in zip(names, row, want_row, strict=True):
            if type(value) is not torch.Tensor or value.shape != want.shape or value.dtype != want.dtype:
                kit.tensor(value, want, name, conditions=[*conditions, kit.when("after_step", call=f"{what}.step()")])
            if not kit.close(value, want):
                limit = kit.tolerance(want.dtype)
                wrong = ~torch.isclose(value.double(), want.double(), rtol=limit.rtol, atol=limit.atol)
                first = tuple(int(i) for i in wrong.nonzero()[0].tolist())
                kit.fail(
                    "trajectory_differs", what=what, step=step, name=name, index=kit.index_text(first),
                    got=kit.number_text(value[first].item()), expected=kit.number_text(want[first].item()), conditions=conditions,
                )  # fmt: skip


def sgd_record(outcome, name: str, conditions=(), record=None) -> dict:
    """The scenario's record, once it is clear that torch.optim.SGD was not used and autograd recorded nothing."""
    got = get(outcome, name, conditions) if record is None else record
    if got["subclass"]:
        kit.fail("subclasses_torch_sgd", advice="advice_no_torch_sgd", what="SGD")
    if got["forbidden"]:
        kit.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(got["forbidden"]))
    if got["autograd_error"]:
        kit.fail("update_recorded_by_autograd", advice="advice_no_grad", call="optimizer.step()", name="params", conditions=conditions)
    return got


def check_config(outcome, config_name: str) -> dict:
    got = sgd_record(outcome, f"sgd_{config_name}")
    config = SGD_CONFIGS[config_name]
    what = sgd_call(config)
    expected, _ = torch_sgd(_items(config))
    mistakes = sgd_mistakes(config, what)
    trajectory = got["trajectory"]
    if config.get("momentum") and not matches(trajectory, expected):
        kit.diagnose(trajectory, mistakes)
        first_step_wrong = not all(kit.close(value, want) for value, want in zip(trajectory[0], expected[0], strict=True))
        if first_step_wrong and config_is_right(outcome, "plain") and config_is_right(outcome, "weight_decay"):
            # A fresh optimizer's first step is p - lr·d whatever the momentum: the buffer came from elsewhere.
            kit.fail("sgd_state_left_over", advice="sgd_advice_state_in_self", what=what)
    compare_trajectory(trajectory, expected, what, SGD_NAMES, mistakes=mistakes, start=start_params())
    return got


def config_is_right(outcome, config_name: str) -> bool:
    try:
        check_config(outcome, config_name)
    except kit.CheckFailure:
        return False
    return True


@pytest.mark.task("4.3", weight=2)
def test_plain_steps_match_torch_sgd(outcome):
    check_config(outcome, "plain")


@pytest.mark.task("4.3", weight=2)
def test_momentum_matches_torch_sgd(outcome):
    check_config(outcome, "momentum")


@pytest.mark.task("4.3", weight=2)
def test_weight_decay_matches_torch_sgd(outcome):
    for config_name in ("weight_decay", "momentum_weight_decay"):
        check_config(outcome, config_name)


@pytest.mark.task("4.3", weight=2)
def test_nesterov_matches_torch_sgd(outcome):
    for config_name in ("nesterov", "nesterov_weight_decay"):
        check_config(outcome, config_name)


def style_text(style: str) -> str:
    """The call a style scenario makes, as code: `SGD(params, 0.05, 0.8, weight_decay=0.1, nesterov=True)`."""
    config = SGD_CONFIGS[STYLE_CONFIG]
    names = ["params", *config]
    shown = {name: "params" if name == "params" else repr(config[name]) for name in names}
    by_position = {"positional": len(names), "keywords": 0, "mixed": len(names) // 2}[style]
    parts = [shown[name] for name in names[:by_position]] + [f"{name}={shown[name]}" for name in names[by_position:]]
    return f"SGD({', '.join(parts)})"


def style_is_right(outcome, style: str) -> bool:
    try:
        got = sgd_record(outcome, f"sgd_call_{style}")
    except kit.CheckFailure:
        return False
    return matches(got["trajectory"], torch_sgd(_items(SGD_CONFIGS[STYLE_CONFIG]))[0])


def check_call_style(outcome, style: str) -> None:
    config = SGD_CONFIGS[STYLE_CONFIG]
    shown = style_text(style)
    conditions = [kit.when("positional" if style == "positional" else "keywords", call=shown)]
    got = sgd_record(outcome, f"sgd_call_{style}", conditions, styled(outcome, f"sgd_call_{style}", conditions, "sgd_signature", "SGD", SGD_CONTRACT, SGD_ARGUMENTS))
    expected, _ = torch_sgd(_items(config))
    if not matches(got["trajectory"], expected) and style != "keywords" and style_is_right(outcome, "keywords"):
        wrong_signature(outcome, "sgd_signature", "SGD", SGD_CONTRACT, SGD_ARGUMENTS, conditions)
    compare_trajectory(got["trajectory"], expected, shown, SGD_NAMES, mistakes=sgd_mistakes(config, shown), conditions=conditions)


@pytest.mark.task("4.3")
def test_sgd_accepts_positional_and_keyword_arguments(outcome):
    for style in ("keywords", "positional", "mixed"):
        check_call_style(outcome, style)


@pytest.mark.task("4.3")
def test_defaults_are_those_of_the_signature(outcome):
    call = f"SGD(params, {DEFAULTS_CONFIG['lr']})"
    conditions = [kit.when("defaults", call=call)]
    got = sgd_record(outcome, "sgd_defaults", conditions)
    expected, _ = torch_sgd(_items(DEFAULTS_CONFIG))
    if not matches(got["trajectory"], expected) and config_is_right(outcome, "plain"):
        kit.fail("sgd_wrong_defaults", advice="sgd_advice_signature", call=call, expected=SGD_CONTRACT, conditions=conditions)
    compare_trajectory(got["trajectory"], expected, call, SGD_NAMES, conditions=conditions)


@pytest.mark.task("4.3")
def test_changed_lr_applies_from_the_next_step(outcome):
    config = SGD_CONFIGS[LR_CONFIG]
    step, lr = LR_CHANGE
    conditions = [kit.when("sgd_lr_changed", lr=lr, step=step)]
    got = sgd_record(outcome, "sgd_changed_lr", conditions)
    if got["param_groups"] is not None:
        kit.fail("no_param_groups", advice="advice_param_groups", what="SGD", got=got["param_groups"])
    expected, _ = torch_sgd(_items(config), lr_change=LR_CHANGE)
    what = sgd_call(config)
    compare_trajectory(got["trajectory"], expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what, lr_change=LR_CHANGE), conditions=conditions)


@pytest.mark.task("4.3")
def test_skips_params_without_grad(outcome):
    config = SGD_CONFIGS[NONE_CONFIG]
    what = sgd_call(config)
    conditions = [kit.when("none_grads", name="p")]
    got = sgd_record(outcome, "sgd_none_grads", conditions)
    start = start_params()
    trajectory = got["trajectory"]
    for step, row in enumerate(trajectory):
        if not torch.equal(row[NEVER], start[NEVER]):
            kit.fail("changed_without_grad", advice="sgd_advice_skip_none_grad", call=f"{what}.step()", name=SGD_NAMES[NEVER], conditions=conditions)
        if step == SKIPPED_STEP and not torch.equal(row[SOMETIMES], trajectory[step - 1][SOMETIMES]):
            kit.fail("changed_without_grad", advice="sgd_advice_skip_none_grad", call=f"{what}.step()", name=SGD_NAMES[SOMETIMES], conditions=conditions)
    expected, _ = torch_sgd(_items(config), kind="none")
    compare_trajectory(trajectory, expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what, kind="none"), conditions=conditions)


@pytest.mark.task("4.3")
def test_zero_gradients_still_decay_and_carry_momentum(outcome):
    config = SGD_CONFIGS[ZEROS_CONFIG]
    what = sgd_call(config)
    conditions = [kit.when("zero_grads")]
    got = sgd_record(outcome, "sgd_zero_grads", conditions)
    expected, _ = torch_sgd(_items(config), kind="zeros")
    compare_trajectory(got["trajectory"], expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what, kind="zeros"), conditions=conditions)


@pytest.mark.task("4.3")
def test_step_leaves_p_grad_unchanged(outcome):
    runs = [(f"sgd_{name}", SGD_CONFIGS[name], False, []) for name in ("weight_decay", "momentum", "nesterov_weight_decay")]
    runs.append(("sgd_in_place_grads", SGD_CONFIGS[IN_PLACE_CONFIG], True, [kit.when("sgd_in_place_grads")]))
    for name, config, in_place, conditions in runs:
        got = sgd_record(outcome, name, conditions)
        expected, _ = torch_sgd(_items(config), in_place=in_place)
        what = sgd_call(config)
        compare_trajectory(got["trajectory"], expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what), conditions=conditions)
        for row, want_row in zip(got["grads_after"], got["grads_before"], strict=True):
            for param, grad, want in zip(SGD_NAMES, row, want_row, strict=True):
                if grad is None:
                    kit.fail("sgd_step_cleared_grad", advice="sgd_advice_step_reads_grad", call=f"{what}.step()", name=param, conditions=conditions)
                if not (type(grad) is torch.Tensor and grad.shape == want.shape and torch.equal(grad, want)):
                    kit.fail("sgd_step_changed_grad", advice="sgd_advice_step_reads_grad", call=f"{what}.step()", name=param, conditions=conditions)


@pytest.mark.task("4.3")
def test_momentum_buffer_is_not_the_gradient_tensor(outcome):
    config = SGD_CONFIGS[IN_PLACE_CONFIG]
    what = sgd_call(config)
    conditions = [kit.when("sgd_in_place_grads")]
    got = sgd_record(outcome, "sgd_in_place_grads", conditions)
    expected, _ = torch_sgd(_items(config), in_place=True)
    first_step_right = type(got["trajectory"]) is list and matches(got["trajectory"][:1], expected[:1])
    if not matches(got["trajectory"], expected) and first_step_right and config_is_right(outcome, IN_PLACE_CONFIG):
        kit.fail("sgd_buffer_aliases_grad", advice="sgd_advice_clone_buffer", what=what, conditions=conditions)
    compare_trajectory(got["trajectory"], expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what), conditions=conditions)


@pytest.mark.task("4.3")
def test_two_optimizers_keep_separate_state(outcome):
    conditions = [kit.when("two_instances", name="SGD")]
    got = sgd_record(outcome, "sgd_two_instances", conditions)
    for which, (config_name, problem) in enumerate(zip(TWO_INSTANCES, (SGD_PROBLEM, SECOND_PROBLEM), strict=True)):
        config = SGD_CONFIGS[config_name]
        expected, _ = torch_sgd(_items(config), problem=problem)
        what = sgd_call(config, "params_a" if which == 0 else "params_b")
        trajectory = got["trajectories"][which] if type(got["trajectories"]) is list else None
        if not matches(trajectory, expected) and all(config_is_right(outcome, name) for name in TWO_INSTANCES):
            kit.fail("sgd_state_shared", advice="sgd_advice_state_in_self", what=what, conditions=conditions)
        names = [name.replace("params", "params_a" if which == 0 else "params_b") for name in SGD_NAMES]
        compare_trajectory(trajectory, expected, what, names, mistakes=sgd_mistakes(config, what, problem=problem), conditions=conditions)


@pytest.mark.task("4.3")
def test_accepts_a_generator_of_params(outcome):
    config = SGD_CONFIGS[GENERATOR_CONFIG]
    what = sgd_call(config, "(p for p in params)")
    conditions = [kit.when("sgd_generator_of_params")]
    got = sgd_record(outcome, "sgd_generator_of_params", conditions)
    expected, _ = torch_sgd(_items(config))
    if not matches(got["trajectory"], expected) and config_is_right(outcome, GENERATOR_CONFIG):
        kit.fail("generator_walked_twice", advice="advice_walk_once", call=what, name="params", conditions=conditions)
    compare_trajectory(got["trajectory"], expected, what, SGD_NAMES, mistakes=sgd_mistakes(config, what), conditions=conditions)
    check_model_run(outcome)


@kit.oracle
def model_oracle():
    model = model_with_buffers()
    x, target = linear_data()
    optimizer = torch.optim.SGD(model.parameters(), dampening=0, **MODEL_CONFIG)
    trajectory = []
    for _ in range(MODEL_STEPS):
        optimizer.zero_grad()
        F.mse_loss(model(x), target).backward()
        optimizer.step()
        trajectory.append([p.detach().clone() for p in model.parameters()])
    return trajectory, [b.detach().clone() for b in model_with_buffers().buffers()]


MODEL_NAMES = [f"list(model.parameters())[{i}]" for i in range(6)]


def check_model_run(outcome) -> None:
    what = sgd_call(MODEL_CONFIG, "model.parameters()")
    conditions = [kit.when("buffers")]
    got = sgd_record(outcome, "sgd_model_parameters", conditions)
    expected, buffers = model_oracle()
    compare_trajectory(got["trajectory"], expected, what, MODEL_NAMES, conditions=conditions)
    for index, (after, before) in enumerate(zip(got["buffers"], buffers, strict=True)):
        kit.unchanged(after, before, f"list(model.buffers())[{index}]", f"{what}.step()", conditions)


def check_zero_grad_run(outcome) -> dict:
    """The steps before and after zero_grad() match torch.optim.SGD."""
    config = SGD_CONFIGS[ZERO_GRAD_CONFIG]
    what = sgd_call(config)
    conditions = [kit.when("after_step", call="optimizer.zero_grad()")]
    got = sgd_record(outcome, "sgd_zero_grad")
    expected, _ = torch_sgd(_items(config))
    trajectory = got["trajectory"]
    if type(trajectory) is list:
        compare_trajectory(trajectory[:ZERO_GRAD_AFTER], expected[:ZERO_GRAD_AFTER], what, SGD_NAMES, mistakes=sgd_mistakes(config, what, steps=ZERO_GRAD_AFTER))
    reset = kit.Mistake("sgd_zero_grad_resets_momentum", lambda t: matches(t, simulate(config, "none", reset_at=ZERO_GRAD_AFTER)), "sgd_advice_zero_grad_only", {"call": "optimizer.zero_grad()"})
    if not matches(trajectory, expected):
        kit.diagnose(trajectory, [reset])  # the message names zero_grad() itself
    compare_trajectory(trajectory, expected, what, SGD_NAMES, conditions=conditions)
    return got


@pytest.mark.task("4.3")
def test_zero_grad_clears_every_gradient(outcome):
    got = check_zero_grad_run(outcome)
    cleared = got["cleared"]
    for name, grad, value, before in zip(SGD_NAMES, cleared["grads"], cleared["values"], cleared["before"], strict=True):
        if grad is not None and not (type(grad) is torch.Tensor and not bool(grad.any())):
            kit.fail("grad_not_cleared", advice="advice_clear_grad", call="optimizer.zero_grad()", name=name)
        if not torch.equal(value, before):
            kit.fail("parameters_changed", call="optimizer.zero_grad()", name=name)


@pytest.mark.task("4.3")
def test_params_stay_leaves_updated_in_place(outcome):
    got = check_config(outcome, "momentum")
    call = sgd_call(SGD_CONFIGS["momentum"]) + ".step()"
    for name, leaf, requires_grad, has_grad_fn in zip(SGD_NAMES, got["is_leaf"], got["requires_grad"], got["grad_fn"], strict=True):
        if has_grad_fn:
            kit.fail("recorded_by_autograd", advice="advice_no_grad", call=call, name=name)
        if not (leaf and requires_grad):
            kit.fail("not_same_tensor", advice="advice_no_grad", call=call, name=name)


SGD_RUNS = [f"sgd_{name}" for name in SGD_CONFIGS] + ["sgd_changed_lr", "sgd_generator_of_params", "sgd_model_parameters", "sgd_zero_grad", "sgd_two_instances"]


@pytest.mark.task("4.3", weight=2)
def test_does_not_use_torch_optim_sgd(outcome, forbidden_uses):
    for config_name in SGD_CONFIGS:
        check_config(outcome, config_name)
    check_model_run(outcome)
    check_zero_grad_run(outcome)
    for name in SGD_RUNS:
        got = get(outcome, name)
        if got["subclass"]:
            kit.fail("subclasses_torch_sgd", advice="advice_no_torch_sgd", what="SGD")
        if got["forbidden"]:
            kit.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(got["forbidden"]))
    if found := forbidden_uses("torch_optim"):  # read from the source: nothing at run time can hide it
        kit.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(found))


@pytest.mark.task("4.3", hidden=True)
def test_matches_torch_sgd_on_unseen_problems(outcome):
    from grader.scenarios.hidden.sgd import HIDDEN_SGD_PROBLEM, HIDDEN_SGD_RUNS, HIDDEN_SGD_STEPS

    for name, (config, lr_change, kind) in HIDDEN_SGD_RUNS.items():
        got = sgd_record(outcome, name)
        expected, _ = torch_sgd(_items(config), kind=kind, lr_change=lr_change, problem=HIDDEN_SGD_PROBLEM, steps=HIDDEN_SGD_STEPS)
        what = sgd_call(config)
        names = [f"params[{i}]" for i in range(len(HIDDEN_SGD_PROBLEM[0]))]
        replay = {"kind": kind, "lr_change": lr_change, "problem": HIDDEN_SGD_PROBLEM, "steps": HIDDEN_SGD_STEPS}
        conditions = [kit.when("sgd_lr_changed", lr=lr_change[1], step=lr_change[0])] if lr_change else []
        compare_trajectory(got["trajectory"], expected, what, names, mistakes=sgd_mistakes(config, what, **replay), conditions=conditions)


# --- 4.4 train_linear_regression ---------------------------------------------------

REGRESSION_CONTRACT = "train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None)"


def regression_call(kwargs: dict, seed, head: str = "x, y, a0") -> str:
    arguments = [head, *(f"{key}={value}" for key, value in kwargs.items())]
    if seed is not None:
        arguments.append("generator=generator")
    return f"train_linear_regression({', '.join(arguments)})"


def descent(x, y, a, *, lr=0.1, epochs=100, batch_size=None, generator=None, mistake=None):
    """Gradient descent on the mean squared error in float64, with dL/da = 2·xᵀ(x·a − y)/n.

    Mini-batches follow torch.randperm(n, generator=generator).split(batch_size),
    drawn anew in every epoch. `mistake` recomputes a known wrong version.
    """
    x, y, a = x.double(), y.double(), a.double()
    n = len(x)
    losses, accumulated, first_order = [], torch.zeros_like(a), None
    for _ in range(epochs):
        if batch_size is None:
            batches = [torch.arange(n)]
        elif mistake == "same_order_every_epoch" and first_order is not None:
            batches = first_order
        else:
            batches = first_order = list(torch.randperm(n, generator=generator).split(batch_size))
        if mistake == "last_batch_dropped" and batch_size is not None:
            batches = [b for b in batches if len(b) == batch_size]
        for indices in batches:
            xb, yb = x[indices], y[indices]
            scale = {"regression_sum_loss": 1, "sgd_regression_divided_by_n": n}.get(mistake, len(indices))
            residual = xb @ a - yb
            loss = (residual**2).sum() / scale
            if mistake == "sgd_regression_full_data_loss":
                loss = ((x @ a - y) ** 2).mean()
            grad = 2 * xb.T @ residual / scale
            accumulated = accumulated + grad if mistake == "grad_never_zeroed" else grad
            a = a - lr * accumulated
            if mistake == "loss_after_update":
                loss = ((xb @ a - yb) ** 2).sum() / scale
            losses.append(float(loss))
    return a, losses


ORACLE_CASES = {**REGRESSION_CASES, "no_generator": (*NO_GENERATOR_CASE, GLOBAL_SEED)}


@kit.oracle
def regression_oracle(case: str, mistake: str | None = None, runs: int = 1):
    """The expected (a, losses) of a case (a list of `runs` of them, sharing one generator)."""
    n, data_seed, dtype, kwargs, seed = ORACLE_CASES[case]
    x, y, a0 = lesson_data(n, data_seed, dtype)
    if mistake == "randperm_ignores_generator":
        seed = GLOBAL_SEED
    generator = inputs.generator(seed) if seed is not None else None
    results = [descent(x, y, a0, **kwargs, generator=generator, mistake=mistake) for _ in range(runs)]
    return results if runs > 1 else results[0]


REGRESSION_ADVICE = {
    "grad_never_zeroed": "advice_clear_grad",
    "loss_after_update": "advice_loss_before_update",
    "regression_sum_loss": "advice_mean",
    "sgd_regression_divided_by_n": "advice_mean",
    "sgd_regression_full_data_loss": "advice_loss_before_update",
    "randperm_ignores_generator": "advice_pass_generator",
    "same_order_every_epoch": "advice_new_batches_each_epoch",
    "last_batch_dropped": "advice_split",
}
FULL_BATCH_MISTAKES = ("grad_never_zeroed", "loss_after_update", "regression_sum_loss")
MINIBATCH_MISTAKES = (*FULL_BATCH_MISTAKES, "sgd_regression_divided_by_n", "sgd_regression_full_data_loss", "randperm_ignores_generator", "same_order_every_epoch", "last_batch_dropped")


def regression_mistakes(case: str, what: str, dtype: torch.dtype) -> list:
    batch_size = ORACLE_CASES[case][3].get("batch_size")
    names = FULL_BATCH_MISTAKES if batch_size is None else MINIBATCH_MISTAKES

    def replay(mistake):
        def matches_mistake(result):
            other_a, other_losses = regression_oracle(case, mistake)
            return numbers_close(result[1], other_losses, dtype) and kit.close(result[0], other_a.to(dtype))

        return matches_mistake

    found = [kit.Mistake(name, replay(name), REGRESSION_ADVICE[name], {"what": what}) for name in names]
    return found + float32_precision(regression_oracle(case), dtype, what)


def float32_precision(expected: tuple, dtype: torch.dtype, what: str) -> list[kit.Mistake]:
    """For float64 inputs: a descent that agrees with `expected` only to float32's tolerance ran (in part) in float32."""
    if dtype != torch.float64:
        return []
    want_a, want_losses = expected
    loose = kit.tolerance(torch.float32)
    matches = lambda got: numbers_close(got[1], want_losses, torch.float32) and kit.close(got[0], want_a, rtol=loose.rtol, atol=loose.atol)  # noqa: E731
    return [kit.Mistake("sgd_float32_precision", matches, params={"what": what})]


def screened(got: dict, call: str, conditions=()) -> dict:
    """A run's record, once it is clear that torch.optim was not used and autograd recorded no update."""
    if got["forbidden"]:
        kit.fail("forbidden_call", advice="advice_forbidden", call=call, forbidden=", ".join(got["forbidden"]))
    if got["autograd_error"]:
        kit.fail("update_recorded_by_autograd", advice="advice_no_grad", call=call, name="a", conditions=conditions)
    return got


def regression_record(outcome, name: str, call: str, conditions=(), known=KNOWN_ERRORS) -> dict:
    return screened(get(outcome, name, conditions, known), call, conditions)


def check_regression_result(result, expected, dtype: torch.dtype, call: str, conditions=(), mistakes=()) -> tuple:
    """`result` is the (a, losses) of the recomputed descent; a known mistake is named."""
    a, losses = pair(result, call, conditions)
    want_a, want_losses = expected[0].to(dtype), expected[1]
    kit.shaped_like(a, want_a, f"{call}[0]", conditions=conditions)  # a copy of a0: its shape and dtype, whatever the values
    limit = kit.tolerance(dtype)
    if not (numbers_close(losses, want_losses, dtype) and kit.close(a, want_a)):
        kit.diagnose((a, losses), mistakes, conditions)
    floats_list(losses, f"{call}[1]", conditions)
    if len(losses) != len(want_losses):
        kit.fail("wrong_length", advice="advice_one_loss_per_step", what=f"{call}[1]", expected=len(want_losses), got=len(losses), conditions=conditions)
    kit.numbers(losses, want_losses, f"{call}[1]", rtol=limit.rtol, atol=limit.atol, conditions=conditions)
    kit.values(a, want_a, f"{call}[0]", rtol=limit.rtol, atol=limit.atol, conditions=conditions)
    return a, losses


def check_case_result(result, case: str, call: str, conditions=()) -> tuple:
    dtype = ORACLE_CASES[case][2]
    return check_regression_result(result, regression_oracle(case), dtype, call, conditions, regression_mistakes(case, call, dtype))


def regression_is_right(outcome, case: str) -> bool:
    try:
        check_regression(outcome, case)
    except kit.CheckFailure:
        return False
    return True


def case_call(case: str) -> str:
    _, _, _, kwargs, seed = REGRESSION_CASES[case]
    return regression_call(kwargs, seed)


def check_regression(outcome, case: str, conditions=()) -> dict:
    call = case_call(case)
    dtype = REGRESSION_CASES[case][2]
    conditions = [*conditions, kit.when("dtype", dtype=kit.dtype_text(dtype))]
    got = regression_record(outcome, f"regression_{case}", call, conditions)
    check_case_result(got["value"], case, call, conditions)
    return got


@pytest.mark.task("4.4", weight=2)
def test_full_batch_run_matches_recomputed_descent(outcome):
    check_regression(outcome, "full_batch_float32")


@pytest.mark.task("4.4")
def test_lesson_defaults_match_recomputed_descent(outcome):
    check_regression(outcome, "lesson_defaults", [kit.when("defaults", call="train_linear_regression(x, y, a0)")])


MINIBATCH_CASES = {
    "minibatches_shorter_last": [],
    "one_sample_batches_float32": [kit.when("value", name="batch_size", value=1)],
    "batch_larger_than_n": [kit.when("value", name="batch_size", value=8)],
    "one_sample": [kit.when("one_row", name="x")],
}


@pytest.mark.task("4.4", weight=2)
def test_minibatch_runs_match_recomputed_sgd(outcome):
    for case, conditions in MINIBATCH_CASES.items():
        check_regression(outcome, case, conditions)


@pytest.mark.task("4.4")
def test_zero_epochs_take_no_step(outcome):
    got = check_regression(outcome, "zero_epochs")
    _, _, a0 = lesson_data(*REGRESSION_CASES["zero_epochs"][:3])
    kit.tensor(got["value"][0], a0, f"{case_call('zero_epochs')}[0]")


def style_call(style: str) -> str:
    _, _, _, kwargs, _ = REGRESSION_CASES[STYLE_CASE]
    arguments = [(name, None) for name in ("x", "y", "a0", *kwargs, "generator")]
    if style == "keywords":
        return families.call_text("train_linear_regression", arguments, "keywords")
    return "train_linear_regression(x, y, a0, " + ", ".join(repr(value) for value in kwargs.values()) + ", generator)"


@pytest.mark.task("4.4")
def test_regression_accepts_positional_and_keyword_arguments(outcome):
    dtype = REGRESSION_CASES[STYLE_CASE][2]
    expected = regression_oracle(STYLE_CASE)
    for style in ("keywords", "positional"):
        call = style_call(style)
        conditions = [kit.when("keywords" if style == "keywords" else "positional", call=call)]
        signature = ("regression_signature", "train_linear_regression", REGRESSION_CONTRACT, REGRESSION_ARGUMENTS, conditions)
        got = screened(styled(outcome, f"regression_call_{style}", conditions, *signature[:4]), call, conditions)
        result = got["value"]
        right = type(result) in (tuple, list) and len(result) == 2 and numbers_close(result[1], expected[1], dtype) and kit.close(result[0], expected[0].to(dtype))
        if not right and regression_is_right(outcome, STYLE_CASE):
            wrong_signature(outcome, *signature)
        check_case_result(result, STYLE_CASE, call, conditions)


@pytest.mark.task("4.4")
def test_regression_does_not_depend_on_memory_layout(outcome):
    call = case_call(STYLE_CASE)
    conditions = [kit.when("transposed", name="x"), kit.when("strided", name="y")]
    got = regression_record(outcome, "regression_non_contiguous", call, conditions)
    check_case_result(got["value"], STYLE_CASE, call, conditions)


NOT_A_LEAF = (
    ("TypeError", "NoneType", "sgd_regression_copy_not_a_leaf", "sgd_advice_detach_copy"),
    ("RuntimeError", "only change requires_grad flags of leaf variables", "sgd_regression_copy_not_a_leaf", "sgd_advice_detach_copy"),
)


@pytest.mark.task("4.4")
def test_leaves_a0_alone_when_it_requires_grad(outcome):
    call = case_call(STYLE_CASE)
    conditions = [kit.when("requires_grad", name="a0")]
    got = regression_record(outcome, "regression_a0_requires_grad", call, conditions, known=(*KNOWN_ERRORS, *NOT_A_LEAF))
    a, _ = check_case_result(got["value"], STYLE_CASE, call, conditions)
    kit.detached(a, f"{call}[0]", conditions)
    view = got["a0"]
    _, _, a0 = lesson_data(*REGRESSION_CASES[STYLE_CASE][:3])
    if view["grad"] is not None:
        kit.fail("sgd_regression_filled_a0_grad", advice="sgd_advice_detach_copy", call=call, conditions=conditions)
    if not view["requires_grad"] or not view["is_leaf"]:
        kit.fail("not_same_tensor", advice="advice_copy_input", call=call, name="a0", conditions=conditions)
    kit.unchanged(view["values"], a0, "a0", call, conditions)


@pytest.mark.task("4.4")
def test_second_run_continues_the_generator(outcome):
    call = case_call(STYLE_CASE)
    got = get(outcome, "regression_twice_one_generator")
    first, second = regression_oracle(STYLE_CASE, runs=2)
    dtype = REGRESSION_CASES[STYLE_CASE][2]
    check_case_result(screened(got["first"], call)["value"], STYLE_CASE, call)
    conditions = [kit.when("second_call")]
    repeat = kit.Mistake("sgd_regression_same_run_twice", lambda result: numbers_close(result[1], first[1], dtype), "sgd_advice_advance_generator", {"what": call})
    check_regression_result(screened(got["second"], call, conditions)["value"], second, dtype, call, conditions, [repeat])


@pytest.mark.task("4.4")
def test_regression_without_generator_follows_the_global_seed(outcome):
    _, _, dtype, kwargs = NO_GENERATOR_CASE
    call = regression_call(kwargs, None)
    conditions = [kit.when("no_generator"), kit.when("sgd_after_global_seed", seed=GLOBAL_SEED)]
    got = regression_record(outcome, "regression_no_generator", call, conditions)
    result, expected = got["value"], regression_oracle("no_generator")
    right = type(result) in (tuple, list) and len(result) == 2 and numbers_close(result[1], expected[1], dtype)
    if not right and regression_is_right(outcome, STYLE_CASE):
        kit.diagnose(tuple(result), regression_mistakes("no_generator", call, dtype), conditions)
        kit.fail("sgd_batches_global_seed_not_followed", advice="advice_pass_generator", what=call, conditions=conditions)
    check_case_result(result, "no_generator", call, conditions)


@pytest.mark.task("4.4")
def test_returns_a_detached_a_like_a0(outcome):
    for case in REGRESSION_CASES:
        got = check_regression(outcome, case)  # a's shape and dtype (a0's) included
        dtype = REGRESSION_CASES[case][2]
        kit.detached(got["value"][0], f"{case_call(case)}[0]", [kit.when("dtype", dtype=kit.dtype_text(dtype))])


@pytest.mark.task("4.4")
def test_losses_are_floats_one_per_step(outcome):
    for case in REGRESSION_CASES:
        got = check_regression(outcome, case)
        floats_list(got["value"][1], f"{case_call(case)}[1]")


@pytest.mark.task("4.4")
def test_leaves_x_y_and_a0_unchanged(outcome):
    for case in REGRESSION_CASES:
        got = check_regression(outcome, case)
        x, y, a0 = lesson_data(*REGRESSION_CASES[case][:3])
        for name, before in (("a0", a0), ("x", x), ("y", y)):
            kit.unchanged(got[name], before, name, case_call(case))


@pytest.mark.task("4.4")
def test_gradient_comes_from_autograd(outcome, forbidden_uses):
    for case in ("full_batch_float32", "minibatches_shorter_last"):
        got = check_regression(outcome, case)
        if not got["autograd"] and not forbidden_uses("autograd"):
            kit.fail("sgd_regression_no_autograd", advice="sgd_advice_use_autograd", call=case_call(case))


@pytest.mark.task("4.4")
def test_does_not_use_torch_optim(outcome, forbidden_uses):
    for case in REGRESSION_CASES:
        check_regression(outcome, case)
    if found := forbidden_uses("optimizers"):  # read from the source: nothing at run time can hide it
        kit.fail("forbidden_call", advice="advice_forbidden", call="train_linear_regression", forbidden=", ".join(found))


@pytest.mark.task("4.4", hidden=True)
def test_matches_recomputed_sgd_on_unseen_data(outcome):
    from grader.scenarios.hidden.sgd import HIDDEN_REGRESSION_CASES, hidden_regression_arguments

    for case, (_, _, dtype, kwargs, seed) in HIDDEN_REGRESSION_CASES.items():
        call = regression_call(kwargs, seed)
        conditions = [kit.when("dtype", dtype=kit.dtype_text(dtype))]
        got = regression_record(outcome, f"hidden_regression_{case}", call, conditions)
        arguments = dict(hidden_regression_arguments(case))
        expected = descent(arguments.pop("x"), arguments.pop("y"), arguments.pop("a0"), **arguments)
        check_regression_result(got["value"], expected, dtype, call, conditions, float32_precision(expected, dtype, call))


# A function's signature scenario, its contract and the contract's parameter names: a refused call is named by them.
SIGNATURES = {
    "mse": ("mse_signature", "mse", MSE_CONTRACT, MSE_ARGUMENTS),
    "minibatches": ("batches_signature", "minibatches", BATCHES_CONTRACT, ("n", "batch_size", "generator")),
    "SGD": ("sgd_signature", "SGD", SGD_CONTRACT, SGD_ARGUMENTS),
    "train_linear_regression": ("regression_signature", "train_linear_regression", REGRESSION_CONTRACT, REGRESSION_ARGUMENTS),
}
