"""Checks for unit 3, updating parameters by hand (`manual_update.py`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/manual_update.py`.
"""

import math

import pytest
import torch

from grader import expect
from grader.scenarios.manual_update import (
    FROZEN,
    LESSON_XS,
    LESSON_YS,
    MODEL_LR,
    NOISY_ARGS,
    NOISY_XS,
    NOISY_YS,
    STEP_LR,
    ZERO_ARGS,
    model_data,
    step_params,
)


def _no_autograd_error(got, call: str, name: str) -> None:
    if got.get("autograd_error"):
        expect.fail("update_recorded_by_autograd", advice="advice_no_grad", call=call, name=name)


# Every check that tests a side property (no autograd record, same leaf tensors,
# params without a gradient left alone, the return value, the result's types)
# first requires the right result from the same scenario, so that a trivial
# answer earns nothing.

# --- 3.1 sgd_step_ -----------------------------------------------------------------

STEP_CALL = "sgd_step_(params, lr)"


def _expected_list_step():
    params, grads = step_params()
    return [p if g is None else p - STEP_LR * g for p, g in zip(params, grads, strict=True)], params, grads


def _expected_model_step():
    weight, bias, x, target = model_data()
    leaves = [weight.clone().requires_grad_(True), bias.clone().requires_grad_(True)]
    loss = torch.nn.functional.mse_loss(torch.nn.functional.linear(x, *leaves), target)
    grads = torch.autograd.grad(loss, leaves)
    return [p.detach() - MODEL_LR * g for p, g in zip(leaves, grads, strict=True)], [weight, bias], list(grads)


def _tolerance(dtype: torch.dtype) -> dict:
    return {"rtol": 1e-5, "atol": 1e-7} if dtype == torch.float32 else {"rtol": 1e-10, "atol": 1e-12}


def _check_values(got, expected, before, grads, call: str, names: list[str]) -> None:
    """Every param with a gradient holds `p - lr * grad`; one that did not move is named."""
    _no_autograd_error(got, call, names[0])
    for name, value, want, old, grad in zip(names, got["values"], expected, before, grads, strict=True):
        if grad is None:
            continue
        if value.shape == old.shape and torch.equal(value, old):
            expect.fail("not_updated_in_place", advice="advice_no_grad", call=call, name=name)
        expect.tensor(value, want, f"{name} after {call}", **_tolerance(want.dtype))


def _check_cleared(got, grads, call: str, names: list[str]) -> None:
    _no_autograd_error(got, call, names[0])
    for name, after, grad in zip(names, got["grads"], grads, strict=True):
        if grad is None:
            continue
        if after is not None and not (type(after) is torch.Tensor and not bool(after.any())):
            expect.fail("grad_not_cleared", advice="advice_clear_grad", call=call, name=name)


LIST_NAMES = [f"params[{i}]" for i in range(4)]
MODEL_NAMES = ["model.weight", "model.bias"]
STEP_RUNS = {  # scenario: (the call as the student sees it, names of the params)
    "step_on_a_list": (STEP_CALL, LIST_NAMES),
    "step_on_model_parameters": ("sgd_step_(model.parameters(), lr)", MODEL_NAMES),
}


def _check_step(got, scenario_name: str) -> None:
    """The scenario's params hold `p - lr * grad` and their gradients were cleared."""
    expected, before, grads = _expected_list_step() if scenario_name == "step_on_a_list" else _expected_model_step()
    call, names = STEP_RUNS[scenario_name]
    _check_values(got, expected, before, grads, call, names)
    _check_cleared(got, grads, call, names)


@pytest.mark.task("3.1", weight=2)
def test_subtracts_lr_times_grad_from_each_param(outcome):
    got = outcome("step_on_a_list")
    expected, before, grads = _expected_list_step()
    _check_values(got, expected, before, grads, STEP_CALL, LIST_NAMES)


@pytest.mark.task("3.1", weight=2)
def test_zeroes_each_gradient_after_the_update(outcome):
    _check_step(outcome("step_on_a_list"), "step_on_a_list")


