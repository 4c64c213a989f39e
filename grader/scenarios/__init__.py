"""Scenarios: the only grader code that touches a student's functions.

A scenario builds seeded inputs, calls the submission and returns what came
back (and the inputs after the call) as plain data. It runs in the task's
own process (see `grader.runner`); the checks in the grading process then
judge that data against their own oracles, so nothing the student's code
does can decide a verdict.

    @scenario("1.1")
    def quadratic_at_random_point(submission):
        x = inputs.randn(7, seed=11)
        return {"result": submission.central_difference(quadratic, x), "x": x}
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

Scenario = Callable[[ModuleType], Any]

_REGISTRY: dict[str, dict[str, Scenario]] = {}


def scenario(task_id: str) -> Callable[[Scenario], Scenario]:
    """Register a scenario of `task_id`, under its function name."""

    def register(function: Scenario) -> Scenario:
        _REGISTRY.setdefault(task_id, {})[function.__name__] = function
        return function

    return register


def scenarios_for(task_id: str) -> dict[str, Scenario]:
    return dict(_REGISTRY.get(task_id, {}))


LEAF_ERROR = "a leaf Variable that requires grad"  # PyTorch's words when an update is recorded


def guarded(call: Callable[[], Any]) -> dict[str, Any]:
    """Run `call()`; an in-place update of a leaf under autograd becomes data, not a crash.

    Every other exception (NotImplementedError included) propagates as usual.
    """
    try:
        return {"autograd_error": None, "value": call()}
    except RuntimeError as error:
        if isinstance(error, NotImplementedError) or LEAF_ERROR not in str(error):
            raise
        return {"autograd_error": str(error)[:200], "value": None}
