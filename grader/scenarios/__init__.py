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

Each unit's scenarios live in `grader/scenarios/<module>.py`, apart from its
checks (`grader/checks/test_<module>.py`): `load_unit(module)` registers them
without importing a check, so the process that runs student code never holds
a check, an oracle, `grader.checks`, `grader.messages` or pytest. A scenario
module therefore imports only the standard library, `torch`, `grader.inputs`
and this registry (see `grader/checks/README.md`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

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


def load_unit(module: str) -> ModuleType:
    """Import `grader.scenarios.<module>`, which registers that unit's scenarios.

    The task process calls this instead of importing the unit's check module,
    so that `scenarios_for` knows the unit's tasks without any check loaded.
    """
    found = importlib.import_module(f"{__name__}.{module}")
    try:
        importlib.import_module(f"{__name__}.hidden.{module}")  # absent from the students' copy
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.hidden.{module}":
            raise
    return found


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


# The words for a value, shared with `grader.checks.kit` (which imports them from
# here): a scenario that must report what kind of value came back, rather than
# send it, names it exactly as a check would name the value itself.


def shape_text(shape: torch.Size | tuple[int, ...]) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def dtype_text(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def describe(value: Any) -> str:
    """A short, language-neutral name for a value, as `grader.checks.kit` names it in feedback."""
    if type(value) is torch.Tensor:
        return f"tensor of shape {shape_text(value.shape)} and dtype {dtype_text(value.dtype)}"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "None"
    return type(value).__name__


class AutogradSpy(TorchFunctionMode):
    """Records whether the code run inside it calls autograd (backward or grad), by name, in order.

    `torch.autograd.grad` and `Tensor.backward` dispatch through torch-function
    modes, so even `from torch.autograd import grad` is seen. (The units that
    forbid autograd stop it in `grader.forbid`; this only records the use.)
    """

    WATCHED = {torch.Tensor.backward: "Tensor.backward", torch.autograd.backward: "torch.autograd.backward", torch.autograd.grad: "torch.autograd.grad"}

    def __init__(self) -> None:
        super().__init__()
        self.used: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = self.WATCHED.get(func)
        if name is not None and name not in self.used:
            self.used.append(name)
        return func(*args, **(kwargs or {}))