@pytest.mark.task("3.1")
def test_update_is_not_recorded_by_autograd(outcome):
    for name, names in (("step_on_a_list", LIST_NAMES), ("step_on_model_parameters", MODEL_NAMES)):
        got = outcome(name)
        _no_autograd_error(got, STEP_CALL, names[0])
        _check_step(got, name)
        for param, has_grad_fn in zip(names, got["grad_fn"], strict=True):
            if has_grad_fn:
                expect.fail("recorded_by_autograd", advice="advice_no_grad", call=STEP_CALL, name=param)


@pytest.mark.task("3.1")
def test_params_stay_the_same_leaf_tensors(outcome):
    for name, names in (("step_on_a_list", LIST_NAMES), ("step_on_model_parameters", MODEL_NAMES)):
        got = outcome(name)
        _no_autograd_error(got, STEP_CALL, names[0])
        _check_step(got, name)
        for param, same, leaf, requires_grad in zip(names, got["same_objects"], got["is_leaf"], got["requires_grad"], strict=True):
            if not (same and leaf and requires_grad):
                expect.fail("not_same_tensor", advice="advice_no_grad", call=STEP_CALL, name=param)


@pytest.mark.task("3.1")
def test_leaves_params_without_grad_alone(outcome):
    got = outcome("step_on_a_list")
    _no_autograd_error(got, STEP_CALL, LIST_NAMES[0])
    _check_step(got, "step_on_a_list")
    params, _ = step_params()
    name = LIST_NAMES[FROZEN]
    if not torch.equal(got["values"][FROZEN], params[FROZEN]) or got["grads"][FROZEN] is not None:
        expect.fail("changed_without_grad", advice="advice_skip_none_grad", call=STEP_CALL, name=name)


@pytest.mark.task("3.1", weight=2)
def test_walks_a_generator_of_params_once(outcome):
    list_run = outcome("step_on_a_list")
    expected, before, grads = _expected_list_step()
    runs = (
        ("step_on_a_generator", expected, before, grads, "sgd_step_((p for p in params), lr)", LIST_NAMES),
        ("step_on_model_parameters", *_expected_model_step(), "sgd_step_(model.parameters(), lr)", MODEL_NAMES),
    )
    for name, want, old, grad, call, names in runs:
        got = outcome(name)
        try:
            _check_values(got, want, old, grad, call, names)
            _check_cleared(got, grad, call, names)
        except expect.CheckFailure as failure:
            if name == "step_on_a_generator" and failure.key != "update_recorded_by_autograd" and _list_run_is_right(list_run):
                expect.fail("generator_walked_twice", advice="advice_walk_once", call=call, name="params")
            raise


def _list_run_is_right(got) -> bool:
    expected, before, grads = _expected_list_step()
    try:
        _check_values(got, expected, before, grads, STEP_CALL, LIST_NAMES)
        _check_cleared(got, grads, STEP_CALL, LIST_NAMES)
    except expect.CheckFailure:
        return False
    return True


@pytest.mark.task("3.1")
def test_returns_none(outcome):
    for name in ("step_on_a_list", "step_on_model_parameters"):
        got = outcome(name)
        _no_autograd_error(got, STEP_CALL, "params")
        _check_step(got, name)
        if got["returned"] is not None:
            expect.fail("wrong_value", what=f"The return value of {STEP_CALL}", expected="None", got=expect.describe(got["returned"]))


# --- 3.2 fit_slope -----------------------------------------------------------------


def fit_slope_oracle(xs, ys, w0=1.0, lr=0.01, epochs=100, mistake=None):
    """Per-sample gradient descent on (w·x − y)² in float64, with dL/dw = 2(w·x − y)·x.

    `mistake` recomputes a known wrong version, to name it in the feedback.
    """
    w, accumulated, losses = float(w0), 0.0, []
    for _ in range(epochs):
        epoch = []
        for x, y in zip(xs, ys, strict=True):
            loss = (w * x - y) ** 2
            grad = 2 * (w * x - y) * x
            accumulated = accumulated + grad if mistake == "grad_never_zeroed" else grad
            w -= lr * accumulated
            epoch.append((w * x - y) ** 2 if mistake == "loss_after_update" else loss)
        losses.append(sum(epoch) / len(epoch) if mistake == "epoch_mean_loss" else epoch[-1])
    return w, losses


