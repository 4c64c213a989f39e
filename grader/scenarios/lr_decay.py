"""Scenarios for unit 5, learning rate and decay (`lr_decay.py`).

The points, decay arguments, test functions (`valley`, `bowl`), learning-rate
schedules of every callable kind and runs here are the checks' too
(`grader/checks/test_lr_decay.py`), which recompute every expected value from
them.

Each task is called on plain inputs first (positional, contiguous, nothing
requiring grad): a crash there is reported as usual, with its line. Then the
same values are passed the ways real callers pass them (`grader.scenarios.families`):
strided views, tensors that require grad, keyword calls, a `functools.partial`
or an object with `__call__` where a function is due, a second call. Those
variants run through `attempt`, so that what one of them raised comes back
as data and the check can say under which condition it broke.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from typing import Any

import torch

from grader import inputs
from grader.scenarios import families, scenario


def attempt(submission, call: Callable[[], Any]) -> dict[str, Any]:
    """`call()`'s value, or what it raised, as data (`NotImplementedError` still propagates: the stub is unwritten)."""
    try:
        return {"value": call(), "raised": None}
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - a variant that breaks is a finding, not a crash of the scenario
        return {"value": None, "raised": raised_data(error, submission)}


def raised_data(error: BaseException, submission) -> dict[str, Any]:
    """The exception's type and message, and the last line of the submission it went through."""
    try:
        message = str(error)[:300]
    except Exception:  # noqa: BLE001 - a student's __str__ may raise
        message = ""
    found = {"error_type": type(error).__name__, "message": message, "file": "", "line": 0, "code": ""}
    path = os.path.realpath(getattr(submission, "__file__", None) or "?")
    for summary in traceback.extract_tb(error.__traceback__):
        if os.path.realpath(summary.filename) == path:
            found.update(file=os.path.basename(path), line=summary.lineno or 0, code=(summary.line or "").strip())
    return found


# --- 5.1 rosenbrock ----------------------------------------------------------------

POINTS = [(1.0, 1.0), (2.0, 2.0), (0.0, 0.0), (-1.5, 2.5), (0.5, -0.25)]


def rosenbrock_points() -> list[torch.Tensor]:
    return [torch.tensor(p, dtype=torch.float64) for p in POINTS] + [inputs.randn(2, seed=51)]


GRADIENT_POINTS = [(-0.5, 1.5), (2.0, 2.0)]
FLOAT32_POINT = (0.5, -1.25)
STRIDED_POINT = (-1.5, 2.5)
KEYWORD_POINT = (0.5, -0.25)


@scenario("5.1")
def values_at_points(submission):
    points = rosenbrock_points()
    versions = [p._version for p in points]
    results = [submission.rosenbrock(p) for p in points]
    return {"results": results, "after": [families.caller_view(p) for p in points], "versions": versions}


@scenario("5.1")
def float32_point(submission):
    x = torch.tensor(FLOAT32_POINT, dtype=torch.float32)
    found = attempt(submission, lambda: submission.rosenbrock(x))
    return {**found, "after": families.caller_view(x)}


@scenario("5.1")
def strided_point(submission):
    x = families.strided(torch.tensor(STRIDED_POINT, dtype=torch.float64))
    return attempt(submission, lambda: submission.rosenbrock(x))


@scenario("5.1")
def keyword_point(submission):
    x = torch.tensor(KEYWORD_POINT, dtype=torch.float64)
    return attempt(submission, lambda: families.call(submission.rosenbrock, [("x", x)], "keywords"))


@scenario("5.1")
def gradients_flow(submission):
    """x requires grad, as a parameter in training does: the result must carry the graph back to it."""
    found = []
    for point in GRADIENT_POINTS:
        x = families.leaf(torch.tensor(point, dtype=torch.float64))
        run = attempt(submission, lambda x=x: submission.rosenbrock(x))
        out = run["value"]
        run["before_backward"] = families.caller_view(x)
        run["grad"] = None
        if type(out) is torch.Tensor and out.requires_grad and out.numel() == 1:
            backward = attempt(submission, lambda out=out: out.sum().backward())
            run["backward_raised"] = backward["raised"]
            run["grad"] = None if x.grad is None else x.grad.detach().clone()
        found.append(run)
    return found


