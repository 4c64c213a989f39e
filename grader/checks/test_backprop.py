"""Checks for unit 2, backpropagation (`backprop.py`).

Every oracle here is autograd (`torch.autograd.grad` on `F.linear`,
`torch.sigmoid`, `F.cross_entropy`, a float64 copy of the model), run in the
grading process. Each task's main property is checked on plain inputs, then
on each family of inputs real callers pass (keyword calls, views, parameters
that require grad, one row, float32, logits near ±1000, a target without the
last class; for 2.1 models with buffers, in eval mode, stale gradients, a
second call, two models at once), with the family named as a condition when
it is the one that fails. Known mistakes (sum instead of mean, no max trick,
the wrong sigmoid derivative, eval mode, …) are named by replaying them.

The scenarios, and the inputs both sides share, are in `grader/scenarios/backprop.py`
(hidden ones in `grader/scenarios/hidden/backprop.py`, imported by the hidden checks alone).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.checks import kit
from grader.scenarios import families, load_unit
from grader.scenarios.backprop import (
    CROSS_ENTROPY_CASES,
    CROSS_ENTROPY_VIEWS,
    LARGE_SCALE,
    LAYER_CASES,
    LINEAR_CASES,
    LINEAR_LEAVES,
    LINEAR_VIEWS,
    MLP_CASES,
    MLP_LEAVES,
    MLP_VIEWS,
    SIGMOID_CASES,
    SIGMOID_VIEWS,
    TWO_MODELS,
    contract_batch,
    contract_model,
    cross_entropy_inputs,
    linear_inputs,
    mlp_inputs,
    sigmoid_inputs,
    stale_batch,
    stale_gradients,
    two_model_batches,
    with_family,
)

# The judge expects the outcomes of every scenario the task process runs, the
# hidden ones included: register them as `load_unit` does there (in the
# students' copy, which has no hidden module, that is the public ones alone).
load_unit("backprop")

# Every check of a family or of a side property (inputs untouched, result
# detached, no autograd, the container type) first requires the right result
# on the plain inputs: a trivial answer earns nothing, and a mistake that shows
# everywhere is reported once, not once per family.

# --- shared helpers -----------------------------------------------------------------


def code(text: Any) -> str:
    """Program text (an error message, a source line) as code, so that no language mistakes it for prose."""
    text = str(text).replace("`", "'").strip()
    return f"`{text}`" if text else text


def result_of(outcome, name: str, conditions: Sequence[kit.Condition] = (), advice: str | None = None) -> Any:
    """`outcome(name)`; if the call raised, the failure says under which conditions, with the error as code."""
    try:
        return outcome(name)
    except kit.CheckFailure as failure:
        key, params = failure.key, dict(failure.params)
        if "message" in params:
            params["message"] = code(params["message"])
        location = params.get("location")
        if isinstance(location, dict) and location.get("code"):
            params["location"] = {**location, "code": code(location["code"])}
        extra = tuple(conditions) if key == "raised" else ()
        if key == "raised" and any(condition.key == "cond_no_grad" for condition in conditions):
            key, extra = "raised_under_no_grad", tuple(c for c in conditions if c.key != "cond_no_grad")
            advice = "advice_chain_rule"
        chosen = advice if key in ("raised", "raised_under_no_grad") and advice else failure.advice
        raise kit.CheckFailure(key, advice=chosen, conditions=extra + failure.conditions, **params) from None


def code_name(name: str) -> str:
    """A parameter name that is also a word (`sample`, `weight`) is marked as code, so no language reads it as prose."""
    return f"`{name}`" if name.isalpha() and len(name) > 1 else name


def call_conditions(function: str, names: Sequence[str], style: str) -> list[kit.Condition]:
    if style not in ("keywords", "mixed"):
        return []
    return [kit.when("keywords", call=families.call_text(function, [(name, None) for name in names], style))]


def like(replay: torch.Tensor) -> Callable[[Any], bool]:
    """Does `got` match what a mistake computes (in the same dtype: a cast alone is not that mistake)?"""
    return lambda got: type(got) is torch.Tensor and got.dtype == replay.dtype and kit.close(got, replay)


def like_with_nan(replay: torch.Tensor) -> Callable[[Any], bool]:
    """Like `like`, for a mistake whose replay holds nan or inf: they must sit where the replay has them."""
    return lambda got: (
        type(got) is torch.Tensor
        and got.shape == replay.shape
        and torch.equal(torch.isnan(got), torch.isnan(replay))
        and kit.close(torch.nan_to_num(got.double()), torch.nan_to_num(replay.double()))
    )


def float32_precision(expected: torch.Tensor, what: str) -> list[kit.Mistake]:
    """For a float64 result: close only at float32's tolerance means part of it was computed in float32."""
    if expected.dtype != torch.float64:
        return []
    loose = kit.tolerance(torch.float32)
    matches = lambda got: type(got) is torch.Tensor and got.dtype == torch.float64 and kit.close(got, expected, rtol=loose.rtol, atol=loose.atol)  # noqa: E731
    return [kit.Mistake("backprop_float32_precision", matches, params={"what": what})]


def shaped(*shape: int) -> Callable[[Any], bool]:
    return lambda got: type(got) is torch.Tensor and tuple(got.shape) == shape


def not_finite(got: Any, expected: torch.Tensor, key: str, what: str, advice: str, **params: Any) -> list[kit.Mistake]:
    """A mistake for a result with nan or inf where every true value is finite (an overflow)."""
    if type(got) is not torch.Tensor or got.shape != expected.shape or not got.dtype.is_floating_point:
        return []
    bad = ~torch.isfinite(got)
    if not bool(bad.any()) or not bool(torch.isfinite(expected).all()):
        return []
    first = tuple(int(i) for i in bad.nonzero()[0].tolist())
    shown = {"what": what, "index": kit.index_text(first), "got": kit.number_text(got[first].item()), **params}
    return [kit.Mistake(key, lambda _: True, advice=advice, params=shown)]