SLOPE_MISTAKES = {
    "grad_never_zeroed": "advice_clear_grad",
    "loss_after_update": "advice_loss_before_update",
    "epoch_mean_loss": "advice_losses_per_epoch",
}
SLOPE_TOLERANCE = {"rtol": 1e-4, "atol": 1e-6}  # float32 arithmetic is fine


def _check_fit(got, xs, ys, args: dict, call: str) -> None:
    _no_autograd_error(got, call, "w")
    result = got["value"]
    expect.sequence(result, 2, f"the result of {call}", kinds=(tuple, list))
    w, losses = result
    want_w, want_losses = fit_slope_oracle(xs, ys, **args)
    try:
        _floats(losses, f"losses from {call}")
        expect.numbers(losses, want_losses, f"losses from {call}", **SLOPE_TOLERANCE, advice="advice_losses_per_epoch")
        expect.number(w, want_w, f"w from {call}", **SLOPE_TOLERANCE)
    except expect.CheckFailure as failure:
        if failure.key in ("wrong_number", "wrong_item"):
            for mistake, advice in SLOPE_MISTAKES.items():
                other_w, other_losses = fit_slope_oracle(xs, ys, **args, mistake=mistake)
                if _close(w, other_w) and _all_close(losses, other_losses):
                    expect.fail(mistake, advice=advice, what=call)
        raise


def _floats(losses, what: str) -> None:
    """A list whose items are floats, or the precise complaint (tensors need .item())."""
    if type(losses) is not list:
        expect.fail("wrong_type", what=what, expected="list of floats", got=expect.describe(losses))
    for index, item in enumerate(losses):
        if type(item) is not float:
            expect.fail("wrong_item_type", advice="advice_item", what=what, index=index, expected="float", got=expect.describe(item))


def _close(got, want) -> bool:
    if isinstance(got, bool) or not isinstance(got, float | int) or not math.isfinite(got):
        return False
    return math.isclose(got, want, rel_tol=SLOPE_TOLERANCE["rtol"], abs_tol=SLOPE_TOLERANCE["atol"])


def _all_close(got, want) -> bool:
    return type(got) is list and len(got) == len(want) and all(_close(a, b) for a, b in zip(got, want, strict=True))


@pytest.mark.task("3.2", weight=2)
def test_lesson_run_matches_per_sample_descent(outcome):
    _check_fit(outcome("lesson_defaults"), LESSON_XS, LESSON_YS, {}, "fit_slope([1, 2, 3], [2, 4, 6])")


@pytest.mark.task("3.2", weight=2)
def test_uses_w0_lr_and_epochs_on_other_data(outcome):
    call = "fit_slope(xs, ys, w0=-0.5, lr=0.05, epochs=6)"
    _check_fit(outcome("noisy_data"), NOISY_XS, NOISY_YS, NOISY_ARGS, call)


@pytest.mark.task("3.2")
def test_zero_epochs_return_w0_and_no_losses(outcome):
    call = "fit_slope(xs, ys, w0=0.75, epochs=0)"
    _check_fit(outcome("zero_epochs"), NOISY_XS, NOISY_YS, ZERO_ARGS, call)


@pytest.mark.task("3.2")
def test_returns_a_float_and_a_list_of_floats(outcome):
    got = outcome("noisy_data")
    _no_autograd_error(got, "fit_slope", "w")
    _check_fit(got, NOISY_XS, NOISY_YS, NOISY_ARGS, "fit_slope(xs, ys, w0=-0.5, lr=0.05, epochs=6)")
    result = got["value"]
    expect.sequence(result, 2, "the result of fit_slope", kinds=(tuple, list))
    w, losses = result
    if type(w) is not float:
        if type(w) is torch.Tensor:
            expect.fail("expected_number_got_tensor", advice="advice_item", what="w", got=expect.describe(w))
        expect.fail("wrong_type", advice="advice_item", what="w", expected="float", got=expect.describe(w))
    _floats(losses, "losses from fit_slope")
