"""Checks for unit 2, backpropagation (`backprop.py`).

Every oracle here is autograd (`torch.autograd.grad` on `F.linear`,
`torch.sigmoid`, `F.cross_entropy`), run in float64 in the grading process.
When a comparison fails, a few hand-written models of known mistakes (sum
instead of mean, a missing softmax, the wrong sigmoid derivative, ...) are
tried so that the feedback can name the mistake instead of an index.

The scenarios, and the inputs both sides share, are in `grader/scenarios/backprop.py`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader import expect
from grader.expect import CheckFailure
from grader.scenarios.backprop import (
    LINEAR_CASES,
    MLP_CASES,
    contract_batch,
    contract_model,
    cross_entropy_inputs,
    linear_inputs,
    mlp_inputs,
    sigmoid_batch,
    sigmoid_inputs,
    sigmoid_model,
    stale_batch,
    stale_gradients,
)

# Every check of a side property (inputs untouched, result detached, no
# autograd, the exact container type, a repeatable call) first requires the
# right result for the scenarios it inspects, so that a trivial answer earns nothing.

F64 = {"rtol": 1e-7, "atol": 1e-10}
F32 = {"rtol": 1e-4, "atol": 1e-6}

Suspect = tuple[Callable[[torch.Tensor], bool], CheckFailure]


# --- shared helpers -----------------------------------------------------------------


def close(got: Any, candidate: torch.Tensor, tolerance: dict[str, float]) -> bool:
    return (
        type(got) is torch.Tensor
        and tuple(got.shape) == tuple(candidate.shape)
        and got.dtype.is_floating_point
        and bool(torch.allclose(got.double(), candidate.double(), **tolerance))
    )


def like(candidate: torch.Tensor, tolerance: dict[str, float]) -> Callable[[Any], bool]:
    return lambda got: close(got, candidate, tolerance)


def shaped(*shape: int) -> Callable[[Any], bool]:
    return lambda got: type(got) is torch.Tensor and tuple(got.shape) == shape


def compare(got: Any, expected: torch.Tensor, what: str, tolerance: dict[str, float], suspects: list[Suspect] = ()) -> None:
    """`expect.tensor`, but a wrong shape or wrong values that match a known mistake name it."""
    try:
        expect.tensor(got, expected, what, **tolerance)
    except CheckFailure as failure:
        if failure.key in ("wrong_values", "wrong_shape", "transposed_shape"):
            for matches, named in suspects:
                if matches(got):
                    raise named from None
        raise


def entries(got: Any, keys: list[str], what: str) -> dict[str, Any]:
    expect.mapping(got, keys, what)
    return got


def as_triple(got: Any, what: str) -> tuple[Any, Any, Any]:
    """Values checks accept a list too: the tuple type has its own check."""
    expect.sequence(got, 3, what, kinds=(tuple, list))
    return tuple(got)


def outcome_under_no_grad(outcome, name: str) -> Any:
    """The outcome of a scenario that called the function under `torch.no_grad()`."""
    try:
        return outcome(name)
    except CheckFailure as failure:
        if failure.key == "raised":
            raise CheckFailure("raised_under_no_grad", advice="advice_chain_rule", **failure.params) from None
        raise


def no_autograd(used: Any, call: str) -> None:
    if used:
        expect.fail("forbidden_call", advice="advice_chain_rule", call=call, forbidden=f"autograd ({', '.join(map(str, used))})")


def grad_double(output: torch.Tensor, leaves: list[torch.Tensor], grad_output: torch.Tensor | None = None) -> list[torch.Tensor]:
    with torch.enable_grad():
        return list(torch.autograd.grad(output, leaves, grad_output))


def leaves64(*tensors: torch.Tensor) -> list[torch.Tensor]:
    return [t.detach().double().requires_grad_(True) if t.dtype.is_floating_point else t for t in tensors]


# --- 2.1 layer_gradients --------------------------------------------------------------

LAYER_CALL = "layer_gradients(model, sample, target)"
CONTRACT_KEYS = ["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]


def layer_gradients_oracle(model: nn.Module, sample: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
    """Autograd on a float64 copy of the model, cast back to the model's dtype."""
    copy64 = copy.deepcopy(model).double()
    names, params = zip(*copy64.named_parameters(), strict=True)
    with torch.enable_grad():
        loss = F.cross_entropy(copy64(sample.double()), target)
    grads = grad_double(loss, list(params))
    dtype = next(model.parameters()).dtype
    return {name: grad.to(dtype) for name, grad in zip(names, grads, strict=True)}