# --- 5.2 the three decay functions -------------------------------------------------

# The lesson's lr0 = 0.2 with several decays; iterations between the drops of step decay.
TIME_BASED = [(0.2, 0.01, 50), (0.2, 0.1, 7), (0.2, 2.5, 3), (0.2, 0.0, 10), (0.2, 0.05, 13)]
STEP = [(0.1, 0.5, 10, 5), (0.1, 0.5, 10, 25), (0.8, 0.25, 3, 7), (0.3, 0.9, 4, 14), (1.0, 0.5, 5, 12)]
EXPONENTIAL = [(0.1, 0.9, 1), (0.5, 0.99, 100), (2.0, 0.5, 3), (0.2, 0.95, 20)]

# Where the schedules turn: iteration 0, and just before, at and after a multiple of every.
BOUNDARIES = {
    "time_based_decay": [(0.2, 0.01, 0), (0.5, 0.3, 0)],
    "step_decay": [(0.1, 0.5, 10, 0), (0.1, 0.5, 10, 9), (0.1, 0.5, 10, 10), (0.1, 0.5, 10, 19), (0.1, 0.5, 10, 20), (0.8, 0.25, 3, 3), (0.8, 0.25, 3, 2), (1.0, 0.9, 1, 5)],
    "exponential_decay": [(0.1, 0.9, 0), (3.0, 0.5, 0)],
}
PARAMETERS = {
    "time_based_decay": ("lr0", "decay", "iteration"),
    "step_decay": ("lr0", "drop", "every", "iteration"),
    "exponential_decay": ("lr0", "gamma", "iteration"),
}
KEYWORD_CASES = {"time_based_decay": (0.5, 0.1, 7), "step_decay": (0.8, 0.25, 3, 7), "exponential_decay": (2.0, 0.5, 3)}
# A schedule walked the way a training loop calls it, then walked again with another lr0.
WALKS = {
    "time_based_decay": [(0.2, 0.1), (0.5, 0.1)],
    "step_decay": [(0.2, 0.5, 3), (0.5, 0.5, 3)],
    "exponential_decay": [(0.2, 0.9), (0.5, 0.9)],
}
WALK_LENGTH = 8


def _spots(submission, name: str, cases) -> list:
    function = getattr(submission, name)
    return [function(*case) for case in cases]


@scenario("5.2")
def time_based_values(submission):
    return _spots(submission, "time_based_decay", TIME_BASED)


@scenario("5.2")
def step_values(submission):
    return _spots(submission, "step_decay", STEP)


@scenario("5.2")
def exponential_values(submission):
    return _spots(submission, "exponential_decay", EXPONENTIAL)


@scenario("5.2")
def boundary_values(submission):
    return {
        name: [attempt(submission, lambda case=case, name=name: getattr(submission, name)(*case)) for case in cases]
        for name, cases in BOUNDARIES.items()
    }


@scenario("5.2")
def keyword_values(submission):
    found = {}
    for name, case in KEYWORD_CASES.items():
        arguments = list(zip(PARAMETERS[name], case, strict=True))
        found[name] = {
            style: attempt(submission, lambda style=style, name=name, arguments=arguments: families.call(getattr(submission, name), arguments, style))
            for style in ("keywords", "mixed")
        }
    return found


@scenario("5.2")
def walked_twice(submission):
    """Each schedule over iterations 0 … 7, as a loop asks for it, then once more with another lr0."""
    found = {}
    for name, walks in WALKS.items():
        function = getattr(submission, name)
        found[name] = [
            [attempt(submission, lambda function=function, head=head, i=i: function(*head, i)) for i in range(WALK_LENGTH)] for head in walks
        ]
    return found


# --- 5.3 minimize --------------------------------------------------------------------