def inputs_left_alone(record: dict, before: dict[str, torch.Tensor], call: str, conditions: Sequence[kit.Condition] = ()) -> None:
    """Every input keeps its values, its version counter and its requires_grad."""
    for name, tensor in before.items():
        view = record["inputs"][name]
        kit.unchanged(view["values"], tensor.detach(), code_name(name), call, conditions)
        if view["version"] != record["versions"][name]:
            kit.fail("backprop_input_written", advice="advice_copy_input", conditions=conditions, call=call, name=code_name(name))
        if view["requires_grad"] != tensor.requires_grad:
            kit.fail(
                "backprop_requires_grad_changed", advice="advice_copy_input", conditions=conditions, call=call,
                flag=f"{name}.requires_grad", got=str(view["requires_grad"]), expected=str(tensor.requires_grad),
            )  # fmt: skip


def no_autograd(used: Any, call: str) -> None:
    if used:
        kit.fail("forbidden_call", advice="advice_chain_rule", call=call, forbidden=f"autograd ({', '.join(map(str, used))})")


def grad64(output: torch.Tensor, leaves: list[torch.Tensor], grad_output: torch.Tensor | None = None) -> list[torch.Tensor]:
    with torch.enable_grad():
        return list(torch.autograd.grad(output, leaves, grad_output))


def leaves64(*tensors: torch.Tensor) -> list[torch.Tensor]:
    return [t.detach().double().requires_grad_(True) if t.dtype.is_floating_point else t for t in tensors]


def family_conditions(family: str, views: dict[str, str], leaves: Sequence[str], dtype: torch.dtype, names: Sequence[str], function: str) -> list[kit.Condition]:
    """The conditions of a by-hand case (2.2–2.5): how it was called, which input is a view or requires grad, float32."""
    found = call_conditions(function, names, family)
    if family == "no_grad":
        found.append(kit.when("no_grad"))
    if family in views:
        found.append(kit.when("strided" if family.startswith("strided") else "transposed", name=code_name(views[family])))
    if family == "leaf":
        if len(leaves) == 1:
            found.append(kit.when("requires_grad", name=code_name(leaves[0])))
        else:
            found.append(kit.when("backprop_parameters_require_grad", names=", ".join(map(code_name, leaves))))
    if dtype == torch.float32:
        found.append(kit.when("dtype", dtype="float32"))
    return found


# --- 2.1 layer_gradients --------------------------------------------------------------

LAYER_CALL = "layer_gradients(model, sample, target)"
LAYER_NAMES = ("model", "sample", "target")


def entry(key: str) -> str:
    """The subject for one gradient of the result, as code (a parameter name such as 0.weight is code too)."""
    return f'`{LAYER_CALL}["{key}"]`'


def layer_keys_are(got: Any, keys: list[str], conditions: Sequence[kit.Condition] = ()) -> None:
    """`got` is a dict with exactly the parameters' names; the names in the feedback are code."""
    try:
        kit.mapping(got, keys, LAYER_CALL, conditions)
    except kit.CheckFailure as failure:
        if failure.key != "wrong_keys":
            raise
        params = {name: value if value == "-" else ", ".join(f"`{key}`" for key in str(value).split(", ")) for name, value in failure.params.items() if name in ("missing", "extra")}
        raise kit.CheckFailure("wrong_keys", advice=failure.advice, conditions=failure.conditions, **{**failure.params, **params}) from None


def layer_gradients_of(model: nn.Module, sample: torch.Tensor, target: torch.Tensor, variant: str = "right") -> dict[str, torch.Tensor]:
    """Autograd on a float64 copy of the model (in the model's mode, or a mistaken one), cast back to its dtype."""
    copy64 = copy.deepcopy(model).double()
    if variant == "eval":
        copy64.eval()
    elif variant == "train":
        copy64.train()
    names, params = zip(*copy64.named_parameters(), strict=True)
    with torch.enable_grad():
        logits = copy64(sample.double())
        if variant == "softmax_first":
            logits = torch.softmax(logits, dim=1)
        loss = F.cross_entropy(logits, target)
    grads = grad64(loss, list(params))
    dtype = next(model.parameters()).dtype
    return {name: grad.to(dtype) for name, grad in zip(names, grads, strict=True)}


@kit.oracle
def layer_expected(make_model: Callable, make_batch: Callable, variant: str = "right") -> dict[str, torch.Tensor]:
    sample, target = make_batch()
    return layer_gradients_of(make_model(), sample, target, variant)


def has_buffers(model: nn.Module) -> bool:
    return any(True for _ in model.buffers())


def layer_mistakes(got: Any, want: torch.Tensor, key: str, make_model: Callable, make_batch: Callable) -> list[kit.Mistake]:
    """What known mistakes give for the gradient `key` (replayed only once `got` is found wrong)."""
    what = entry(key)
    model = make_model()
    n = len(make_batch()[1])
    mistakes = not_finite(got, want, "backprop_loss_not_finite", what, "advice_backprop_use_cross_entropy")
    mistakes.append(kit.Mistake("sum_instead_of_mean", like(n * want), advice="advice_backprop_mean_loss", params={"what": what, "n": n}))
    if has_buffers(model):
        mode, mistake = ("eval", "backprop_eval_mode") if model.training else ("train", "backprop_train_mode")
        replay = layer_expected(make_model, make_batch, mode)[key]
        mistakes.append(kit.Mistake(mistake, like(replay), advice="advice_backprop_keep_mode", params={"what": what}))
    replay = layer_expected(make_model, make_batch, "softmax_first")[key]
    mistakes.append(kit.Mistake("backprop_softmax_before_loss", like(replay), params={"what": what}))
    return mistakes + float32_precision(want, what)


