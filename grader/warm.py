"""Warm a process once: the worker before it forks tasks, and the judge's oracles.

Tasks are forked from the warm worker, so what is imported and initialised
here is paid for once, not once per task:

- The first use of `torch.optim` imports `torch._dynamo` (about 0.8 s: sympy
  and hundreds of modules) only to switch off a compiler that eager code never
  runs. A stand-in answers the two calls eager optimizers make
  (`disable`, `graph_break`) exactly as eager mode does, and imports the real
  module the moment anything else of it is used (`torch.compile`, say). The
  judge installs it too: its oracles use `torch.optim`. `torch.func`'s
  gradients (`grad`, `vjp`, `jacrev`, `jvp`) only switch compiled autograd
  off around each call: the stand-in does that too.
- Lazily initialised paths (autograd, `nn` initialisation, optimizers,
  schedulers, `randperm`) run once on tiny tensors.
- One intra-op thread: the tensors are tiny, and task processes need the cores.
- `torch.manual_seed` seeds the CPU generator only, where no accelerator
  (CUDA, XPU, MTIA, MPS, a custom device) is available: there it queues a seed
  for each accelerator, recording the Python stack each time (reading the
  source of every frame, about a millisecond in a fresh task process), for an
  accelerator that can never start, so the seeds could never apply. The
  scenarios seed before every call.
- Standard modules a student is likely to import are loaded here, so that a
  task does not pay for them.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import types

import torch

from grader import wire

TORCH_MODULES = ("torch.func", "torch.autograd.functional", "torch.testing", "torch.utils.data", "torch.nn.init")
STUDENT_MODULES = (
    "math", "random", "itertools", "functools", "collections", "copy", "operator",
    "statistics", "typing", "dataclasses", "time", "json", "re", "numbers", "fractions",
    "decimal", "heapq", "bisect", "string", "textwrap", "warnings", "contextlib",
)  # fmt: skip

_warmed = False


class _CompiledAutogradStandIn(types.ModuleType):
    """`torch._dynamo.compiled_autograd` for `torch.func`: its gradient transforms switch compiled
    autograd off around each gradient (`_disable`), which here only asks torch's C side, as the
    real one does. Any other name loads the real dynamo."""

    @staticmethod
    @contextlib.contextmanager
    def _disable():
        compiler = torch._C._dynamo.compiled_autograd
        prior_compiler, prior_dynamic = compiler.set_autograd_compiler(None, False)
        try:
            yield
        finally:
            compiler.set_autograd_compiler(prior_compiler, prior_dynamic)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        # Importing the submodule loads the real dynamo through its stand-in's `__path__`, or finds it loaded.
        return getattr(importlib.import_module(self.__name__), name)


class _DynamoStandIn(types.ModuleType):
    """`torch._dynamo` until something needs the real one."""

    compiled_autograd = _CompiledAutogradStandIn("torch._dynamo.compiled_autograd")

    @staticmethod
    def disable(fn=None, recursive=True, **_options):
        # Outside of torch.compile, a disabled function is the function itself.
        return fn if fn is not None else (lambda function: function)

    @staticmethod
    def graph_break() -> None:
        return None

    def __getattr__(self, name: str):
        if name.startswith("__") and name != "__path__":
            # Tools that scan every module (inspect.getmodule asks for __file__) must not load it.
            raise AttributeError(name)
        return getattr(_load_real("torch._dynamo", self), name)


def install_dynamo_stand_in() -> None:
    install_symbolic_shapes_stand_in()
    if "torch._dynamo" in sys.modules:
        return
    stand_in = _DynamoStandIn("torch._dynamo")
    sys.modules["torch._dynamo"] = stand_in
    torch._dynamo = stand_in


class _SymbolicShapesStandIn(types.ModuleType):
    """`torch.fx.experimental.symbolic_shapes` for eager tensors, until something needs the real one.

    Autograd imports it (and with it sympy: about 0.7 s) the first time a
    gradient is given to `backward()` or `torch.autograd.grad`, only to
    compare two plain shapes. Both functions it uses answer here exactly as the
    real ones do for plain Python values; anything symbolic, or any other name,
    loads the real module.
    """

    def expect_true(self, a, skip: int = 0):
        if type(a) is bool:
            return a
        return _load_real(self.__name__, self).expect_true(a, skip + 1)

    def sym_eq(self, x, y):
        if isinstance(x, tuple | list) and isinstance(y, tuple | list):
            return len(x) == len(y) and all(self.sym_eq(a, b) for a, b in zip(x, y, strict=True))
        if type(x) is int and type(y) is int:
            return x == y
        return _load_real(self.__name__, self).sym_eq(x, y)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # a plain module: no __path__, and no loading for a dunder probe
            raise AttributeError(name)
        return getattr(_load_real(self.__name__, self), name)


def _load_real(name: str, stand_in: types.ModuleType) -> types.ModuleType:
    """Replace a stand-in by the real module (imported now) wherever it was registered.

    The real module's own import may reach the stand-in again (through an
    attribute of its parent package bound before the import finished): then
    the module being imported, registered in `sys.modules`, answers.
    """
    current = sys.modules.get(name)
    if current is not None and current is not stand_in:
        return current
    parent, _, child = name.rpartition(".")
    package = sys.modules[parent]
    sys.modules.pop(name, None)
    if package.__dict__.get(child) is stand_in:
        delattr(package, child)
    try:
        real = importlib.import_module(name)
    except BaseException:
        sys.modules[name] = stand_in
        setattr(package, child, stand_in)
        raise
    setattr(package, child, real)
    return real


def install_symbolic_shapes_stand_in() -> None:
    name = "torch.fx.experimental.symbolic_shapes"
    if name in sys.modules:
        return
    import torch.fx.experimental

    stand_in = _SymbolicShapesStandIn(name)
    # Bound as functions of the module, as `from ... import expect_true` expects.
    stand_in.__dict__["expect_true"] = stand_in.expect_true
    stand_in.__dict__["sym_eq"] = stand_in.sym_eq
    sys.modules[name] = stand_in
    torch.fx.experimental.symbolic_shapes = stand_in


def _exercise_torch() -> None:
    generator = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Sigmoid(), torch.nn.ReLU(), torch.nn.Linear(2, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)
    x = torch.randn(4, 3, generator=generator)
    target = torch.randperm(4, generator=generator) % 2
    loss = torch.nn.CrossEntropyLoss()(model(x), target) + torch.nn.functional.mse_loss(x, x)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
    point = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    torch.autograd.grad((point**2).sum(), point)
    torch.nn.functional.one_hot(target, 2).double().softmax(dim=1)
    repr(point * 2)  # printing a tensor imports its formatting modules
    repr(torch.tensor(1.5))
    # A task process sends its results with torch.save, which imports helpers on first use.
    wire.loads(wire.dumps({"tensor": point.detach(), "items": [1.0, (2, None)]}))


def _accelerator_available() -> bool:
    for name in ("cuda", "xpu", "mtia"):
        module = getattr(torch, name, None)
        is_available = getattr(module, "is_available", None)
        if is_available is None or is_available():
            return True
    mps = getattr(torch.backends, "mps", None)
    if mps is None or mps.is_available():
        return True
    return torch._C._get_privateuse1_backend_name() != "privateuseone"


def install_cpu_seeding() -> bool:
    """`torch.manual_seed` as it behaves on a machine without accelerators, without its cost (see above)."""
    import torch.random

    if _accelerator_available():
        return False

    def _manual_seed_impl(seed) -> torch.Generator:
        return torch.default_generator.manual_seed(int(seed))

    torch.random._manual_seed_impl = _manual_seed_impl
    return True


def warm_up() -> None:
    """Prepare this process to be forked into task processes (idempotent)."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    # Grading works on tiny tensors: a pool of spinning OpenMP threads would only
    # compete with the task processes for the cores.
    torch.set_num_threads(1)
    install_cpu_seeding()
    install_dynamo_stand_in()
    for name in (*TORCH_MODULES, *STUDENT_MODULES):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    _exercise_torch()
