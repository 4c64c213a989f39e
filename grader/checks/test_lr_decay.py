"""Checks for unit 5, learning rate and decay (`lr_decay.py`).

Every expected value is recomputed here: the Rosenbrock formula and its
analytic gradient, the three decay formulas, gradient-descent trajectories
walked with autograd, and learning rates of `LambdaLR` compared with the
time-based formula. When a result is wrong, the checks also compute what a
few known mistakes would have produced and name the mistake that matches.

The scenarios, and the inputs both sides share, are in `grader/scenarios/lr_decay.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch

from grader import expect
from grader.expect import CheckFailure
from grader.scenarios.lr_decay import (
    EXPONENTIAL,
    FACTOR_CASES,
    GRADIENT_POINTS,
    RUNS,
    SCHEDULE_DECAY,
    SCHEDULE_LR0,
    SCHEDULE_STEPS,
    STEP,
    TIME_BASED,
    bowl_start,
    rosenbrock_points,
    valley_start,
)

VALUE_FAILURES = ("wrong_values", "wrong_number", "wrong_item")

# A mistake: (does `got` match it?, message key, advice, extra message fields).
Mistake = tuple[Callable[[], bool], str, str | None, dict]


def diagnosed(compare: Callable[[], object], mistakes: list[Mistake]) -> None:
    """Run `compare`; if the values are wrong, name the first known mistake that explains them."""
    try:
        compare()
    except CheckFailure as failure:
        if failure.key in VALUE_FAILURES:
            for matches, key, advice, params in mistakes:
                if matches():
                    expect.fail(key, advice=advice, **{**failure.params, **params})
        raise


def close(got: object, wrong: torch.Tensor, *, rtol: float, atol: float) -> bool:
    """`got` is a tensor of `wrong`'s shape, equal to it (a diverged mistake may hold inf and nan)."""
    if type(got) is not torch.Tensor or got.shape != wrong.shape:
        return False
    return bool(torch.allclose(got.detach().double(), wrong.double(), rtol=rtol, atol=atol, equal_nan=True))


def near(got: object, wrong: float) -> bool:
    return isinstance(got, float | int) and not isinstance(got, bool) and math.isclose(got, wrong, rel_tol=1e-9, abs_tol=1e-12)


def first_wrong_row(got: torch.Tensor, expected: torch.Tensor, *, rtol: float, atol: float) -> int:
    ok = torch.isclose(got.detach().double(), expected.double(), rtol=rtol, atol=atol)
    return int((~ok.reshape(len(ok), -1).all(dim=1)).nonzero()[0, 0])


# --- 5.1 rosenbrock ----------------------------------------------------------------


def rosenbrock_value(a: float, b: float) -> float:
    return (b - a * a) ** 2 + (1 - a) ** 2


def rosenbrock_gradient(a: float, b: float) -> list[float]:
    return [-4 * a * (b - a * a) - 2 * (1 - a), 2 * (b - a * a)]


# Every check of a side property (inputs untouched, result detached) first
# requires the right result, so that a trivial answer earns nothing.


def _values_are_right(outcome) -> None:
    results = outcome("values_at_points")["results"]
    for point, got in zip(rosenbrock_points(), results, strict=True):
        a, b = point.tolist()
        what = f"rosenbrock(torch.tensor([{a:g}, {b:g}]))"
        expected = torch.tensor(rosenbrock_value(a, b), dtype=torch.float64)
        scaled = 100 * (b - a * a) ** 2 + (1 - a) ** 2
        diagnosed(
            lambda got=got, expected=expected, what=what: expect.tensor(got, expected, what, rtol=1e-10, atol=1e-12),
            [(lambda got=got, scaled=scaled: close(got, torch.tensor(scaled, dtype=torch.float64), rtol=1e-9, atol=1e-12), "rosenbrock_factor_100", None, {})],
        )


@pytest.mark.task("5.1", weight=2)
def test_values_at_several_points(outcome):
    _values_are_right(outcome)


@pytest.mark.task("5.1")
def test_float32_input_gives_float32_0d_tensor(outcome):
    got = outcome("float32_point")["result"]
    expected = torch.tensor(rosenbrock_value(0.5, -1.25), dtype=torch.float32)
    expect.tensor(got, expected, "rosenbrock(x) for a float32 x", rtol=1e-6)


@pytest.mark.task("5.1")
def test_leaves_x_unchanged(outcome):
    _values_are_right(outcome)
    for point, after in zip(rosenbrock_points(), outcome("values_at_points")["points"], strict=True):
        expect.unchanged(after, point, "x", "rosenbrock(x)")
    expect.unchanged(outcome("float32_point")["x"], torch.tensor([0.5, -1.25]), "x", "rosenbrock(x)")