def layer_gradients_are(
    got: Any, make_model: Callable, make_batch: Callable, conditions: Sequence[kit.Condition] = (), stale: dict | None = None
) -> dict:
    """`got` is `{name: gradient}` of every parameter, each equal to autograd's; known mistakes are named."""
    expected = layer_expected(make_model, make_batch)
    layer_keys_are(got, list(expected), conditions)
    for key, want in expected.items():
        what = entry(key)
        if stale is not None:
            # The message says where the old gradients came from: named without the condition it would repeat.
            stale_added = kit.Mistake("stale_gradients_added", like(want + stale[key]), advice="advice_zero_grad", params={"what": what})
            kit.diagnose(got[key], [stale_added], [c for c in conditions if c.key != "cond_backprop_stale_grads"])
        mistakes = lambda key=key, want=want: layer_mistakes(got[key], want, key, make_model, make_batch)  # noqa: E731
        kit.compare(got[key], want, what, mistakes=mistakes, conditions=conditions)
    return got


LAYER_CONDITIONS = {
    "sigmoid_model_float64": [kit.when("dtype", dtype="float64")],
    "batchnorm_in_training": [kit.when("buffers")],
    "batchnorm_in_eval_mode": [kit.when("buffers"), kit.when("backprop_eval_mode")],
    "transposed_sample": [kit.when("transposed", name=code_name("sample"))],
    "one_row": [kit.when("one_row", name=code_name("sample"))],
    "large_logits": [kit.when("magnitude", name="model(sample)", value=f"±{LARGE_SCALE:g}")],
}


def layer_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    return call_conditions("layer_gradients", LAYER_NAMES, spec[3]) + LAYER_CONDITIONS.get(case, [])


def layer_case_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    spec = spec or LAYER_CASES[case]
    conditions = layer_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    layer_gradients_are(record["result"], spec[0], spec[1], conditions)
    return record


def lesson_model() -> nn.Module:
    """The model of `contract_model_twice`."""
    return contract_model(2021)


def stale_model() -> nn.Module:
    """The model of `model_with_stale_gradients`, before its `.grad` is filled."""
    return contract_model(2023)


def contract_gradients_are_right(outcome) -> dict:
    record = result_of(outcome, "contract_model_twice")
    layer_gradients_are(record["result"], lesson_model, contract_batch)
    return record


def stale_case_is_right(outcome) -> dict:
    conditions = [kit.when("backprop_stale_grads")]
    record = result_of(outcome, "model_with_stale_gradients", conditions)
    layer_gradients_are(record["result"], stale_model, stale_batch, conditions, stale=stale_gradients(stale_model()))
    return record


@pytest.mark.task("2.1", weight=3)
def test_gradients_match_autograd(outcome):
    contract_gradients_are_right(outcome)


@pytest.mark.task("2.1")
def test_gradients_match_autograd_through_a_sigmoid_in_float64(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "sigmoid_model_float64")


@pytest.mark.task("2.1")
def test_old_gradients_are_cleared_before_backward(outcome):
    contract_gradients_are_right(outcome)
    stale_case_is_right(outcome)


@pytest.mark.task("2.1")
def test_second_call_gives_the_same_gradients(outcome):
    record = contract_gradients_are_right(outcome)
    expected = layer_expected(lesson_model, contract_batch)
    conditions = [kit.when("second_call")]
    second = record["second"]
    layer_keys_are(second, list(expected), conditions)
    for key, want in expected.items():
        # Old gradients adding up is the mistake this check is about: named without the condition, which it repeats.
        kit.diagnose(second[key], [kit.Mistake("grad_accumulates", like(2 * want), advice="advice_zero_grad", params={"call": LAYER_CALL})])
        kit.compare(second[key], want, entry(key), conditions=conditions)


def two_model_builder(turn: int) -> tuple[Callable, Callable]:
    seed = TWO_MODELS[turn][0]
    return (lambda: contract_model(seed)), (lambda: two_model_batches()[turn])


TWO_MODEL_BUILDERS = [two_model_builder(0), two_model_builder(1)]


@pytest.mark.task("2.1")
def test_two_models_alive_at_once_do_not_share_state(outcome):
    contract_gradients_are_right(outcome)
    conditions = [kit.when("two_instances", name="nn.Sequential")]
    record = result_of(outcome, "two_models", conditions)
    for got, turn in zip(record["results"], (0, 1, 0, 1), strict=True):
        layer_gradients_are(got, *TWO_MODEL_BUILDERS[turn], conditions)
    first, later = record["results"][0], record["first_later"]
    if type(later) is not dict or any(not kit.close(later.get(key), value, rtol=0.0, atol=0.0) for key, value in first.items()):
        kit.fail("backprop_result_reused", advice="advice_backprop_new_dict", conditions=conditions, call=LAYER_CALL)


@pytest.mark.task("2.1")
def test_model_with_buffers_in_training_mode(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "batchnorm_in_training")


@pytest.mark.task("2.1")
def test_model_in_eval_mode_stays_in_eval_mode(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "batchnorm_in_eval_mode")


@pytest.mark.task("2.1")
def test_layer_gradients_accepts_the_contract_parameter_names(outcome):
    contract_gradients_are_right(outcome)
    for case in ("layer_keywords", "layer_mixed"):
        layer_case_is_right(outcome, case)


@pytest.mark.task("2.1")
def test_layer_gradients_ignores_the_memory_layout_of_sample(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "transposed_sample")


