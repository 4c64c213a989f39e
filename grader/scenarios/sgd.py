"""Scenarios for unit 4, stochastic gradient descent (`sgd.py`).

Runs that must not use `torch.optim` happen inside `_watch_torch_optim`, which
records any use of torch's own SGD; updates recorded by autograd are caught
by `guarded`. The checks (`grader/checks/test_sgd.py`) rebuild the inputs and
gradients from the case tables and builders here, and recompute every
expected result themselves (with `torch.optim.SGD` for the optimizer).
"""

import contextlib
import importlib

import torch
import torch.nn.functional as F

from grader import inputs
from grader.scenarios import describe, guarded, scenario

GLOBAL_SEED = 4444  # the global seed set right before a call that takes a generator
# torch.optim deletes the names of its submodules; fetch them from the import system.
TORCH_SGD_MODULE = importlib.import_module("torch.optim.sgd")
try:
    TORCH_FUNCTIONAL = importlib.import_module("torch.optim._functional")
except ImportError:  # pragma: no cover - older or newer torch
    TORCH_FUNCTIONAL = None
REAL_TORCH_SGD = TORCH_SGD_MODULE.SGD


# --- 4.1 mse -----------------------------------------------------------------------

MSE_CASES = {
    "vector": ((7,), torch.float64, 411),
    "matrix_float32": ((3, 4), torch.float32, 413),
    "cube": ((2, 3, 2), torch.float64, 415),
}


def mse_inputs(case: str):
    shape, dtype, seed = MSE_CASES[case]
    return inputs.randn(*shape, seed=seed, dtype=dtype), inputs.randn(*shape, seed=seed + 1, dtype=dtype)


@scenario("4.1")
def mse_of_several_shapes(submission):
    results = {}
    for case in MSE_CASES:
        y_hat, y = mse_inputs(case)
        results[case] = {"result": submission.mse(y_hat, y), "y_hat": y_hat, "y": y}
    return results


@scenario("4.1")
def mse_backward(submission):
    y_hat, y = mse_inputs("matrix_float32")
    y_hat.requires_grad_(True)
    result = submission.mse(y_hat, y)
    flows = type(result) is torch.Tensor and result.requires_grad and result.dim() == 0
    if flows:
        result.backward()
    return {"result": result, "flows": flows, "grad": y_hat.grad}


# --- 4.2 minibatches ---------------------------------------------------------------

BATCH_CASES = {  # scenario: (n, batch_size, generator seed)
    "divides": (12, 4, 421),
    "shorter_last": (10, 4, 422),
    "larger_than_n": (3, 8, 423),
}


def _batches_scenario(case: str):
    n, batch_size, seed = BATCH_CASES[case]

    def run(submission):
        torch.manual_seed(GLOBAL_SEED)
        return submission.minibatches(n, batch_size, inputs.generator(seed))

    run.__name__ = f"batches_{case}"
    return scenario("4.2")(run)


for _case in BATCH_CASES:
    _batches_scenario(_case)


@scenario("4.2")
def two_epochs_one_generator(submission):
    generator = inputs.generator(424)
    return [submission.minibatches(7, 2, generator), submission.minibatches(7, 2, generator)]


@scenario("4.2")
def same_seed_other_global_seeds(submission):
    torch.manual_seed(1)
    first = submission.minibatches(9, 4, inputs.generator(425))
    torch.manual_seed(2)
    second = submission.minibatches(9, 4, inputs.generator(425))
    return [first, second]


@scenario("4.2")
def no_generator(submission):
    torch.manual_seed(426)
    return submission.minibatches(8, 3)


# --- keeping torch.optim out -------------------------------------------------------