def compare_layer_gradients(got: Any, expected: dict[str, torch.Tensor], n: int, tolerance, stale=None) -> None:
    got = entries(got, list(expected), LAYER_CALL)
    for name, want in expected.items():
        what = f'{LAYER_CALL}["{name}"]'
        suspects: list[Suspect] = [
            (like(want * n, tolerance), CheckFailure("sum_instead_of_mean", advice="advice_mean_loss", what=what, n=n)),
        ]
        if stale is not None:
            old = stale[name]
            suspects.append((like(want + old, tolerance), CheckFailure("stale_gradients_added", advice="advice_zero_grad", what=what)))
        compare(got[name], want, what, tolerance, suspects)


def contract_gradients_are_right(outcome) -> None:
    got = outcome("contract_model_twice")["first"]
    sample, target = contract_batch()
    expected = layer_gradients_oracle(contract_model(2021), sample, target)
    compare_layer_gradients(got, expected, len(target), F32)


def sigmoid_model_gradients_are_right(outcome) -> None:
    got = outcome("sigmoid_model_float64")["result"]
    sample, target = sigmoid_batch()
    expected = layer_gradients_oracle(sigmoid_model(2022), sample, target)
    compare_layer_gradients(got, expected, len(target), F64)


@pytest.mark.task("2.1", weight=2)
def test_gradients_match_autograd(outcome):
    contract_gradients_are_right(outcome)


@pytest.mark.task("2.1", weight=2)
def test_gradients_match_autograd_through_a_sigmoid_in_float64(outcome):
    sigmoid_model_gradients_are_right(outcome)


@pytest.mark.task("2.1")
def test_old_gradients_are_cleared_before_backward(outcome):
    got = outcome("model_with_stale_gradients")["result"]
    sample, target = stale_batch()
    model = contract_model(2023)
    expected = layer_gradients_oracle(model, sample, target)
    compare_layer_gradients(got, expected, len(target), F32, stale=stale_gradients(model))


@pytest.mark.task("2.1")
def test_second_call_gives_the_same_gradients(outcome):
    contract_gradients_are_right(outcome)
    got = outcome("contract_model_twice")
    first = entries(got["first"], CONTRACT_KEYS, LAYER_CALL)
    second = entries(got["second"], CONTRACT_KEYS, LAYER_CALL + " (second call)")
    for name, value in first.items():
        expect.is_tensor(value, f'{LAYER_CALL}["{name}"]')
        if close(second[name], value, F32):
            continue
        if close(second[name], 2 * value, F32):
            expect.fail("grad_accumulates", advice="advice_zero_grad", call=LAYER_CALL)
        expect.fail("second_call_differs", call=LAYER_CALL, name=name)


@pytest.mark.task("2.1")
def test_results_are_detached_copies(outcome):
    contract_gradients_are_right(outcome)
    sigmoid_model_gradients_are_right(outcome)
    for name in ("contract_model_twice", "sigmoid_model_float64"):
        got = outcome(name)
        result = got["second" if "second" in got else "result"]
        if type(result) is not dict:
            expect.fail("wrong_type", what=LAYER_CALL, expected="dict", got=expect.describe(result))
        for key, value in result.items():
            expect.detached(value, f'{LAYER_CALL}["{key}"]')
        if got["shared"]:
            expect.fail("gradient_not_copied", advice="advice_clone_grad", what=f'{LAYER_CALL}["{got["shared"][0]}"]')