@pytest.mark.task("2.1")
def test_layer_gradients_of_a_single_sample(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "one_row")


@pytest.mark.task("2.1")
def test_layer_gradients_stay_finite_for_logits_near_1000(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "large_logits")


@pytest.mark.task("2.1")
def test_results_are_detached_copies(outcome):
    contract_gradients_are_right(outcome)
    layer_case_is_right(outcome, "sigmoid_model_float64")
    for case in ("contract_model_twice", "sigmoid_model_float64"):
        record = outcome(case)
        if record["attached"]:
            kit.fail("not_detached", advice="advice_detach", what=entry(record["attached"][0]))
        if record["shared"]:
            kit.fail("gradient_not_copied", advice="advice_clone_grad", what=entry(record["shared"][0]))


@pytest.mark.task("2.1")
def test_parameters_mode_and_inputs_unchanged(outcome):
    checked = [
        (contract_gradients_are_right(outcome), lesson_model, contract_batch, []),
        (stale_case_is_right(outcome), stale_model, stale_batch, [kit.when("backprop_stale_grads")]),
    ]
    for case in ("batchnorm_in_training", "batchnorm_in_eval_mode"):
        checked.append((layer_case_is_right(outcome, case), *LAYER_CASES[case][:2], layer_conditions(case, LAYER_CASES[case])))
    for record, make_model, make_batch, conditions in checked:
        model = make_model()
        for name, before in model.named_parameters():
            after = record["parameters"].get(name)
            if type(after) is not torch.Tensor or after.shape != before.shape or not torch.equal(after, before.detach()):
                kit.fail("parameters_changed", advice="advice_read_only", conditions=conditions, call=LAYER_CALL, name=f"`{name}`")
        if record["training"] != record["training_before"]:
            kit.fail(
                "backprop_mode_changed", advice="advice_backprop_keep_mode", conditions=conditions, call=LAYER_CALL,
                got=str(record["training"]), expected=str(record["training_before"]),
            )  # fmt: skip
        sample, target = make_batch()
        kit.unchanged(record["sample"], sample, code_name("sample"), LAYER_CALL, conditions)
        kit.unchanged(record["target"], target, code_name("target"), LAYER_CALL, conditions)


@pytest.mark.task("2.1", weight=2, hidden=True)
def test_layer_gradients_of_an_unseen_model(outcome):
    from grader.scenarios.hidden.backprop import HIDDEN_LAYER_CASES

    contract_gradients_are_right(outcome)
    for case, spec in HIDDEN_LAYER_CASES.items():
        layer_case_is_right(outcome, case, spec)


# --- 2.2 linear_backward --------------------------------------------------------------

LINEAR_CALL = "linear_backward(x, weight, bias, grad_output)"
LINEAR_NAMES = ("x", "weight", "bias", "grad_output")


@kit.oracle
def linear_expected(spec: tuple) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    given = linear_inputs(spec)
    x, weight, bias = leaves64(given["x"], given["weight"], given["bias"])
    with torch.enable_grad():
        y = F.linear(x, weight, bias)
    grads = grad64(y, [x, weight, bias], given["grad_output"].double())
    return tuple(g.to(given["x"].dtype) for g in grads)