@contextlib.contextmanager
def _watch_torch_optim():
    """Swap torch.optim.SGD and its functional form for stand-ins that record their use.

    The stand-ins still work, so only the check that forbids them fails. Any
    optimizer class of torch itself that gets constructed is recorded too,
    however it was reached. Everything is restored afterwards.
    """
    used: list[str] = []
    sgd_module = TORCH_SGD_MODULE
    real_sgd = REAL_TORCH_SGD
    real_init = vars(torch.optim.Optimizer)["__init__"]

    class StandInSGD(real_sgd):
        def __init__(self, *args, **kwargs):
            used.append("torch.optim.SGD")
            super().__init__(*args, **kwargs)

    def recording(name, function):
        def stand_in(*args, **kwargs):
            used.append(name)
            return function(*args, **kwargs)

        return stand_in

    def init(self, *args, **kwargs):
        for kind in type(self).__mro__:
            if kind not in (torch.optim.Optimizer, object, StandInSGD) and kind.__module__.startswith("torch."):
                used.append(f"torch.optim.{kind.__name__}")
                break
        return real_init(self, *args, **kwargs)

    patches = [(torch.optim, "SGD", StandInSGD), (sgd_module, "SGD", StandInSGD), (torch.optim.Optimizer, "__init__", init)]
    for name in ("sgd", "_single_tensor_sgd", "_multi_tensor_sgd", "_fused_sgd"):
        if name in vars(sgd_module):
            patches.append((sgd_module, name, recording("torch.optim.sgd.sgd", vars(sgd_module)[name])))
    functional = TORCH_FUNCTIONAL
    if functional is not None and "sgd" in vars(functional):
        patches.append((functional, "sgd", recording("torch.optim._functional.sgd", vars(functional)["sgd"])))
    saved = [(owner, name, vars(owner)[name]) for owner, name, _ in patches]
    try:
        for owner, name, stand_in in patches:
            setattr(owner, name, stand_in)
        yield used
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _forbidden(used: list[str]) -> list[str]:
    return sorted(set(used))


# --- 4.3 SGD -----------------------------------------------------------------------

SGD_SHAPES = [((3, 2), torch.float64), ((2,), torch.float32), ((4,), torch.float64), ((2, 2), torch.float64)]
NEVER = 2  # params[2] never has a gradient
SOMETIMES, SKIPPED_STEP = 3, 2  # params[3] has no gradient in step 2
SGD_STEPS = 5
SGD_CONFIGS = {
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.1},
    "momentum_weight_decay": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
    "nesterov": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "nesterov_weight_decay": {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1, "nesterov": True},
}
LR_CONFIG, LR_CHANGE = {"lr": 0.1, "momentum": 0.9}, (2, 0.02)  # lr 0.02 from step 2 on
GENERATOR_CONFIG = "momentum_weight_decay"
MODEL_CONFIG = {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}
MODEL_STEPS = 3


def sgd_start() -> list[torch.Tensor]:
    return [inputs.randn(*shape, seed=401 + i, dtype=dtype) for i, (shape, dtype) in enumerate(SGD_SHAPES)]


def sgd_gradient(i: int, step: int, value: torch.Tensor) -> torch.Tensor | None:
    """The gradient params[i] gets before `step`: seeded, and depending on its value."""
    if i == NEVER or (i == SOMETIMES and step == SKIPPED_STEP):
        return None
    shape, dtype = SGD_SHAPES[i]
    return inputs.randn(*shape, seed=4100 + 10 * i + step, dtype=dtype) + 0.5 * value.detach()


def _subclasses_torch_sgd(submission) -> bool:
    """Checked outside `_watch_torch_optim`, where torch.optim.SGD is the real class."""
    return isinstance(submission.SGD, type) and issubclass(submission.SGD, REAL_TORCH_SGD)


def _run_sgd(submission, config: dict, *, as_generator: bool = False, lr_change=None) -> dict:
    """Construct the submission's SGD, take SGD_STEPS steps; record every param after each."""
    params = [p.clone().requires_grad_(True) for p in sgd_start()]
    report = {"trajectory": None, "param_groups": "ok", "subclass": _subclasses_torch_sgd(submission)}
    with _watch_torch_optim() as used:

        def steps():
            optimizer = submission.SGD((p for p in params) if as_generator else params, **config)
            if lr_change is not None:
                groups = getattr(optimizer, "param_groups", None)
                if not (type(groups) is list and groups and type(groups[0]) is dict and {"lr", "params"} <= set(groups[0])):
                    report["param_groups"] = describe(groups)
                    return None
            trajectory = []
            for step in range(SGD_STEPS):
                if lr_change is not None and step == lr_change[0]:
                    optimizer.param_groups[0]["lr"] = lr_change[1]
                for i, param in enumerate(params):
                    param.grad = sgd_gradient(i, step, param)
                optimizer.step()
                trajectory.append([param.detach().clone() for param in params])
            return trajectory

        run = guarded(steps)
    report.update(
        trajectory=run["value"],
        autograd_error=run["autograd_error"],
        forbidden=_forbidden(used),
        is_leaf=[p.is_leaf for p in params],
        requires_grad=[p.requires_grad for p in params],
        grad_fn=[p.grad_fn is not None for p in params],
    )
    return report


def _config_scenario(config_name: str):
    def run(submission):
        return _run_sgd(submission, SGD_CONFIGS[config_name])

    run.__name__ = f"sgd_{config_name}"
    return scenario("4.3")(run)


for _config_name in SGD_CONFIGS:
    _config_scenario(_config_name)