@pytest.mark.task("2.1")
def test_parameters_and_inputs_unchanged(outcome):
    contract_gradients_are_right(outcome)
    sigmoid_model_gradients_are_right(outcome)
    for name, model, (sample, target) in (
        ("contract_model_twice", contract_model(2021), contract_batch()),
        ("sigmoid_model_float64", sigmoid_model(2022), sigmoid_batch()),
        ("model_with_stale_gradients", contract_model(2023), stale_batch()),
    ):
        got = outcome(name)
        for key, before in model.state_dict().items():
            after = got["state"].get(key)
            if type(after) is not torch.Tensor or after.shape != before.shape or not torch.equal(after, before):
                expect.fail("parameters_changed", advice="advice_read_only", call=LAYER_CALL, name=key)
        expect.unchanged(got["sample"], sample, "sample", LAYER_CALL)
        expect.unchanged(got["target"], target, "target", LAYER_CALL)


# --- 2.2 linear_backward --------------------------------------------------------------

LINEAR_CALL = "linear_backward(x, weight, bias, grad_output)"


def linear_oracle(case: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    given = linear_inputs(case)
    x, weight, bias = leaves64(given["x"], given["weight"], given["bias"])
    with torch.enable_grad():
        y = F.linear(x, weight, bias)
    grads = grad_double(y, [x, weight, bias], given["grad_output"].double())
    return tuple(g.to(given["x"].dtype) for g in grads)


def linear_suspects(case: str, part: int, what: str, tolerance) -> list[Suspect]:
    n, _, fan_out, _, _ = LINEAR_CASES[case]
    expected = linear_oracle(case)[part]
    suspects: list[Suspect] = []
    if part in (1, 2):
        suspects.append((like(expected / n, tolerance), CheckFailure("batch_averaged", advice="advice_sum_batch", what=what, n=n)))
    if part == 2:
        want = expect.shape_text((fan_out,))
        suspects += [
            (shaped(n, fan_out), CheckFailure("bias_grad_not_summed", advice="advice_sum_batch", what=what, got=expect.shape_text((n, fan_out)), expected=want)),
            (shaped(n), CheckFailure("bias_grad_wrong_dim", advice="advice_sum_batch", what=what, got=expect.shape_text((n,)), expected=want)),
            (shaped(), CheckFailure("bias_grad_summed_all", advice="advice_sum_batch", what=what, got="()", expected=want)),
            (shaped(1), CheckFailure("bias_grad_summed_all", advice="advice_sum_batch", what=what, got="(1,)", expected=want)),
        ]
    return suspects


LINEAR_PARTS = ("grad_x", "grad_weight", "grad_bias")


def check_linear_part(outcome, case: str, part: int) -> None:
    got = as_triple(outcome(case)["result"], LINEAR_CALL)
    what = f"{LINEAR_PARTS[part]} from {LINEAR_CALL}"
    tolerance = F64 if LINEAR_CASES[case][4] == torch.float64 else F32
    compare(got[part], linear_oracle(case)[part], what, tolerance, linear_suspects(case, part, what, tolerance))


def linear_is_right(outcome, case: str) -> None:
    for part in range(3):
        check_linear_part(outcome, case, part)


@pytest.mark.task("2.2", weight=2)
def test_input_gradient_is_grad_output_times_weight(outcome):
    check_linear_part(outcome, "float64_batch", 0)


@pytest.mark.task("2.2", weight=2)
def test_weight_gradient_is_grad_output_transposed_times_x(outcome):
    check_linear_part(outcome, "float64_batch", 1)


@pytest.mark.task("2.2", weight=2)
def test_bias_gradient_sums_over_batch(outcome):
    check_linear_part(outcome, "float64_batch", 2)


@pytest.mark.task("2.2")
def test_returns_a_tuple_of_three(outcome):
    linear_is_right(outcome, "float64_batch")
    expect.sequence(outcome("float64_batch")["result"], 3, LINEAR_CALL)


@pytest.mark.task("2.2")
def test_float32_inputs_give_float32_gradients(outcome):
    linear_is_right(outcome, "float32_batch")


@pytest.mark.task("2.2")
def test_linear_backward_works_under_no_grad(outcome):
    outcome_under_no_grad(outcome, "linear_under_no_grad")
    linear_is_right(outcome, "linear_under_no_grad")


@pytest.mark.task("2.2")
def test_linear_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("float64_batch", "float32_batch"):
        linear_is_right(outcome, case)
        no_autograd(outcome(case)["autograd"], LINEAR_CALL)
    no_autograd(forbidden_uses("autograd"), LINEAR_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.2")
def test_linear_backward_leaves_inputs_unchanged(outcome):
    for case in ("float64_batch", "float32_batch"):
        linear_is_right(outcome, case)
        after = outcome(case)["inputs"]
        for name, before in linear_inputs(case).items():
            expect.unchanged(after[name], before, name, LINEAR_CALL)


@pytest.mark.task("2.2")
def test_linear_backward_results_are_detached(outcome):
    for case in ("float64_batch", "float32_batch"):
        linear_is_right(outcome, case)
        got = as_triple(outcome(case)["result"], LINEAR_CALL)
        for part, value in zip(LINEAR_PARTS, got, strict=True):
            expect.detached(value, f"{part} from {LINEAR_CALL}")


# --- 2.3 sigmoid_backward -------------------------------------------------------------

SIGMOID_CALL = "sigmoid_backward(x, grad_output)"


def check_sigmoid(outcome, case: str) -> None:
    got = outcome(case)["result"]
    given = sigmoid_inputs(case)
    dtype = given["x"].dtype
    (x,) = leaves64(given["x"])
    grad_output = given["grad_output"].double()
    with torch.enable_grad():
        y = torch.sigmoid(x)
    expected = grad_double(y, [x], grad_output)[0].to(dtype)
    s, plain_x = torch.sigmoid(x.detach()), x.detach()
    tolerance = F64 if dtype == torch.float64 else F32
    what = f"{SIGMOID_CALL} for x of shape {expect.shape_text(x.shape)}"
    compare(got, expected, what, tolerance, [
        (like(grad_output * s, tolerance), CheckFailure("sigmoid_derivative_wrong", advice="advice_sigmoid_derivative", what=what, point="x")),
        (like(grad_output * plain_x * (1 - plain_x), tolerance), CheckFailure("sigmoid_of_output", advice="advice_sigmoid_derivative", what=what)),
        (like(s * (1 - s), tolerance), CheckFailure("grad_output_ignored", advice="advice_sigmoid_derivative", what=what)),
        (like(-expected, tolerance), CheckFailure("gradient_sign_flipped", what=what)),
    ])


@pytest.mark.task("2.3", weight=2)
def test_sigmoid_backward_matches_autograd(outcome):
    check_sigmoid(outcome, "matrix_float64")


@pytest.mark.task("2.3")
def test_sigmoid_backward_any_shape_and_float32(outcome):
    check_sigmoid(outcome, "cube_float32")


@pytest.mark.task("2.3")
def test_sigmoid_backward_works_under_no_grad(outcome):
    outcome_under_no_grad(outcome, "vector_under_no_grad")
    check_sigmoid(outcome, "vector_under_no_grad")


@pytest.mark.task("2.3")
def test_sigmoid_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("matrix_float64", "cube_float32"):
        check_sigmoid(outcome, case)
        no_autograd(outcome(case)["autograd"], SIGMOID_CALL)
    no_autograd(forbidden_uses("autograd"), SIGMOID_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.3")
def test_sigmoid_backward_leaves_inputs_unchanged(outcome):
    for case in ("matrix_float64", "cube_float32"):
        check_sigmoid(outcome, case)
        after = outcome(case)["inputs"]
        for name, before in sigmoid_inputs(case).items():
            expect.unchanged(after[name], before, name, SIGMOID_CALL)


@pytest.mark.task("2.3")
def test_sigmoid_backward_result_is_detached(outcome):
    for case in ("matrix_float64", "cube_float32"):
        check_sigmoid(outcome, case)
        expect.detached(outcome(case)["result"], SIGMOID_CALL)


# --- 2.4 cross_entropy_backward -------------------------------------------------------

CROSS_ENTROPY_CALL = "cross_entropy_backward(logits, target)"


def check_cross_entropy(outcome, case: str) -> None:
    got = outcome(case)["result"]
    given = cross_entropy_inputs(case)
    dtype, target = given["logits"].dtype, given["target"]
    (logits,) = leaves64(given["logits"])
    with torch.enable_grad():
        loss = F.cross_entropy(logits, target)
    expected = grad_double(loss, [logits])[0].to(dtype)
    z = logits.detach()
    n, classes = z.shape
    one_hot = F.one_hot(target, classes).double()
    tolerance = F64 if dtype == torch.float64 else F32
    what = f"{CROSS_ENTROPY_CALL} for logits of shape {expect.shape_text(z.shape)}"
    compare(got, expected, what, tolerance, [
        (like(expected * n, tolerance), CheckFailure("sum_instead_of_mean", advice="advice_mean_loss", what=what, n=n)),
        (like(-expected, tolerance), CheckFailure("gradient_sign_flipped", what=what)),
        (like((z - one_hot) / n, tolerance), CheckFailure("softmax_forgotten", advice="advice_softmax", what=what)),
        (like(z - one_hot, tolerance), CheckFailure("softmax_forgotten", advice="advice_softmax", what=what)),
        (like((torch.softmax(z, 0) - one_hot) / n, tolerance), CheckFailure("softmax_wrong_dim", advice="advice_softmax", what=what)),
        (like(torch.softmax(z, 0) - one_hot, tolerance), CheckFailure("softmax_wrong_dim", advice="advice_softmax", what=what)),
        (like(torch.softmax(z, 1) / n, tolerance), CheckFailure("one_hot_forgotten", advice="advice_softmax", what=what)),
    ])


@pytest.mark.task("2.4", weight=2)
def test_matches_autograd_of_mean_cross_entropy(outcome):
    check_cross_entropy(outcome, "five_by_three_float64")


@pytest.mark.task("2.4", hidden=True)
def test_cross_entropy_backward_other_sizes_and_float32(outcome):
    check_cross_entropy(outcome, "eight_by_four_float32")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_works_under_no_grad(outcome):
    outcome_under_no_grad(outcome, "cross_entropy_under_no_grad")
    check_cross_entropy(outcome, "cross_entropy_under_no_grad")


@pytest.mark.task("2.4")
def test_cross_entropy_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("five_by_three_float64", "eight_by_four_float32"):
        check_cross_entropy(outcome, case)
        no_autograd(outcome(case)["autograd"], CROSS_ENTROPY_CALL)
    no_autograd(forbidden_uses("autograd"), CROSS_ENTROPY_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.4")
def test_cross_entropy_backward_leaves_inputs_unchanged(outcome):
    for case in ("five_by_three_float64", "eight_by_four_float32"):
        check_cross_entropy(outcome, case)
        after = outcome(case)["inputs"]
        for name, before in cross_entropy_inputs(case).items():
            expect.unchanged(after[name], before, name, CROSS_ENTROPY_CALL)


@pytest.mark.task("2.4")
def test_cross_entropy_backward_result_is_detached(outcome):
    for case in ("five_by_three_float64", "eight_by_four_float32"):
        check_cross_entropy(outcome, case)
        expect.detached(outcome(case)["result"], CROSS_ENTROPY_CALL)


# --- 2.5 mlp_backward -----------------------------------------------------------------

MLP_CALL = "mlp_backward(x, target, w1, b1, w2, b2)"
MLP_KEYS = ["w1", "b1", "w2", "b2"]


def mlp_oracle(case: str) -> dict[str, torch.Tensor]:
    given = mlp_inputs(case)
    x, w1, b1, w2, b2 = leaves64(given["x"], given["w1"], given["b1"], given["w2"], given["b2"])
    with torch.enable_grad():
        loss = F.cross_entropy(F.linear(torch.sigmoid(F.linear(x, w1, b1)), w2, b2), given["target"])
    grads = grad_double(loss, [w1, b1, w2, b2])
    return {key: grad.to(given["x"].dtype) for key, grad in zip(MLP_KEYS, grads, strict=True)}


def mlp_by_hand(case: str, *, derivative: str = "s(1-s)", layer2_input: str = "h") -> dict[str, torch.Tensor]:
    """The network's gradients written out, with a switch for known mistakes (float64)."""
    given = {key: value.double() if value.dtype.is_floating_point else value for key, value in mlp_inputs(case).items()}
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
    return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_z.T @ second_input, "b2": grad_z.sum(0)}


def mlp_suspects(case: str, key: str, what: str, tolerance) -> list[Suspect]:
    n = MLP_CASES[case][0]
    expected = mlp_oracle(case)[key]
    suspects: list[Suspect] = [
        (like(expected * n, tolerance), CheckFailure("sum_instead_of_mean", advice="advice_mean_loss", what=what, n=n)),
        (like(-expected, tolerance), CheckFailure("gradient_sign_flipped", what=what)),
    ]
    if key in ("w1", "b1"):
        suspects += [
            (like(mlp_by_hand(case, derivative="s")[key], tolerance), CheckFailure("sigmoid_derivative_wrong", advice="advice_sigmoid_derivative", what=what, point="a")),
            (like(mlp_by_hand(case, derivative="none")[key], tolerance), CheckFailure("sigmoid_derivative_missing", advice="advice_sigmoid_derivative", what=what)),
            (like(mlp_by_hand(case, derivative="at h")[key], tolerance), CheckFailure("sigmoid_backward_at_output", advice="advice_sigmoid_derivative", what=what)),
        ]
    if key == "w2":
        suspects.append((like(mlp_by_hand(case, layer2_input="a")[key], tolerance), CheckFailure("second_layer_input_wrong", what=what)))
    return suspects


def check_mlp(outcome, case: str, keys: list[str]) -> None:
    got = entries(outcome(case)["result"], MLP_KEYS, MLP_CALL)
    expected = mlp_oracle(case)
    tolerance = F64 if MLP_CASES[case][5] == torch.float64 else F32
    for key in keys:
        what = f'{MLP_CALL}["{key}"]'
        compare(got[key], expected[key], what, tolerance, mlp_suspects(case, key, what, tolerance))


@pytest.mark.task("2.5", weight=2)
def test_second_layer_gradients_match_autograd(outcome):
    check_mlp(outcome, "six_samples_float64", ["w2", "b2"])


@pytest.mark.task("2.5", weight=2)
def test_first_layer_gradients_go_through_the_sigmoid(outcome):
    check_mlp(outcome, "six_samples_float64", ["w1", "b1"])


@pytest.mark.task("2.5")
def test_mlp_backward_other_sizes_and_float32(outcome):
    check_mlp(outcome, "eight_samples_float32", MLP_KEYS)


@pytest.mark.task("2.5")
def test_mlp_backward_works_under_no_grad(outcome):
    outcome_under_no_grad(outcome, "mlp_under_no_grad")
    check_mlp(outcome, "mlp_under_no_grad", MLP_KEYS)


@pytest.mark.task("2.5")
def test_mlp_backward_does_not_use_autograd(outcome, forbidden_uses):
    for case in ("six_samples_float64", "eight_samples_float32"):
        check_mlp(outcome, case, MLP_KEYS)
        no_autograd(outcome(case)["autograd"], MLP_CALL)
    no_autograd(forbidden_uses("autograd"), MLP_CALL)  # read from the source: nothing at run time can hide it


@pytest.mark.task("2.5")
def test_mlp_backward_leaves_inputs_unchanged(outcome):
    for case in ("six_samples_float64", "eight_samples_float32"):
        check_mlp(outcome, case, MLP_KEYS)
        after = outcome(case)["inputs"]
        for name, before in mlp_inputs(case).items():
            expect.unchanged(after[name], before, name, MLP_CALL)


@pytest.mark.task("2.5")
def test_mlp_backward_results_are_detached(outcome):
    for case in ("six_samples_float64", "eight_samples_float32"):
        check_mlp(outcome, case, MLP_KEYS)
        got = entries(outcome(case)["result"], MLP_KEYS, MLP_CALL)
        for key in MLP_KEYS:
            expect.detached(got[key], f'{MLP_CALL}["{key}"]')
