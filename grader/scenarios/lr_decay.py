"""Scenarios for unit 5, learning rate and decay (`lr_decay.py`).

The points, decay arguments, test functions (`valley`, `bowl`) and runs here
are the checks' too (`grader/checks/test_lr_decay.py`), which recompute every
expected value from them.
"""

from __future__ import annotations

import torch

from grader import inputs
from grader.scenarios import scenario

# --- 5.1 rosenbrock ----------------------------------------------------------------

POINTS = [(1.0, 1.0), (2.0, 2.0), (0.0, 0.0), (-1.5, 2.5), (0.5, -0.25)]


def rosenbrock_points() -> list[torch.Tensor]:
    return [torch.tensor(p, dtype=torch.float64) for p in POINTS] + [inputs.randn(2, seed=51)]


GRADIENT_POINTS = [(-0.5, 1.5), (2.0, 2.0)]


@scenario("5.1")
def values_at_points(submission):
    points = rosenbrock_points()
    return {"results": [submission.rosenbrock(p) for p in points], "points": points}


@scenario("5.1")
def float32_point(submission):
    x = torch.tensor([0.5, -1.25], dtype=torch.float32)
    return {"result": submission.rosenbrock(x), "x": x}


@scenario("5.1")
def gradients_flow(submission):
    found = []
    for point in GRADIENT_POINTS:
        x = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        out = submission.rosenbrock(x)
        grad = None
        if type(out) is torch.Tensor and out.requires_grad and out.numel() == 1:
            out.sum().backward()
            grad = x.grad
        found.append({"result": out, "grad": grad})
    return found


# --- 5.2 the three decay functions -------------------------------------------------

TIME_BASED = [(0.2, 0.01, 0), (0.2, 0.01, 50), (0.5, 0.1, 7), (1.0, 0.0, 10), (0.3, 2.5, 3)]
STEP = [(0.1, 0.5, 10, 0), (0.1, 0.5, 10, 9), (0.1, 0.5, 10, 10), (0.1, 0.5, 10, 25), (0.8, 0.25, 3, 7), (1.0, 0.9, 1, 5)]
EXPONENTIAL = [(0.1, 0.9, 0), (0.1, 0.9, 1), (0.5, 0.99, 100), (2.0, 0.5, 3)]


@scenario("5.2")
def time_based_values(submission):
    return [submission.time_based_decay(*case) for case in TIME_BASED]


@scenario("5.2")
def step_values(submission):
    return [submission.step_decay(*case) for case in STEP]


@scenario("5.2")
def exponential_values(submission):
    return [submission.exponential_decay(*case) for case in EXPONENTIAL]


# --- 5.3 minimize --------------------------------------------------------------------


def valley(x: torch.Tensor) -> torch.Tensor:
    """The grader's own Rosenbrock function, so that 5.3 does not rely on 5.1."""
    return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def bowl(x: torch.Tensor) -> torch.Tensor:
    """A tilted quadratic bowl on shape (3,)."""
    centre = torch.tensor([1.0, -2.0, 0.5], dtype=x.dtype)
    weights = torch.tensor([1.0, 3.0, 0.5], dtype=x.dtype)
    return ((x - centre) ** 2 * weights).sum()


def time_based(i: int) -> float:
    """Time-based decay with lr0 = 0.2 and decay = 0.01."""
    return 0.2 / (1 + 0.01 * i)


def valley_start() -> torch.Tensor:
    return torch.tensor([2.0, 2.0], dtype=torch.float64)


def bowl_start() -> torch.Tensor:
    return inputs.randn(3, seed=53, dtype=torch.float32)


# name: (f, start, lr, iterations, how the call is shown)
RUNS = {
    "valley_lr_0_1": (valley, valley_start, 0.1, 100, "minimize(rosenbrock, start=(2, 2), lr=0.1, iterations=100)"),
    "valley_lr_0_2": (valley, valley_start, 0.2, 40, "minimize(rosenbrock, start=(2, 2), lr=0.2, iterations=40)"),
    "valley_time_based": (valley, valley_start, time_based, 100, "minimize(rosenbrock, start=(2, 2), lr=lambda i: 0.2 / (1 + 0.01 * i), iterations=100)"),
    "bowl_float32": (bowl, bowl_start, 0.1, 5, "minimize(f, start of shape (3,) and dtype float32, lr=0.1, iterations=5)"),
}


def _record(submission, name: str, lr=None) -> dict:
    f, start_of, rate, iterations, _ = RUNS[name]
    start = start_of()
    result = submission.minimize(f, start, rate if lr is None else lr, iterations)
    return {"result": result, "start": start, "start_grad": start.grad, "start_requires_grad": start.requires_grad}


@scenario("5.3")
def valley_lr_0_1(submission):
    return _record(submission, "valley_lr_0_1")


@scenario("5.3")
def valley_lr_0_2(submission):
    return _record(submission, "valley_lr_0_2")


@scenario("5.3")
def valley_time_based(submission):
    calls = []

    def lr(i):
        calls.append(i)
        return time_based(i)

    found = _record(submission, "valley_time_based", lr)
    found["calls"] = calls
    return found


@scenario("5.3")
def bowl_float32(submission):
    return _record(submission, "bowl_float32")


@scenario("5.3")
def bowl_no_iterations(submission):
    return submission.minimize(bowl, bowl_start(), 0.1, 0)


# --- 5.4 time_based_lambda -----------------------------------------------------------

FACTOR_CASES = [(0.05, [0, 1, 2, 5, 10, 37]), (0.5, [0, 1, 3, 8])]
SCHEDULE_LR0, SCHEDULE_DECAY, SCHEDULE_STEPS = 0.3, 0.1, 6


@scenario("5.4")
def factor_values(submission):
    found = []
    for decay, epochs in FACTOR_CASES:
        factor = submission.time_based_lambda(decay)
        is_function = callable(factor)
        found.append({
            "callable": is_function,
            "type": type(factor).__name__,
            "values": [factor(epoch) for epoch in epochs] if is_function else None,
        })
    return found


@scenario("5.4")
def lambda_lr_schedule(submission):
    weight = torch.zeros(3, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=SCHEDULE_LR0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, submission.time_based_lambda(SCHEDULE_DECAY))
    rates = [optimizer.param_groups[0]["lr"]]
    for _ in range(SCHEDULE_STEPS):
        optimizer.step()
        scheduler.step()
        rates.append(optimizer.param_groups[0]["lr"])
    return rates