@pytest.mark.task("5.1", weight=2)
def test_gradient_flows_back_to_x(outcome):
    for point, got in zip(GRADIENT_POINTS, outcome("gradients_flow"), strict=True):
        at = f"at x = ({point[0]:g}, {point[1]:g})"
        if got["grad"] is None:
            expect.fail("no_gradient_flow", advice="advice_keep_tensor", what=f"rosenbrock(x) {at}")
        expected = torch.tensor(rosenbrock_gradient(*point), dtype=torch.float64)
        expect.tensor(got["grad"], expected, f"x.grad after rosenbrock(x).backward() {at}", rtol=1e-10, atol=1e-12)


# --- 5.2 the three decay functions -------------------------------------------------


def _python_float(got, expected: float, what: str, mistakes: list[Mistake]) -> None:
    diagnosed(lambda: expect.number(got, expected, what, rtol=1e-9, atol=1e-12), mistakes)
    if type(got) is not float:
        expect.fail("wrong_type", what=what, expected="float", got=expect.describe(got))


def _off_by_one(got, wrong: float) -> Mistake:
    return (lambda: near(got, wrong), "value_off_by_one", "advice_count_from_zero", {})


@pytest.mark.task("5.2")
def test_time_based_decay_formula(outcome):
    for (lr0, decay, iteration), got in zip(TIME_BASED, outcome("time_based_values"), strict=True):
        what = f"time_based_decay(lr0={lr0:g}, decay={decay:g}, iteration={iteration})"
        _python_float(got, lr0 / (1 + decay * iteration), what, [_off_by_one(got, lr0 / (1 + decay * (iteration + 1)))])