def valley(x: torch.Tensor) -> torch.Tensor:
    """The grader's own Rosenbrock function, so that 5.3 does not rely on 5.1."""
    return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def bowl(x: torch.Tensor) -> torch.Tensor:
    """A tilted quadratic bowl on shape (3,)."""
    centre = torch.tensor([1.0, -2.0, 0.5], dtype=x.dtype)
    weights = torch.tensor([1.0, 3.0, 0.5], dtype=x.dtype)
    return ((x - centre) ** 2 * weights).sum()


def tilted(x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """A quadratic bowl of any shape, with a weight per element (a function of two arguments, for a partial)."""
    return (weights.to(x.dtype) * (x - 0.5) ** 2).sum()


class Bowl:
    """`bowl` as an object with `__call__`, and as a bound method (`Bowl().value`)."""

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return bowl(x)

    def value(self, x: torch.Tensor) -> torch.Tensor:
        return bowl(x)


def time_based(i: int) -> float:
    """Time-based decay with lr0 = 0.2 and decay = 0.01."""
    return 0.2 / (1 + 0.01 * i)


def decayed(lr0: float, decay: float, i: int) -> float:
    return lr0 / (1 + decay * i)


class TimeBased:
    """Time-based decay as an object with `__call__`, and as a bound method (`TimeBased(...).rate`)."""

    def __init__(self, lr0: float, decay: float) -> None:
        self.lr0, self.decay = lr0, decay

    def __call__(self, i: int) -> float:
        return decayed(self.lr0, self.decay, i)

    def rate(self, i: int) -> float:
        return decayed(self.lr0, self.decay, i)


def valley_start() -> torch.Tensor:
    return torch.tensor([2.0, 2.0], dtype=torch.float64)


def bowl_start(dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return inputs.randn(3, seed=53, dtype=dtype)


def grid_start() -> torch.Tensor:
    return inputs.randn(2, 3, seed=54)


GRID_WEIGHTS = torch.tensor([[1.0, 2.0, 0.5], [3.0, 0.25, 1.5]], dtype=torch.float64)


def grid(x: torch.Tensor) -> torch.Tensor:
    """A quadratic bowl on shape (2, 3)."""
    return tilted(x, GRID_WEIGHTS)


# name: (f, start, lr, iterations, the call as code)
RUNS = {
    "valley_lr_0_1": (valley, valley_start, 0.1, 100, "minimize(rosenbrock, start=(2, 2), lr=0.1, iterations=100)"),
    "valley_lr_0_2": (valley, valley_start, 0.2, 40, "minimize(rosenbrock, start=(2, 2), lr=0.2, iterations=40)"),
    "valley_time_based": (valley, valley_start, time_based, 100, "minimize(rosenbrock, start=(2, 2), lr=lambda i: 0.2 / (1 + 0.01 * i), iterations=100)"),
}

# 5.3's lr and f of every callable kind: the same schedule (the same function), wrapped as callers wrap it.
KIND_LR0, KIND_DECAY, KIND_ITERATIONS = 0.2, 0.05, 30
LR_KINDS = ("lambda", "partial", "callable_object", "method")
LR_KIND_CODE = {
    "lambda": "lambda i: 0.2 / (1 + 0.05 * i)",
    "partial": "functools.partial(decayed, 0.2, 0.05)",
    "callable_object": "TimeBased(0.2, 0.05)",
    "method": "TimeBased(0.2, 0.05).rate",
}
F_KINDS = ("lambda", "partial", "callable_object", "method")
F_KIND_CODE = {
    "lambda": "lambda x: bowl(x)",
    "partial": "functools.partial(tilted, weights=w)",
    "callable_object": "Bowl()",
    "method": "Bowl().value",
}
F_ITERATIONS, F_LR = 8, 0.1
PARTIAL_WEIGHTS = torch.tensor([2.0, 0.5, 1.0])


def lr_of_kind(kind: str, log: list) -> Callable[[int], float]:
    """The schedule `KIND_LR0 / (1 + KIND_DECAY·i)` as `kind`; every call is logged."""

    class Logged(TimeBased):
        def __call__(self, i):
            log.append(i)
            return super().__call__(i)

        def rate(self, i):
            log.append(i)
            return super().rate(i)

    def logged(lr0, decay, i):
        log.append(i)
        return decayed(lr0, decay, i)

    if kind == "lambda":
        return lambda i: logged(KIND_LR0, KIND_DECAY, i)
    if kind == "partial":
        return functools.partial(logged, KIND_LR0, KIND_DECAY)
    if kind == "callable_object":
        return Logged(KIND_LR0, KIND_DECAY)
    return Logged(KIND_LR0, KIND_DECAY).rate


def f_of_kind(kind: str) -> Callable[[torch.Tensor], torch.Tensor]:
    if kind == "lambda":
        return lambda x: bowl(x)
    if kind == "partial":
        return functools.partial(tilted, weights=PARTIAL_WEIGHTS)
    if kind == "callable_object":
        return Bowl()
    return Bowl().value


def f_expected(kind: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The plain function that `f_of_kind(kind)` computes."""
    return functools.partial(tilted, weights=PARTIAL_WEIGHTS) if kind == "partial" else bowl


MINIMIZE_PARAMETERS = ("f", "start", "lr", "iterations")
STYLE_RUN = (bowl, lambda: bowl_start(torch.float64), 0.1, 6)
REPEAT_RUNS = [(valley, valley_start, 0.1, 12), (bowl, lambda: bowl_start(torch.float64), 0.05, 12), (valley, valley_start, 0.1, 12)]
LEAF_RUN = (bowl, lambda: bowl_start(torch.float64), 0.1, 6)


def _record(submission, name: str, lr=None) -> dict:
    f, start_of, rate, iterations, _ = RUNS[name]
    start = start_of()
    result = submission.minimize(f, start, rate if lr is None else lr, iterations)
    return {"result": result, "after": families.caller_view(start)}


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
def lr_kinds(submission):
    found = {}
    for kind in LR_KINDS:
        log: list = []
        run = attempt(submission, lambda kind=kind, log=log: submission.minimize(valley, valley_start(), lr_of_kind(kind, log), KIND_ITERATIONS))
        found[kind] = {**run, "calls": log}
    return found


@scenario("5.3")
def f_kinds(submission):
    return {kind: attempt(submission, lambda kind=kind: submission.minimize(f_of_kind(kind), bowl_start(torch.float64), F_LR, F_ITERATIONS)) for kind in F_KINDS}


@scenario("5.3")
def start_layouts(submission):
    """`start` as a strided view of shape (2,) and as a transposed view of shape (2, 3)."""
    strided = families.strided(valley_start())
    transposed = families.transposed(grid_start())
    return {
        "strided": attempt(submission, lambda: submission.minimize(valley, strided, 0.1, 20)),
        "transposed": attempt(submission, lambda: submission.minimize(grid, transposed, 0.1, 10)),
        "grid": attempt(submission, lambda: submission.minimize(grid, grid_start(), 0.1, 10)),
    }


@scenario("5.3")
def float32_start(submission):
    start = bowl_start(torch.float32)
    found = attempt(submission, lambda: submission.minimize(bowl, start, 0.1, 5))
    return {**found, "after": families.caller_view(start)}


@scenario("5.3")
def call_styles(submission):
    f, start_of, lr, iterations = STYLE_RUN
    found = {}
    for style in ("keywords", "mixed"):
        arguments = list(zip(MINIMIZE_PARAMETERS, (f, start_of(), lr, iterations), strict=True))
        found[style] = attempt(submission, lambda arguments=arguments, style=style: families.call(submission.minimize, arguments, style))
    return found


@scenario("5.3")
def no_iterations(submission):
    return attempt(submission, lambda: submission.minimize(bowl, bowl_start(torch.float64), 0.1, 0))


@scenario("5.3")
def start_requires_grad(submission):
    """A caller's parameter as `start`: it requires grad; it must come back untouched, the trajectory detached."""
    f, start_of, lr, iterations = LEAF_RUN
    start = families.leaf(start_of())
    version = start._version
    found = attempt(submission, lambda: submission.minimize(f, start, lr, iterations))
    return {**found, "after": families.caller_view(start), "version": version}


@scenario("5.3")
def repeated_runs(submission):
    """Three runs in a row, the third one the same as the first: no run may leave anything to the next."""
    return [attempt(submission, lambda f=f, start_of=start_of, lr=lr, n=n: submission.minimize(f, start_of(), lr, n)) for f, start_of, lr, n in REPEAT_RUNS]


# --- 5.4 time_based_lambda -----------------------------------------------------------

FACTOR_CASES = [(0.05, [0, 1, 2, 5, 10, 37]), (0.5, [0, 1, 3, 8])]
SCHEDULE_LR0, SCHEDULE_DECAY, SCHEDULE_STEPS = 0.3, 0.1, 6
TWO_DECAYS = (0.05, 0.5)
TWO_LR0 = (0.3, 0.8)
TWO_EPOCHS = [0, 1, 2, 3, 7]
AGAIN_DECAY, AGAIN_FIRST, AGAIN_SECOND = 0.2, [0, 1, 2, 3], [3, 0, 5, 1, 1]
KEYWORD_DECAY = 0.25
FAR_DECAY, FAR_EPOCHS = 0.01, [99, 100, 500, 1000]


def _describe_factor(factor) -> dict:
    return {"callable": callable(factor), "type": type(factor).__name__}


@scenario("5.4")
def factor_values(submission):
    found = []
    for decay, epochs in FACTOR_CASES:
        factor = submission.time_based_lambda(decay)
        found.append({**_describe_factor(factor), "values": [factor(epoch) for epoch in epochs] if callable(factor) else None})
    return found


def _rates(optimizer) -> float:
    return optimizer.param_groups[0]["lr"]


@scenario("5.4")
def lambda_lr_schedule(submission):
    weight = torch.zeros(3, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=SCHEDULE_LR0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, submission.time_based_lambda(SCHEDULE_DECAY))
    rates = [_rates(optimizer)]
    for _ in range(SCHEDULE_STEPS):
        optimizer.step()
        scheduler.step()
        rates.append(_rates(optimizer))
    return rates


@scenario("5.4")
def two_instances(submission):
    """Two factors with different decays alive at once, read in turn; then a LambdaLR with each, stepped in turn."""

    def run():
        first, second = (submission.time_based_lambda(decay) for decay in TWO_DECAYS)
        values = [[first(epoch) for epoch in TWO_EPOCHS], [second(epoch) for epoch in TWO_EPOCHS]]
        optimizers = [torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=lr0) for lr0 in TWO_LR0]
        schedulers = [
            torch.optim.lr_scheduler.LambdaLR(optimizer, submission.time_based_lambda(decay))
            for optimizer, decay in zip(optimizers, TWO_DECAYS, strict=True)
        ]
        rates = [[_rates(optimizer)] for optimizer in optimizers]
        for _ in range(SCHEDULE_STEPS):
            for optimizer, scheduler, found in zip(optimizers, schedulers, rates, strict=True):
                optimizer.step()
                scheduler.step()
                found.append(_rates(optimizer))
        return {"values": values, "rates": rates}

    return attempt(submission, run)


@scenario("5.4")
def called_again(submission):
    """One factor read at epochs 0 … 3, then again, out of order and twice at the same epoch."""

    def run():
        factor = submission.time_based_lambda(AGAIN_DECAY)
        return [[factor(epoch) for epoch in AGAIN_FIRST], [factor(epoch) for epoch in AGAIN_SECOND]]

    return attempt(submission, run)


@scenario("5.4")
def keyword_decay(submission):
    def run():
        factor = families.call(submission.time_based_lambda, [("decay", KEYWORD_DECAY)], "keywords")
        return {**_describe_factor(factor), "values": [factor(epoch) for epoch in TWO_EPOCHS] if callable(factor) else None}

    return attempt(submission, run)


@scenario("5.4")
def far_epochs(submission):
    """A factor asked for epochs far beyond the lesson's, as a long training run asks."""

    factor = submission.time_based_lambda(FAR_DECAY)
    values = [attempt(submission, lambda epoch=epoch: factor(epoch)) for epoch in FAR_EPOCHS] if callable(factor) else None
    return {**_describe_factor(factor), "values": values}
