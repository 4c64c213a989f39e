"""APIs a task forbids, disabled in the task's process before the student's module loads.

Some tasks ask for a gradient or an update written by hand: autograd is
forbidden in 2.2–2.5, `torch.optim.SGD` in 4.3, every `torch.optim` optimizer
in 4.4 (`forbid` in `course.toml`). Watching for those calls is not enough, as
a task can switch a watch off. So the worker replaces the *code* of each
forbidden function with code that raises, in the task's own process only: the
function objects stay where they are (aliases, subclasses, `from ... import`
all reach the same object), and the original code is not kept anywhere the
task could find it. The judge also reads the submission's source for those
names (`grader.source_scan`); either finding costs the task its check.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

MARK = "descent-forbidden"  # the message of the error a disabled API raises starts with this

# policy -> (module, attribute path) of every function it disables
TARGETS: dict[str, tuple[tuple[str, str], ...]] = {
    "autograd": (
        ("torch.autograd", "backward"),
        ("torch.autograd", "grad"),
        ("torch._tensor", "Tensor.backward"),
        ("torch.autograd.functional", "vjp"),
        ("torch.autograd.functional", "jvp"),
        ("torch.autograd.functional", "vhp"),
        ("torch.autograd.functional", "hvp"),
        ("torch.autograd.functional", "jacobian"),
        ("torch.autograd.functional", "hessian"),
        ("torch._functorch.eager_transforms", "grad_impl"),
        ("torch._functorch.eager_transforms", "grad_and_value_impl"),
        ("torch._functorch.eager_transforms", "vjp"),
        ("torch._functorch.eager_transforms", "jvp"),
        ("torch._functorch.eager_transforms", "jacrev"),
        ("torch._functorch.eager_transforms", "jacfwd"),
        ("torch._functorch.eager_transforms", "hessian"),
        ("torch._functorch.eager_transforms", "linearize"),
    ),
    "torch_optim": (
        ("torch.optim.sgd", "SGD.__init__"),
        ("torch.optim.sgd", "SGD.step"),
        ("torch.optim.sgd", "sgd"),
        ("torch.optim.sgd", "_single_tensor_sgd"),
        ("torch.optim.sgd", "_multi_tensor_sgd"),
        ("torch.optim.sgd", "_fused_sgd"),
    ),
}
TARGETS["optimizers"] = (*TARGETS["torch_optim"], ("torch.optim.optimizer", "Optimizer.__init__"), ("torch.optim.optimizer", "Optimizer.step"))

LABELS = {"autograd": "autograd", "torch_optim": "torch.optim", "optimizers": "torch.optim"}


def describe(policy: str, module: str, path: str) -> str:
    """How feedback names a disabled function: `autograd (Tensor.backward)`, `torch.optim.SGD`."""
    name = public_name(module, path).removesuffix(".__init__")
    label = LABELS.get(policy, policy)
    return name if name.startswith(label) else f"{label} ({name})"


PUBLIC_NAMES = {
    "torch._tensor.Tensor": "Tensor",
    "torch._functorch.eager_transforms.grad_impl": "torch.func.grad",
    "torch._functorch.eager_transforms.grad_and_value_impl": "torch.func.grad_and_value",
    "torch._functorch.eager_transforms": "torch.func",
    "torch.optim.sgd.SGD": "torch.optim.SGD",
    "torch.optim.sgd": "torch.optim._functional",
    "torch.optim.optimizer.Optimizer": "torch.optim.Optimizer",
}


def public_name(module: str, path: str) -> str:
    """The name a student knows a function by: `Tensor.backward`, not `torch._tensor.Tensor.backward`."""
    name = f"{module}.{path}"
    for internal, public in PUBLIC_NAMES.items():
        if name == internal or name.startswith(internal + "."):
            return public + name[len(internal) :]
    return name


def _stand_in(name: str, task: str, free: tuple[str, ...], owner: str | None = None) -> Callable:
    """A function that raises, with the same free variables as the one it replaces (so the code fits).

    A constructor (`owner` is its class) says so when the object being built
    is of a subclass: the class statement, not a call, was the forbidden use.
    """
    message = f"{MARK}: {name} is not allowed in task {task}"
    lines = ["def make():"]
    lines += [f"    {variable} = None" for variable in free]
    lines += ["    def stand_in(*args, **kwargs):"]
    if free:
        lines += [f"        ({', '.join(free)},)"]
    if owner and "__class__" in free:
        subclass = f"{MARK}: a subclass of {owner} is not allowed in task {task}"
        # (The scenarios' own watchers subclass it too; they are not the student's.)
        lines += [
            "        if args and type(args[0]) is not __class__ and not type(args[0]).__module__.startswith('grader.'):",
            f"            raise RuntimeError({subclass!r})",
        ]
    lines += [f"        raise RuntimeError({message!r})", "    return stand_in"]
    namespace: dict = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - fixed template, names from this module's table
    return namespace["make"]()


def _resolve(module: str, path: str):
    owner = importlib.import_module(module)
    for part in path.split("."):
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    return owner


def disable(policies: list[str], task: str) -> list[str]:
    """Disable every function of `policies` in this process; the names that could not be."""
    missed = []
    for policy in policies:
        for module, path in TARGETS.get(policy, ()):
            try:
                function = _resolve(module, path)
            except ImportError:
                continue
            function = getattr(function, "__func__", function)
            code = getattr(function, "__code__", None)
            if code is None:
                continue
            owner = public_name(module, path).removesuffix(".__init__") if path.endswith(".__init__") else None
            stand_in = _stand_in(describe(policy, module, path), task, code.co_freevars, owner)
            try:
                function.__code__ = stand_in.__code__
            except ValueError:
                missed.append(f"{module}.{path}")
    if "autograd" in policies:
        _disable_engine(task)
    return missed


class _NoEngine:
    """Stands in for autograd's C++ engine, for calls that go around the Python functions."""

    def __init__(self, task: str) -> None:
        self.task = task

    def __getattr__(self, name: str):
        raise RuntimeError(f"{MARK}: autograd (its engine) is not allowed in task {self.task}")


def _disable_engine(task: str) -> None:
    import torch

    torch.autograd.Variable._execution_engine = _NoEngine(task)
    import torch.autograd.graph as graph

    graph.Variable._execution_engine = torch.autograd.Variable._execution_engine


def is_forbidden_error(message: str) -> bool:
    return message.startswith(MARK)


def forbidden_subclass(message: str) -> str | None:
    """The class named by a disabled constructor's error about a subclass, if that is what it is."""
    marker = f"{MARK}: a subclass of "
    return message[len(marker) :].split(" is not allowed", 1)[0] if message.startswith(marker) else None