@pytest.mark.task("5.2", weight=2)
def test_step_decay_drops_at_multiples_of_every(outcome):
    for (lr0, drop, every, iteration), got in zip(STEP, outcome("step_values"), strict=True):
        what = f"step_decay(lr0={lr0:g}, drop={drop:g}, every={every}, iteration={iteration})"
        true_division = (lambda got=got, w=lr0 * drop ** (iteration / every): near(got, w), "step_decay_true_division", None, {})
        _python_float(got, lr0 * drop ** (iteration // every), what, [true_division])


@pytest.mark.task("5.2")
def test_exponential_decay_formula(outcome):
    for (lr0, gamma, iteration), got in zip(EXPONENTIAL, outcome("exponential_values"), strict=True):
        what = f"exponential_decay(lr0={lr0:g}, gamma={gamma:g}, iteration={iteration})"
        _python_float(got, lr0 * gamma**iteration, what, [_off_by_one(got, lr0 * gamma ** (iteration + 1))])


# --- 5.3 minimize --------------------------------------------------------------------

MINIMIZE = "minimize(f, start, lr, iterations)"


def descent_oracle(f, start, lr, iterations, *, shift: int = 0, accumulate: bool = False, sign: int = 1) -> torch.Tensor:
    """Gradient descent with autograd; `shift`, `accumulate` and `sign` replay known mistakes."""
    x = start.detach().clone().requires_grad_(True)
    total = torch.zeros_like(x)
    rows = [x.detach().clone()]
    for i in range(iterations):
        step = lr(i + shift) if callable(lr) else lr
        (grad,) = torch.autograd.grad(f(x), x)
        total = total + grad if accumulate else grad
        with torch.no_grad():
            x -= sign * step * total
        rows.append(x.detach().clone())
    return torch.stack(rows)


def _tolerance(start: torch.Tensor) -> tuple[float, float]:
    """Tight for float64; float32 leaves room for a different but valid order of operations."""
    return (1e-7, 1e-9) if start.dtype == torch.float64 else (1e-5, 1e-6)


@expect.oracle
def _expected_run(name: str) -> torch.Tensor:
    f, start_of, lr, iterations, _ = RUNS[name]
    return descent_oracle(f, start_of(), lr, iterations)


def _trajectory_is_right(outcome, name: str) -> None:
    """The trajectory of run `name` is gradient descent; if not, name a known mistake that explains it."""
    f, start_of, lr, iterations, what = RUNS[name]
    got = outcome(name)["result"]
    start = start_of()
    rtol, atol = _tolerance(start)
    expected = _expected_run(name)
    try:
        expect.trajectory(got, expected, what, rtol=rtol, atol=atol)
    except CheckFailure as failure:
        if failure.key == "trajectory_first_difference":
            row = first_wrong_row(got, expected, rtol=rtol, atol=atol)
            replays = [("trajectory_uphill", None, {"sign": -1}), ("trajectory_grad_accumulates", "advice_clear_x_grad", {"accumulate": True})]
            if callable(lr):
                replays.append(("trajectory_lr_off_by_one", "advice_count_from_zero", {"shift": 1}))
            for key, advice, replay in replays:
                if close(got, descent_oracle(f, start, lr, iterations, **replay), rtol=rtol, atol=atol):
                    expect.fail(key, advice=advice, what=what, row=row)
        raise


@pytest.mark.task("5.3")
def test_trajectory_has_one_row_per_iteration_and_starts_with_start(outcome):
    got = outcome("valley_lr_0_1")["result"]
    what = RUNS["valley_lr_0_1"][-1]
    expect.is_tensor(got, what)
    if tuple(got.shape) != (101, 2):
        expect.fail("wrong_shape", what=what, expected=expect.shape_text((101, 2)), got=expect.shape_text(got.shape))
    expect.tensor(got[0], valley_start(), f"row 0 of {what}")


@pytest.mark.task("5.3", weight=2)
def test_fixed_lr_trajectories_match_gradient_descent(outcome):
    _trajectory_is_right(outcome, "valley_lr_0_1")
    _trajectory_is_right(outcome, "valley_lr_0_2")


@pytest.mark.task("5.3", weight=2)
def test_callable_lr_uses_lr_of_each_iteration(outcome):
    _trajectory_is_right(outcome, "valley_time_based")


@pytest.mark.task("5.3")
def test_lr_is_called_with_iterations_from_zero(outcome):
    calls = outcome("valley_time_based")["calls"]
    last = RUNS["valley_time_based"][3] - 1
    shown = calls[:3] + ["…"] + calls[-1:] if len(calls) > 4 else calls
    got = "[" + ", ".join(map(str, shown)) + "]"
    if not all(type(i) is int for i in calls):
        expect.fail("wrong_lr_calls", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)
    if sorted(set(calls)) == list(range(1, last + 2)):
        expect.fail("lr_called_off_by_one", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)
    if sorted(set(calls)) != list(range(last + 1)) or calls != sorted(calls):
        expect.fail("wrong_lr_calls", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)


@pytest.mark.task("5.3", hidden=True)
def test_other_shapes_and_dtypes(outcome):
    _trajectory_is_right(outcome, "bowl_float32")
    expect.tensor(outcome("bowl_no_iterations"), bowl_start().unsqueeze(0), "minimize(f, start of shape (3,), lr=0.1, iterations=0)")


# Every check of a side property first requires the right trajectory.


@pytest.mark.task("5.3")
def test_leaves_start_unchanged(outcome):
    for name in ("valley_lr_0_1", "bowl_float32"):
        _trajectory_is_right(outcome, name)
        got = outcome(name)
        expect.unchanged(got["start"], RUNS[name][1](), "start", MINIMIZE)
        expect.equal(got["start_requires_grad"], False, "start.requires_grad after the call", advice="advice_copy_input")
        expect.equal(got["start_grad"], None, "start.grad after the call", advice="advice_copy_input")


@pytest.mark.task("5.3")
def test_trajectory_is_detached(outcome):
    for name in ("valley_lr_0_1", "valley_time_based", "bowl_float32"):
        _trajectory_is_right(outcome, name)
        expect.detached(outcome(name)["result"], MINIMIZE)


# --- 5.4 time_based_lambda -----------------------------------------------------------


def _require_function(found: dict, decay: float) -> None:
    if not found["callable"]:
        expect.fail("not_callable", advice="advice_return_function", what=f"time_based_lambda({decay:g})", got=found["type"])


@pytest.mark.task("5.4", weight=2)
def test_returns_a_function_of_epoch_one_over_one_plus_decay_times_epoch(outcome):
    for (decay, epochs), found in zip(FACTOR_CASES, outcome("factor_values"), strict=True):
        _require_function(found, decay)
        for epoch, got in zip(epochs, found["values"], strict=True):
            what = f"time_based_lambda({decay:g})({epoch})"
            _python_float(got, 1 / (1 + decay * epoch), what, [_off_by_one(got, 1 / (1 + decay * (epoch + 1)))])


@pytest.mark.task("5.4", weight=2)
def test_lambda_lr_follows_time_based_decay(outcome):
    for (decay, _), found in zip(FACTOR_CASES, outcome("factor_values"), strict=True):
        _require_function(found, decay)
    expected = [SCHEDULE_LR0 / (1 + SCHEDULE_DECAY * epoch) for epoch in range(SCHEDULE_STEPS + 1)]
    what = f"the learning rates of LambdaLR(SGD(lr={SCHEDULE_LR0:g}), time_based_lambda({SCHEDULE_DECAY:g})) over {SCHEDULE_STEPS} scheduler.step() calls"
    expect.numbers(outcome("lambda_lr_schedule"), expected, what, rtol=1e-9, atol=1e-12)