@scenario("4.3")
def sgd_changed_lr(submission):
    return _run_sgd(submission, LR_CONFIG, lr_change=LR_CHANGE)


@scenario("4.3")
def sgd_generator_of_params(submission):
    return _run_sgd(submission, SGD_CONFIGS[GENERATOR_CONFIG], as_generator=True)


def linear_data():
    weight = inputs.randn(2, 3, seed=451, dtype=torch.float32)
    bias = inputs.randn(2, seed=452, dtype=torch.float32)
    x = inputs.randn(6, 3, seed=453, dtype=torch.float32)
    target = inputs.randn(6, 2, seed=454, dtype=torch.float32)
    return weight, bias, x, target


@scenario("4.3")
def sgd_model_parameters(submission):
    weight, bias, x, target = linear_data()
    model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(weight)
        model.bias.copy_(bias)
    report = {"subclass": _subclasses_torch_sgd(submission)}
    with _watch_torch_optim() as used:

        def steps():
            optimizer = submission.SGD(model.parameters(), **MODEL_CONFIG)
            trajectory = []
            for _ in range(MODEL_STEPS):
                model.weight.grad = model.bias.grad = None
                F.mse_loss(model(x), target).backward()
                optimizer.step()
                trajectory.append([model.weight.detach().clone(), model.bias.detach().clone()])
            return trajectory

        run = guarded(steps)
    return {**report, "trajectory": run["value"], "autograd_error": run["autograd_error"], "forbidden": _forbidden(used)}


ZERO_GRAD_CONFIG = "momentum"


@scenario("4.3")
def sgd_zero_grad(submission):
    """SGD_STEPS steps as in `sgd_momentum`, then fresh gradients and one zero_grad()."""
    params = [p.clone().requires_grad_(True) for p in sgd_start()]
    report = {"subclass": _subclasses_torch_sgd(submission)}
    with _watch_torch_optim() as used:

        def steps():
            optimizer = submission.SGD(params, **SGD_CONFIGS[ZERO_GRAD_CONFIG])
            trajectory = []
            for step in range(SGD_STEPS):
                for i, param in enumerate(params):
                    param.grad = sgd_gradient(i, step, param)
                optimizer.step()
                trajectory.append([param.detach().clone() for param in params])
            for i, param in enumerate(params):
                param.grad = sgd_gradient(i, SGD_STEPS, param)
            optimizer.zero_grad()
            return trajectory

        run = guarded(steps)
    return {
        **report,
        "trajectory": run["value"],
        "autograd_error": run["autograd_error"],
        "forbidden": _forbidden(used),
        "values": [p.detach().clone() for p in params],
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in params],
    }


# --- 4.4 train_linear_regression ---------------------------------------------------

TRUE_A = (3.0, 2.0)
START_A = (-1.0, 1.0)
REGRESSION_CASES = {  # scenario: (n, data seed, dtype, keyword arguments, generator seed)
    "lesson_defaults": (40, 441, torch.float64, {}, None),
    "full_batch_float32": (16, 443, torch.float32, {"lr": 0.3, "epochs": 12}, None),
    "minibatches_shorter_last": (10, 445, torch.float64, {"lr": 0.2, "epochs": 3, "batch_size": 4}, 4401),
    "one_sample_batches_float32": (6, 447, torch.float32, {"lr": 0.1, "epochs": 2, "batch_size": 1}, 4402),
}


def lesson_data(n: int, seed: int, dtype: torch.dtype):
    """x[:, 0] uniform in [-1, 1] and a column of ones; y = x @ (3, 2) + noise; a0 = (-1, 1)."""
    first = inputs.uniform(n, low=-1.0, high=1.0, seed=seed, dtype=dtype)
    x = torch.stack([first, torch.ones_like(first)], dim=1)
    y = x @ torch.tensor(TRUE_A, dtype=dtype) + 0.3 * inputs.randn(n, seed=seed + 1, dtype=dtype)
    return x, y, torch.tensor(START_A, dtype=dtype)


def _regression_scenario(case: str):
    n, data_seed, dtype, kwargs, seed = REGRESSION_CASES[case]

    def run(submission):
        x, y, a0 = lesson_data(n, data_seed, dtype)
        extra = {} if seed is None else {"generator": inputs.generator(seed)}
        with _watch_torch_optim() as used:
            torch.manual_seed(GLOBAL_SEED)
            result = guarded(lambda: submission.train_linear_regression(x, y, a0, **kwargs, **extra))
        return {**result, "forbidden": _forbidden(used), "x": x, "y": y, "a0": a0}

    run.__name__ = f"regression_{case}"
    return scenario("4.4")(run)


for _case in REGRESSION_CASES:
    _regression_scenario(_case)