def linear_mistakes(spec: tuple, part: int, what: str) -> list[kit.Mistake]:
    n, _, fan_out, _, _, _ = spec
    expected = linear_expected(spec)[part]
    found = [kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": what}), *float32_precision(expected, what)]
    if part in (1, 2) and n > 1:
        found.append(kit.Mistake("batch_averaged", like(expected / n), advice="advice_sum_batch", params={"what": what, "n": n}))
    if part == 2:
        want = kit.shape_text((fan_out,))
        found += [
            kit.Mistake("backprop_bias_grad_not_summed", shaped(n, fan_out), advice="advice_sum_batch", params={"what": what, "got": kit.shape_text((n, fan_out)), "expected": want}),
            kit.Mistake("backprop_bias_grad_wrong_dim", shaped(n), advice="advice_sum_batch", params={"what": what, "got": kit.shape_text((n,)), "expected": want}),
            kit.Mistake("backprop_bias_grad_summed_all", shaped(), advice="advice_sum_batch", params={"what": what, "got": "()", "expected": want}),
        ]
    return found


def linear_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    found = family_conditions(spec[5], LINEAR_VIEWS, LINEAR_LEAVES, spec[4], LINEAR_NAMES, "linear_backward")
    if spec[0] == 1:
        found.append(kit.when("one_row", name="x"))
    return found


def linear_is_right(outcome, case: str, spec: tuple | None = None, parts: Sequence[int] = (0, 1, 2)) -> dict:
    spec = spec or LINEAR_CASES[case]
    conditions = linear_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    got = record["result"]
    kit.sequence(got, 3, LINEAR_CALL, kinds=(tuple, list), conditions=conditions)  # a list has its own check
    for part in parts:
        what = f"{LINEAR_CALL}[{part}]"
        kit.compare(got[part], linear_expected(spec)[part], what, mistakes=lambda part=part, what=what: linear_mistakes(spec, part, what), conditions=conditions)
    return record


@pytest.mark.task("2.2", weight=2)
def test_input_gradient_is_grad_output_times_weight(outcome):
    linear_is_right(outcome, "float64_batch", parts=[0])


@pytest.mark.task("2.2", weight=2)
def test_weight_gradient_is_grad_output_transposed_times_x(outcome):
    linear_is_right(outcome, "float64_batch", parts=[1])


@pytest.mark.task("2.2", weight=2)
def test_bias_gradient_sums_over_batch(outcome):
    linear_is_right(outcome, "float64_batch", parts=[2])


@pytest.mark.task("2.2")
def test_returns_a_tuple_of_three(outcome):
    record = linear_is_right(outcome, "float64_batch")
    kit.sequence(record["result"], 3, LINEAR_CALL)


@pytest.mark.task("2.2")
def test_float32_inputs_give_float32_gradients(outcome):
    linear_is_right(outcome, "float64_batch")
    linear_is_right(outcome, "float32_batch")


@pytest.mark.task("2.2")
def test_linear_backward_works_under_no_grad(outcome):
    linear_is_right(outcome, "float64_batch")
    linear_is_right(outcome, "linear_under_no_grad")


@pytest.mark.task("2.2")
def test_linear_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("float64_batch", "float32_batch"):
        no_autograd(linear_is_right(outcome, case)["autograd"], LINEAR_CALL)
    no_autograd(forbidden_uses("autograd"), LINEAR_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.2")
def test_linear_backward_leaves_inputs_unchanged(outcome):
    for case in ("float64_batch", "float32_batch", "linear_leaf_parameters"):
        spec = LINEAR_CASES[case]
        record = linear_is_right(outcome, case)
        before = with_family(linear_inputs(spec), spec[5], {}, LINEAR_LEAVES)
        inputs_left_alone(record, before, LINEAR_CALL, linear_conditions(case, spec))


@pytest.mark.task("2.2")
def test_linear_backward_results_are_detached(outcome):
    for case in ("float64_batch", "float32_batch"):
        record = linear_is_right(outcome, case)
        for part, value in enumerate(record["result"]):
            kit.detached(value, f"{LINEAR_CALL}[{part}]", linear_conditions(case, LINEAR_CASES[case]))


@pytest.mark.task("2.2")
def test_linear_backward_accepts_the_contract_parameter_names(outcome):
    linear_is_right(outcome, "float64_batch")
    for case in ("linear_keywords", "linear_mixed"):
        linear_is_right(outcome, case)


@pytest.mark.task("2.2")
def test_linear_backward_ignores_the_memory_layout(outcome):
    linear_is_right(outcome, "float64_batch")
    for case in ("linear_transposed_x", "linear_transposed_weight", "linear_strided_grad_output"):
        linear_is_right(outcome, case)


@pytest.mark.task("2.2")
def test_linear_backward_when_the_parameters_require_grad(outcome):
    linear_is_right(outcome, "float64_batch")
    linear_is_right(outcome, "linear_leaf_parameters")


@pytest.mark.task("2.2")
def test_linear_backward_of_a_single_row(outcome):
    linear_is_right(outcome, "float64_batch")
    linear_is_right(outcome, "linear_one_row")


@pytest.mark.task("2.2", weight=2, hidden=True)
def test_linear_backward_on_unseen_sizes(outcome):
    from grader.scenarios.hidden.backprop import HIDDEN_LINEAR_CASES

    linear_is_right(outcome, "float64_batch")
    for case, spec in HIDDEN_LINEAR_CASES.items():
        linear_is_right(outcome, case, spec)


# --- 2.3 sigmoid_backward -------------------------------------------------------------

SIGMOID_CALL = "sigmoid_backward(x, grad_output)"
SIGMOID_NAMES = ("x", "grad_output")


@kit.oracle
def sigmoid_expected(spec: tuple) -> torch.Tensor:
    given = sigmoid_inputs(spec)
    (x,) = leaves64(given["x"])
    with torch.enable_grad():
        y = torch.sigmoid(x)
    return grad64(y, [x], given["grad_output"].double())[0].to(given["x"].dtype)


def sigmoid_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    shape, _, dtype, family, large = spec
    found = family_conditions(family, SIGMOID_VIEWS, ("x",), dtype, SIGMOID_NAMES, "sigmoid_backward")
    if shape == ():
        found.append(kit.when("shape", name="x", shape="()"))
    if large:
        found.insert(0, kit.when("magnitude", name="x", value="±1000" if dtype == torch.float64 else "±100"))
    return found


def sigmoid_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    spec = spec or SIGMOID_CASES[case]
    conditions = sigmoid_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    got = record["result"]
    given = {name: value.double() for name, value in sigmoid_inputs(spec).items()}
    dtype = spec[2]
    expected = sigmoid_expected(spec)
    x, grad_output = given["x"], given["grad_output"]
    s = torch.sigmoid(x)
    mistakes = not_finite(got, expected, "backprop_sigmoid_overflow", SIGMOID_CALL, "advice_backprop_stable_sigmoid")
    mistakes += [
        kit.Mistake("sigmoid_derivative_wrong", like((grad_output * s).to(dtype)), advice="advice_sigmoid_derivative", params={"what": SIGMOID_CALL, "point": "x"}),
        kit.Mistake("sigmoid_of_output", like((grad_output * x * (1 - x)).to(dtype)), advice="advice_sigmoid_derivative", params={"what": SIGMOID_CALL}),
        kit.Mistake("grad_output_ignored", like((s * (1 - s)).to(dtype)), advice="advice_sigmoid_derivative", params={"what": SIGMOID_CALL}),
        kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": SIGMOID_CALL}),
        *float32_precision(expected, SIGMOID_CALL),
    ]  # fmt: skip
    kit.compare(got, expected, SIGMOID_CALL, mistakes=mistakes, conditions=conditions)
    return record


@pytest.mark.task("2.3", weight=2)
def test_sigmoid_backward_matches_autograd(outcome):
    sigmoid_is_right(outcome, "matrix_float64")


@pytest.mark.task("2.3")
def test_sigmoid_backward_any_shape_and_float32(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    for case in ("cube_float32", "sigmoid_zero_dim"):
        sigmoid_is_right(outcome, case)


@pytest.mark.task("2.3")
def test_sigmoid_backward_works_under_no_grad(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    sigmoid_is_right(outcome, "vector_under_no_grad")


@pytest.mark.task("2.3")
def test_sigmoid_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("matrix_float64", "cube_float32"):
        no_autograd(sigmoid_is_right(outcome, case)["autograd"], SIGMOID_CALL)
    no_autograd(forbidden_uses("autograd"), SIGMOID_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.3")
def test_sigmoid_backward_leaves_inputs_unchanged(outcome):
    for case in ("matrix_float64", "cube_float32", "sigmoid_leaf_x"):
        spec = SIGMOID_CASES[case]
        record = sigmoid_is_right(outcome, case)
        inputs_left_alone(record, with_family(sigmoid_inputs(spec), spec[3], {}, ("x",)), SIGMOID_CALL, sigmoid_conditions(case, spec))


@pytest.mark.task("2.3")
def test_sigmoid_backward_result_is_detached(outcome):
    for case in ("matrix_float64", "cube_float32"):
        kit.detached(sigmoid_is_right(outcome, case)["result"], SIGMOID_CALL, sigmoid_conditions(case, SIGMOID_CASES[case]))


@pytest.mark.task("2.3")
def test_sigmoid_backward_accepts_the_contract_parameter_names(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    for case in ("sigmoid_keywords", "sigmoid_mixed"):
        sigmoid_is_right(outcome, case)


@pytest.mark.task("2.3")
def test_sigmoid_backward_ignores_the_memory_layout(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    sigmoid_is_right(outcome, "sigmoid_transposed_x")


@pytest.mark.task("2.3")
def test_sigmoid_backward_when_x_requires_grad(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    sigmoid_is_right(outcome, "sigmoid_leaf_x")


@pytest.mark.task("2.3")
def test_sigmoid_backward_stays_finite_for_x_near_1000(outcome):
    sigmoid_is_right(outcome, "matrix_float64")
    for case in ("sigmoid_large_float64", "sigmoid_large_float32"):
        sigmoid_is_right(outcome, case)


@pytest.mark.task("2.3", weight=2, hidden=True)
def test_sigmoid_backward_on_unseen_shapes(outcome):
    from grader.scenarios.hidden.backprop import HIDDEN_SIGMOID_CASES

    sigmoid_is_right(outcome, "matrix_float64")
    for case, spec in HIDDEN_SIGMOID_CASES.items():
        sigmoid_is_right(outcome, case, spec)


# --- 2.4 cross_entropy_backward -------------------------------------------------------

CROSS_ENTROPY_CALL = "cross_entropy_backward(logits, target)"
CROSS_ENTROPY_NAMES = ("logits", "target")


@kit.oracle
def cross_entropy_expected(spec: tuple) -> torch.Tensor:
    given = cross_entropy_inputs(spec)
    (logits,) = leaves64(given["logits"])
    with torch.enable_grad():
        loss = F.cross_entropy(logits, given["target"])
    return grad64(loss, [logits])[0].to(given["logits"].dtype)


def softmax_without_max(z: torch.Tensor, shift: torch.Tensor | float = 0.0) -> torch.Tensor:
    exp = torch.exp(z - shift)
    return exp / exp.sum(dim=1, keepdim=True)


def cross_entropy_mistakes(got: Any, spec: tuple, what: str) -> list[kit.Mistake]:
    given = cross_entropy_inputs(spec)
    dtype, target = given["logits"].dtype, given["target"]
    expected = cross_entropy_expected(spec)
    z = given["logits"]
    n, classes = z.shape
    one_hot = F.one_hot(target, classes).to(dtype)
    found = not_finite(got, expected, "backprop_no_max_trick", what, "advice_backprop_max_trick")
    if found:  # nan or inf: one maximum for the whole batch, or none at all
        global_max = (softmax_without_max(z, z.max()) - one_hot) / n
        found.insert(0, kit.Mistake("backprop_global_max", like_with_nan(global_max), advice="advice_backprop_max_trick", params=found[0].params))
    found += [
        kit.Mistake("sum_instead_of_mean", like(expected * n), advice="advice_backprop_mean_loss", params={"what": what, "n": n}),
        kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": what}),
        kit.Mistake("backprop_softmax_forgotten", like((z - one_hot) / n), advice="advice_backprop_softmax", params={"what": what}),
        kit.Mistake("backprop_softmax_forgotten", like(z - one_hot), advice="advice_backprop_softmax", params={"what": what}),
        kit.Mistake("backprop_softmax_wrong_dim", like((torch.softmax(z, 0) - one_hot) / n), advice="advice_backprop_softmax", params={"what": what}),
        kit.Mistake("backprop_softmax_wrong_dim", like(torch.softmax(z, 0) - one_hot), advice="advice_backprop_softmax", params={"what": what}),
        kit.Mistake("backprop_one_hot_forgotten", like(torch.softmax(z, 1) / n), advice="advice_backprop_softmax", params={"what": what}),
        *float32_precision(expected, what),
    ]
    if n != classes:
        found.append(kit.Mistake("backprop_divided_by_classes", like(expected * n / classes), advice="advice_backprop_mean_loss", params={"what": what, "n": n, "classes": classes}))
    return found


def cross_entropy_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    n, classes, _, dtype, family, kind = spec
    found = family_conditions(family, CROSS_ENTROPY_VIEWS, ("logits",), dtype, CROSS_ENTROPY_NAMES, "cross_entropy_backward")
    if n == 1:
        found.append(kit.when("one_row", name=code_name("logits")))
    if kind == "missing_class":
        found.append(kit.when("backprop_missing_class", last=classes - 1))
    if kind == "large":
        found.insert(0, kit.when("magnitude", name=code_name("logits"), value="±1000" if dtype == torch.float64 else "±100"))
    return found


def cross_entropy_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    spec = spec or CROSS_ENTROPY_CASES[case]
    conditions = cross_entropy_conditions(case, spec)
    advice = "advice_backprop_num_classes" if spec[5] == "missing_class" else None
    record = result_of(outcome, case, conditions, advice=advice)
    got = record["result"]
    kit.compare(
        got, cross_entropy_expected(spec), CROSS_ENTROPY_CALL, mistakes=lambda: cross_entropy_mistakes(got, spec, CROSS_ENTROPY_CALL), conditions=conditions
    )
    return record


@pytest.mark.task("2.4", weight=2)
def test_matches_autograd_of_mean_cross_entropy(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_other_sizes_and_float32(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "eight_by_four_float32")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_works_under_no_grad(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "cross_entropy_under_no_grad")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("five_by_three_float64", "eight_by_four_float32"):
        no_autograd(cross_entropy_is_right(outcome, case)["autograd"], CROSS_ENTROPY_CALL)
    no_autograd(forbidden_uses("autograd"), CROSS_ENTROPY_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.4")
def test_cross_entropy_backward_leaves_inputs_unchanged(outcome):
    for case in ("five_by_three_float64", "eight_by_four_float32", "cross_entropy_leaf_logits"):
        spec = CROSS_ENTROPY_CASES[case]
        record = cross_entropy_is_right(outcome, case)
        before = with_family(cross_entropy_inputs(spec), spec[4], {}, ("logits",))
        inputs_left_alone(record, before, CROSS_ENTROPY_CALL, cross_entropy_conditions(case, spec))


@pytest.mark.task("2.4")
def test_cross_entropy_backward_result_is_detached(outcome):
    for case in ("five_by_three_float64", "eight_by_four_float32"):
        record = cross_entropy_is_right(outcome, case)
        kit.detached(record["result"], CROSS_ENTROPY_CALL, cross_entropy_conditions(case, CROSS_ENTROPY_CASES[case]))


@pytest.mark.task("2.4")
def test_cross_entropy_backward_accepts_the_contract_parameter_names(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    for case in ("cross_entropy_keywords", "cross_entropy_mixed"):
        cross_entropy_is_right(outcome, case)


@pytest.mark.task("2.4")
def test_cross_entropy_backward_ignores_the_memory_layout(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "cross_entropy_transposed_logits")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_when_logits_require_grad(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "cross_entropy_leaf_logits")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_of_a_single_row(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "cross_entropy_one_row")


@pytest.mark.task("2.4")
def test_target_holds_class_indices_even_without_the_last_class(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    cross_entropy_is_right(outcome, "cross_entropy_missing_class")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_stays_finite_for_logits_near_1000(outcome):
    cross_entropy_is_right(outcome, "five_by_three_float64")
    for case in ("cross_entropy_large_float64", "cross_entropy_large_float32"):
        cross_entropy_is_right(outcome, case)


@pytest.mark.task("2.4", weight=2, hidden=True)
def test_cross_entropy_backward_on_unseen_sizes(outcome):
    from grader.scenarios.hidden.backprop import HIDDEN_CROSS_ENTROPY_CASES

    cross_entropy_is_right(outcome, "five_by_three_float64")
    for case, spec in HIDDEN_CROSS_ENTROPY_CASES.items():
        cross_entropy_is_right(outcome, case, spec)


# --- 2.5 mlp_backward -----------------------------------------------------------------

MLP_CALL = "mlp_backward(x, target, w1, b1, w2, b2)"
MLP_KEYS = ["w1", "b1", "w2", "b2"]


@kit.oracle
def mlp_expected(spec: tuple) -> dict[str, torch.Tensor]:
    given = mlp_inputs(spec)
    x, w1, b1, w2, b2 = leaves64(given["x"], given["w1"], given["b1"], given["w2"], given["b2"])
    with torch.enable_grad():
        loss = F.cross_entropy(F.linear(torch.sigmoid(F.linear(x, w1, b1)), w2, b2), given["target"])
    grads = grad64(loss, [w1, b1, w2, b2])
    return {key: grad.to(given["x"].dtype) for key, grad in zip(MLP_KEYS, grads, strict=True)}


@kit.oracle
def mlp_by_hand(spec: tuple, derivative: str = "s(1-s)", layer2_input: str = "h") -> dict[str, torch.Tensor]:
    """The network's gradients written out, with a switch for known mistakes (float64, cast back)."""
    dtype = spec[5]
    given = {key: value.double() if value.dtype.is_floating_point else value for key, value in mlp_inputs(spec).items()}
    x, target, w1, b1, w2, b2 = given.values()
    a = x @ w1.T + b1
    h = torch.sigmoid(a)
    z = h @ w2.T + b2
    grad_z = (torch.softmax(z, 1) - F.one_hot(target, z.shape[1]).double()) / len(x)
    grad_h = grad_z @ w2
    local = {
        "s(1-s)": h * (1 - h),
        "s": h,
        "none": torch.ones_like(h),
        "at h": torch.sigmoid(h) * (1 - torch.sigmoid(h)),
    }[derivative]
    grad_a = grad_h * local
    second_input = h if layer2_input == "h" else a
    found = {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_z.T @ second_input, "b2": grad_z.sum(0)}
    return {key: value.to(dtype) for key, value in found.items()}


def mlp_mistakes(got: Any, spec: tuple, key: str, what: str) -> list[kit.Mistake]:
    n, kind = spec[0], spec[7]
    expected = mlp_expected(spec)[key]
    found = []
    if kind == "large_pre_activation":
        found += not_finite(got, expected, "backprop_sigmoid_overflow", what, "advice_backprop_stable_sigmoid")
    else:
        found += not_finite(got, expected, "backprop_no_max_trick", what, "advice_backprop_max_trick")
    found += [
        kit.Mistake("sum_instead_of_mean", like(expected * n), advice="advice_backprop_mean_loss", params={"what": what, "n": n}),
        kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": what}),
        *float32_precision(expected, what),
    ]
    if key in ("w1", "b1"):
        found += [
            kit.Mistake("sigmoid_derivative_wrong", like(mlp_by_hand(spec, derivative="s")[key]), advice="advice_sigmoid_derivative", params={"what": what, "point": "a"}),
            kit.Mistake("sigmoid_derivative_missing", like(mlp_by_hand(spec, derivative="none")[key]), advice="advice_sigmoid_derivative", params={"what": what}),
            kit.Mistake("sigmoid_backward_at_output", like(mlp_by_hand(spec, derivative="at h")[key]), advice="advice_sigmoid_derivative", params={"what": what}),
        ]  # fmt: skip
    if key == "w2":
        found.append(kit.Mistake("second_layer_input_wrong", like(mlp_by_hand(spec, layer2_input="a")[key]), params={"what": what}))
    return found


def mlp_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    n, _, _, classes, _, dtype, family, kind = spec
    found = family_conditions(family, MLP_VIEWS, MLP_LEAVES, dtype, MLP_NAMES, "mlp_backward")
    if n == 1:
        found.append(kit.when("one_row", name="x"))
    if kind == "missing_class":
        found.append(kit.when("backprop_missing_class", last=classes - 1))
    if kind == "large_logits":
        found.insert(0, kit.when("magnitude", name=code_name("logits"), value="±1000"))
    if kind == "large_pre_activation":
        found.insert(0, kit.when("magnitude", name="x @ w1.T + b1", value="±1000"))
    return found


MLP_NAMES = ("x", "target", "w1", "b1", "w2", "b2")


def mlp_is_right(outcome, case: str, spec: tuple | None = None, keys: Sequence[str] = MLP_KEYS) -> dict:
    spec = spec or MLP_CASES[case]
    conditions = mlp_conditions(case, spec)
    advice = "advice_backprop_num_classes" if spec[7] == "missing_class" else None
    record = result_of(outcome, case, conditions, advice=advice)
    got = record["result"]
    kit.mapping(got, MLP_KEYS, MLP_CALL, conditions)
    for key in keys:
        what = f'{MLP_CALL}["{key}"]'
        kit.compare(got[key], mlp_expected(spec)[key], what, mistakes=lambda key=key, what=what: mlp_mistakes(got[key], spec, key, what), conditions=conditions)
    return record


@pytest.mark.task("2.5", weight=2)
def test_second_layer_gradients_match_autograd(outcome):
    mlp_is_right(outcome, "six_samples_float64", keys=["w2", "b2"])


@pytest.mark.task("2.5", weight=2)
def test_first_layer_gradients_go_through_the_sigmoid(outcome):
    mlp_is_right(outcome, "six_samples_float64", keys=["w1", "b1"])


@pytest.mark.task("2.5")
def test_mlp_backward_other_sizes_and_float32(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "eight_samples_float32")


@pytest.mark.task("2.5")
def test_mlp_backward_works_under_no_grad(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_under_no_grad")


@pytest.mark.task("2.5")
def test_mlp_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("six_samples_float64", "eight_samples_float32"):
        no_autograd(mlp_is_right(outcome, case)["autograd"], MLP_CALL)
    no_autograd(forbidden_uses("autograd"), MLP_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.5")
def test_mlp_backward_leaves_inputs_unchanged(outcome):
    for case in ("six_samples_float64", "eight_samples_float32", "mlp_leaf_parameters"):
        spec = MLP_CASES[case]
        record = mlp_is_right(outcome, case)
        inputs_left_alone(record, with_family(mlp_inputs(spec), spec[6], {}, MLP_LEAVES), MLP_CALL, mlp_conditions(case, spec))


@pytest.mark.task("2.5")
def test_mlp_backward_results_are_detached(outcome):
    for case in ("six_samples_float64", "eight_samples_float32"):
        record = mlp_is_right(outcome, case)
        for key in MLP_KEYS:
            kit.detached(record["result"][key], f'{MLP_CALL}["{key}"]', mlp_conditions(case, MLP_CASES[case]))


@pytest.mark.task("2.5")
def test_mlp_backward_accepts_the_contract_parameter_names(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    for case in ("mlp_keywords", "mlp_mixed"):
        mlp_is_right(outcome, case)


@pytest.mark.task("2.5")
def test_mlp_backward_ignores_the_memory_layout(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    for case in ("mlp_transposed_x", "mlp_transposed_w1"):
        mlp_is_right(outcome, case)


@pytest.mark.task("2.5")
def test_mlp_backward_when_the_parameters_require_grad(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_leaf_parameters")


@pytest.mark.task("2.5")
def test_mlp_backward_of_a_single_row(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_one_row")


@pytest.mark.task("2.5")
def test_mlp_backward_without_the_last_class_in_target(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_missing_class")


@pytest.mark.task("2.5")
def test_mlp_backward_stays_finite_for_logits_near_1000(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_large_logits")


@pytest.mark.task("2.5")
def test_mlp_backward_stays_finite_for_pre_activations_near_1000(outcome):
    mlp_is_right(outcome, "six_samples_float64")
    mlp_is_right(outcome, "mlp_large_pre_activation")


@pytest.mark.task("2.5", weight=2, hidden=True)
def test_mlp_backward_on_unseen_sizes(outcome):
    from grader.scenarios.hidden.backprop import HIDDEN_MLP_CASES

    mlp_is_right(outcome, "six_samples_float64")
    for case, spec in HIDDEN_MLP_CASES.items():
        mlp_is_right(outcome, case, spec)
