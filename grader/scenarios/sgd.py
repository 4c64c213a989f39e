"""Scenarios for unit 4, stochastic gradient descent (`sgd.py`).

Each task is called on plain inputs first, then on the same values passed the
ways real callers pass them (`grader.scenarios.families`): transposed and
strided views, inputs that require grad, keyword and positional calls,
repeated calls, two optimizers alive at once, gradients that are `None`, all
zeros or written in place. Every family is a scenario of its own, so a check
can say under which condition a result went wrong.

Runs that must not use `torch.optim` happen inside `_watch_torch_optim`, which
records any use of torch's own SGD; updates recorded by autograd are caught
by `guarded`. The checks (`grader/checks/test_sgd.py`) rebuild the inputs and
gradients from the case tables and builders here, and recompute every
expected result themselves (with `torch.optim.SGD` for the optimizer).
"""

import contextlib
import importlib
import inspect

import torch
import torch.nn.functional as F

from grader import inputs
from grader.scenarios import AutogradSpy, describe, families, guarded, scenario

GLOBAL_SEED = 4444  # the global seed set right before a call that takes a generator
# torch.optim deletes the names of its submodules; fetch them from the import system.
TORCH_SGD_MODULE = importlib.import_module("torch.optim.sgd")
try:
    TORCH_FUNCTIONAL = importlib.import_module("torch.optim._functional")
except ImportError:  # pragma: no cover - older or newer torch
    TORCH_FUNCTIONAL = None
REAL_TORCH_SGD = TORCH_SGD_MODULE.SGD


def signature_of(function) -> dict:
    """The parameter names and defaults of a submission's function (or class), as data."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return {"names": None, "defaults": None, "flexible": True}
    plain = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return {
        "names": [p.name for p in plain],
        "defaults": {p.name: p.default for p in plain if p.default is not p.empty and isinstance(p.default, int | float | bool | type(None))},
        "flexible": any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters),
    }


# --- 4.1 mse -----------------------------------------------------------------------

MSE_CASES = {  # case: (shape, dtype, seed)
    "vector": ((7,), torch.float64, 411),
    "matrix_float32": ((3, 4), torch.float32, 413),
    "cube": ((2, 3, 2), torch.float64, 415),
    "matrix": ((4, 5), torch.float64, 419),
    "one_element": ((1,), torch.float32, 417),
}
MSE_LAYOUT_CASE = "matrix"  # the views below hold its values
MSE_LAYOUTS = {  # scenario: (how y_hat is passed, how y is passed)
    "transposed_y_hat": ("transposed", "plain"),
    "transposed_y": ("plain", "transposed"),
    "strided_both": ("strided", "strided"),
}
MSE_ARGUMENTS = ("y_hat", "y")
MSE_GRAD_CASE = "matrix_float32"


def mse_inputs(case: str):
    shape, dtype, seed = MSE_CASES[case]
    return inputs.randn(*shape, seed=seed, dtype=dtype), inputs.randn(*shape, seed=seed + 1, dtype=dtype)


def _layout(t: torch.Tensor, how: str) -> torch.Tensor:
    return {"plain": lambda v: v, "transposed": families.transposed, "strided": families.strided}[how](t)


@scenario("4.1")
def mse_of_several_shapes(submission):
    results = {}
    for case in MSE_CASES:
        y_hat, y = mse_inputs(case)
        results[case] = {"result": submission.mse(y_hat, y), "y_hat": y_hat, "y": y}
    return results


def _mse_layout_scenario(layout: str):
    def run(submission):
        y_hat, y = mse_inputs(MSE_LAYOUT_CASE)
        y_hat, y = _layout(y_hat, MSE_LAYOUTS[layout][0]), _layout(y, MSE_LAYOUTS[layout][1])
        return {"result": submission.mse(y_hat, y), "y_hat": y_hat.clone(), "y": y.clone()}

    run.__name__ = f"mse_{layout}"
    return scenario("4.1")(run)


for _layout_name in MSE_LAYOUTS:
    _mse_layout_scenario(_layout_name)


def _mse_style_scenario(style: str):
    def run(submission):
        y_hat, y = mse_inputs(MSE_LAYOUT_CASE)
        return {"result": families.call(submission.mse, [("y_hat", y_hat), ("y", y)], style)}

    run.__name__ = f"mse_call_{style}"
    return scenario("4.1")(run)


for _style in ("keywords", "mixed"):
    _mse_style_scenario(_style)


@scenario("4.1")
def mse_signature(submission):
    return signature_of(submission.mse)


def _mse_grad_scenario(which: str):
    """`which` inputs require grad; the loss must keep the graph and leave every `.grad` to the caller."""

    def run(submission):
        y_hat, y = mse_inputs(MSE_GRAD_CASE)
        y_hat = families.leaf(y_hat)
        if which == "both":
            y = families.leaf(y)
        result = submission.mse(y_hat, y)
        record = {
            "result": result,
            "grad_before_backward": {"y_hat": y_hat.grad is not None, "y": y.grad is not None},
            "flows": type(result) is torch.Tensor and result.requires_grad and result.dim() == 0,
        }
        if record["flows"]:
            y_hat.grad = y.grad = None
            result.backward()
        record.update(y_hat=families.caller_view(y_hat), y=families.caller_view(y))
        return record

    run.__name__ = f"mse_backward_{which}"
    return scenario("4.1")(run)


for _which in ("y_hat", "both"):
    _mse_grad_scenario(_which)


# --- 4.2 minibatches ---------------------------------------------------------------

BATCH_CASES = {  # case: (n, batch_size, generator seed)
    "divides": (12, 4, 421),
    "shorter_last": (10, 4, 422),
    "larger_than_n": (3, 8, 423),
    "batches_of_one": (5, 1, 427),
    "one_index": (1, 3, 428),
}
BATCH_STYLE_CASE = "shorter_last"
BATCH_ARGUMENTS = ("n", "batch_size", "generator")
TWO_EPOCHS = (7, 2, 424)
OTHER_GLOBAL_SEEDS = (9, 4, 425, (1, 2))
NO_GENERATOR = (8, 3, 426)  # n, batch_size, global seed


def _batches_scenario(case: str):
    n, batch_size, seed = BATCH_CASES[case]

    def run(submission):
        torch.manual_seed(GLOBAL_SEED)
        return submission.minibatches(n, batch_size, inputs.generator(seed))

    run.__name__ = f"batches_{case}"
    return scenario("4.2")(run)


for _case in BATCH_CASES:
    _batches_scenario(_case)


def _batches_style_scenario(style: str):
    n, batch_size, seed = BATCH_CASES[BATCH_STYLE_CASE]

    def run(submission):
        torch.manual_seed(GLOBAL_SEED)
        arguments = [("n", n), ("batch_size", batch_size), ("generator", inputs.generator(seed))]
        return families.call(submission.minibatches, arguments, style)

    run.__name__ = f"batches_call_{style}"
    return scenario("4.2")(run)


for _style in ("keywords", "mixed"):
    _batches_style_scenario(_style)


@scenario("4.2")
def batches_signature(submission):
    return signature_of(submission.minibatches)


@scenario("4.2")
def two_epochs_one_generator(submission):
    n, batch_size, seed = TWO_EPOCHS
    generator = inputs.generator(seed)
    return [submission.minibatches(n, batch_size, generator), submission.minibatches(n, batch_size, generator)]


@scenario("4.2")
def same_seed_other_global_seeds(submission):
    n, batch_size, seed, global_seeds = OTHER_GLOBAL_SEEDS
    runs = []
    for global_seed in global_seeds:
        torch.manual_seed(global_seed)
        runs.append(submission.minibatches(n, batch_size, inputs.generator(seed)))
    return runs


@scenario("4.2")
def no_generator(submission):
    """Two epochs without a generator: both follow the global random state."""
    n, batch_size, global_seed = NO_GENERATOR
    torch.manual_seed(global_seed)
    return [submission.minibatches(n, batch_size), submission.minibatches(n, batch_size)]


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

SGD_SHAPES = (((3, 2), torch.float64), ((2,), torch.float32), ((4,), torch.float64), ((2, 2), torch.float64))
SGD_PROBLEM = (SGD_SHAPES, 401, 4100)  # shapes, seed of the start values, seed base of the gradients
SECOND_PROBLEM = (SGD_SHAPES, 501, 4600)  # the second optimizer's parameters, in `sgd_two_instances`
NEVER = 2  # in the "none" gradients, params[2] never has a gradient
SOMETIMES, SKIPPED_STEP = 3, 2  # and params[3] has none in step 2
ZERO_FROM = 2  # in the "zeros" gradients, every gradient is zero from step 2 on
SGD_STEPS = 5
SGD_CONFIGS = {
    "plain": {"lr": 0.1, "momentum": 0.0, "weight_decay": 0.0, "nesterov": False},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.1},
    "momentum_weight_decay": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
    "nesterov": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "nesterov_weight_decay": {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1, "nesterov": True},
}
SGD_ARGUMENTS = ("params", "lr", "momentum", "weight_decay", "nesterov")
STYLE_CONFIG = "nesterov_weight_decay"  # the call styles pass every argument of this config
DEFAULTS_CONFIG = {"lr": 0.1}  # SGD(params, 0.1): every other argument left at its default
LR_CONFIG, LR_CHANGE = "momentum", (2, 0.02)  # lr 0.02 from step 2 on
GENERATOR_CONFIG = "momentum_weight_decay"
NONE_CONFIG = ZEROS_CONFIG = "momentum_weight_decay"
IN_PLACE_CONFIG = "momentum"  # without weight decay, a buffer that is not copied is p.grad itself
TWO_INSTANCES = ("momentum", "momentum_weight_decay")  # the first and the second optimizer
ZERO_GRAD_CONFIG, ZERO_GRAD_AFTER = "momentum", 3  # zero_grad() after 3 steps, then the rest
MODEL_CONFIG = {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}
MODEL_STEPS = 3


def start_params(problem=SGD_PROBLEM) -> list[torch.Tensor]:
    shapes, seed, _ = problem
    return [inputs.randn(*shape, seed=seed + i, dtype=dtype) for i, (shape, dtype) in enumerate(shapes)]


def sgd_start() -> list[torch.Tensor]:
    return start_params(SGD_PROBLEM)


def sgd_gradient(i: int, step: int, value: torch.Tensor, kind: str = "full", problem=SGD_PROBLEM) -> torch.Tensor | None:
    """The gradient params[i] gets before `step`: seeded, and depending on its value.

    `kind` is "full" (every param, every step), "none" (params[NEVER] never,
    params[SOMETIMES] not in SKIPPED_STEP) or "zeros" (all zeros from ZERO_FROM on).
    """
    shapes, _, base = problem
    if kind == "none" and (i == NEVER or (i == SOMETIMES and step == SKIPPED_STEP)):
        return None
    shape, dtype = shapes[i]
    if kind == "zeros" and step >= ZERO_FROM:
        return torch.zeros(shape, dtype=dtype)
    return inputs.randn(*shape, seed=base + 10 * i + step, dtype=dtype) + 0.5 * value.detach()


def _subclasses_torch_sgd(submission) -> bool:
    """Checked outside `_watch_torch_optim`, where torch.optim.SGD is the real class."""
    return isinstance(submission.SGD, type) and issubclass(submission.SGD, REAL_TORCH_SGD)


def _values(params) -> list[torch.Tensor]:
    return [p.detach().clone() for p in params]


def _grads(params) -> list[torch.Tensor | None]:
    return [None if p.grad is None else p.grad.detach().clone() for p in params]


def _leaves(params) -> dict:
    return {
        "is_leaf": [bool(p.is_leaf) for p in params],
        "requires_grad": [bool(p.requires_grad) for p in params],
        "grad_fn": [p.grad_fn is not None for p in params],
    }


def _watched(submission, body) -> dict:
    """Run `body()` watching for torch.optim and for updates recorded by autograd."""
    report = {"subclass": _subclasses_torch_sgd(submission)}
    with _watch_torch_optim() as used:
        run = guarded(body)
    return {**report, "value": run["value"], "autograd_error": run["autograd_error"], "forbidden": _forbidden(used)}


def _param_groups_problem(optimizer) -> str | None:
    groups = getattr(optimizer, "param_groups", None)
    if type(groups) is list and groups and type(groups[0]) is dict and {"lr", "params"} <= set(groups[0]):
        return None
    return describe(groups)


def _set_gradients(params, step, kind, problem, in_place) -> None:
    for i, param in enumerate(params):
        grad = sgd_gradient(i, step, param, kind, problem)
        if in_place and grad is not None and type(param.grad) is torch.Tensor and param.grad.shape == grad.shape:
            param.grad.copy_(grad)  # as backward() does into gradients zeroed in place
        else:
            param.grad = grad


def run_sgd(submission, make, *, problem=SGD_PROBLEM, steps=SGD_STEPS, kind="full", lr_change=None, in_place=False, as_generator=False) -> dict:
    """`make(params)` builds the submission's SGD; take `steps` steps and record every param and gradient after each."""
    params = [p.clone().requires_grad_(True) for p in start_params(problem)]

    def body():
        optimizer = make((p for p in params) if as_generator else params)
        if lr_change is not None and (problem_text := _param_groups_problem(optimizer)):
            return {"param_groups": problem_text, "trajectory": None, "grads_before": None, "grads_after": None}
        trajectory, grads_before, grads_after = [], [], []
        for step in range(steps):
            if lr_change is not None and step == lr_change[0]:
                optimizer.param_groups[0]["lr"] = lr_change[1]
            _set_gradients(params, step, kind, problem, in_place)
            grads_before.append(_grads(params))
            optimizer.step()
            trajectory.append(_values(params))
            grads_after.append(_grads(params))
        return {"param_groups": None, "trajectory": trajectory, "grads_before": grads_before, "grads_after": grads_after}

    report = _watched(submission, body)
    value = report.pop("value") or {"param_groups": None, "trajectory": None, "grads_before": None, "grads_after": None}
    return {**report, **value, **_leaves(params)}


def _config_scenario(config_name: str):
    def run(submission):
        return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[config_name]))

    run.__name__ = f"sgd_{config_name}"
    return scenario("4.3")(run)


for _config_name in SGD_CONFIGS:
    _config_scenario(_config_name)


def _sgd_style_scenario(style: str):
    def run(submission):
        config = SGD_CONFIGS[STYLE_CONFIG]
        return run_sgd(submission, lambda params: families.call(submission.SGD, [("params", params), *config.items()], style))

    run.__name__ = f"sgd_call_{style}"
    return scenario("4.3")(run)


for _style in ("positional", "keywords", "mixed"):
    _sgd_style_scenario(_style)


@scenario("4.3")
def sgd_defaults(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, DEFAULTS_CONFIG["lr"]))


@scenario("4.3")
def sgd_signature(submission):
    return signature_of(submission.SGD)


@scenario("4.3")
def sgd_changed_lr(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[LR_CONFIG]), lr_change=LR_CHANGE)


@scenario("4.3")
def sgd_generator_of_params(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[GENERATOR_CONFIG]), as_generator=True)


@scenario("4.3")
def sgd_none_grads(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[NONE_CONFIG]), kind="none")


@scenario("4.3")
def sgd_zero_grads(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[ZEROS_CONFIG]), kind="zeros")


@scenario("4.3")
def sgd_in_place_grads(submission):
    return run_sgd(submission, lambda params: submission.SGD(params, **SGD_CONFIGS[IN_PLACE_CONFIG]), in_place=True)


@scenario("4.3")
def sgd_two_instances(submission):
    """Two optimizers on different params, stepped in turn: neither may see the other."""
    problems = (SGD_PROBLEM, SECOND_PROBLEM)
    groups = [[p.clone().requires_grad_(True) for p in start_params(problem)] for problem in problems]

    def body():
        optimizers = [submission.SGD(params, **SGD_CONFIGS[name]) for params, name in zip(groups, TWO_INSTANCES, strict=True)]
        trajectories = [[], []]
        for step in range(SGD_STEPS):
            for which, (params, optimizer, problem) in enumerate(zip(groups, optimizers, problems, strict=True)):
                _set_gradients(params, step, "full", problem, False)
                optimizer.step()
                trajectories[which].append(_values(params))
        return trajectories

    report = _watched(submission, body)
    return {**report, "trajectories": report.pop("value")}


@scenario("4.3")
def sgd_zero_grad(submission):
    """ZERO_GRAD_AFTER steps, fresh gradients, zero_grad(); then the remaining steps."""
    params = [p.clone().requires_grad_(True) for p in sgd_start()]

    def body():
        optimizer = submission.SGD(params, **SGD_CONFIGS[ZERO_GRAD_CONFIG])
        trajectory, cleared = [], None
        for step in range(SGD_STEPS):
            if step == ZERO_GRAD_AFTER:
                _set_gradients(params, step, "full", SGD_PROBLEM, False)
                before = _values(params)
                optimizer.zero_grad()
                cleared = {"grads": _grads(params), "values": _values(params), "before": before}
            _set_gradients(params, step, "full", SGD_PROBLEM, False)
            optimizer.step()
            trajectory.append(_values(params))
        return {"trajectory": trajectory, "cleared": cleared}

    report = _watched(submission, body)
    value = report.pop("value") or {"trajectory": None, "cleared": None}
    return {**report, **value}


def model_with_buffers() -> torch.nn.Sequential:
    """Linear, BatchNorm1d (its running statistics are buffers, not parameters), Linear; seeded, in eval mode."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    with torch.no_grad():
        for i, tensor in enumerate([*model.parameters(), *model.buffers()]):
            if tensor.is_floating_point():
                tensor.copy_(inputs.randn(*tensor.shape, seed=460 + i, dtype=tensor.dtype))
        model[1].running_var.abs_().add_(0.5)
    return model.eval()


def linear_data():
    x = inputs.randn(6, 3, seed=453, dtype=torch.float32)
    target = inputs.randn(6, 2, seed=454, dtype=torch.float32)
    return x, target


@scenario("4.3")
def sgd_model_parameters(submission):
    model = model_with_buffers()
    x, target = linear_data()

    def body():
        optimizer = submission.SGD(model.parameters(), **MODEL_CONFIG)
        trajectory = []
        for _ in range(MODEL_STEPS):
            for param in model.parameters():
                param.grad = None
            F.mse_loss(model(x), target).backward()
            optimizer.step()
            trajectory.append(_values(model.parameters()))
        return trajectory

    report = _watched(submission, body)
    return {**report, "trajectory": report.pop("value"), "buffers": _values(model.buffers())}


# --- 4.4 train_linear_regression ---------------------------------------------------

TRUE_A = (3.0, 2.0)
START_A = (-1.0, 1.0)
REGRESSION_ARGUMENTS = ("x", "y", "a0", "lr", "epochs", "batch_size", "generator")
REGRESSION_CASES = {  # case: (n, data seed, dtype, keyword arguments, generator seed)
    "lesson_defaults": (40, 441, torch.float64, {}, None),
    "full_batch_float32": (16, 443, torch.float32, {"lr": 0.3, "epochs": 12}, None),
    "minibatches_shorter_last": (10, 445, torch.float64, {"lr": 0.2, "epochs": 3, "batch_size": 4}, 4401),
    "one_sample_batches_float32": (6, 447, torch.float32, {"lr": 0.1, "epochs": 2, "batch_size": 1}, 4402),
    "batch_larger_than_n": (5, 448, torch.float64, {"lr": 0.2, "epochs": 4, "batch_size": 8}, 4403),
    "one_sample": (1, 449, torch.float64, {"lr": 0.1, "epochs": 3, "batch_size": 1}, 4404),
    "zero_epochs": (6, 450, torch.float64, {"lr": 0.1, "epochs": 0, "batch_size": 2}, 4405),
}
STYLE_CASE = "minibatches_shorter_last"  # the families below reuse its data and arguments
NO_GENERATOR_CASE = (10, 445, torch.float64, {"lr": 0.2, "epochs": 3, "batch_size": 4})


def lesson_data(n: int, seed: int, dtype: torch.dtype):
    """x[:, 0] uniform in [-1, 1] and a column of ones; y = x @ (3, 2) + noise; a0 = (-1, 1)."""
    first = inputs.uniform(n, low=-1.0, high=1.0, seed=seed, dtype=dtype)
    x = torch.stack([first, torch.ones_like(first)], dim=1)
    y = x @ torch.tensor(TRUE_A, dtype=dtype) + 0.3 * inputs.randn(n, seed=seed + 1, dtype=dtype)
    return x, y, torch.tensor(START_A, dtype=dtype)


def regression_arguments(case: str):
    """The contract's arguments of a case, in order, as (name, value) pairs (the generator freshly seeded)."""
    n, data_seed, dtype, kwargs, seed = REGRESSION_CASES[case]
    x, y, a0 = lesson_data(n, data_seed, dtype)
    arguments = [("x", x), ("y", y), ("a0", a0), *kwargs.items()]
    if seed is not None:
        arguments.append(("generator", inputs.generator(seed)))
    return arguments


def train_run(submission, arguments, style="mixed_default") -> dict:
    """Call train_linear_regression inside the watches; record the result and the inputs after the call."""
    spy = AutogradSpy()
    with _watch_torch_optim() as used:
        torch.manual_seed(GLOBAL_SEED)
        with spy:
            if style == "mixed_default":  # x, y, a0 by position, the rest by keyword: the common call
                names = dict(arguments)
                result = guarded(lambda: submission.train_linear_regression(names.pop("x"), names.pop("y"), names.pop("a0"), **names))
            else:
                result = guarded(lambda: families.call(submission.train_linear_regression, arguments, style))
    return {**result, "forbidden": _forbidden(used), "autograd": spy.used}


def _regression_scenario(case: str):
    def run(submission):
        arguments = regression_arguments(case)
        record = train_run(submission, arguments)
        return {**record, **{name: value for name, value in arguments[:3]}}

    run.__name__ = f"regression_{case}"
    return scenario("4.4")(run)


for _case in REGRESSION_CASES:
    _regression_scenario(_case)


def _regression_style_scenario(style: str):
    def run(submission):
        return train_run(submission, regression_arguments(STYLE_CASE), style)

    run.__name__ = f"regression_call_{style}"
    return scenario("4.4")(run)


for _style in ("positional", "keywords"):
    _regression_style_scenario(_style)


@scenario("4.4")
def regression_signature(submission):
    return signature_of(submission.train_linear_regression)


@scenario("4.4")
def regression_non_contiguous(submission):
    """x as a transposed view and y as a strided one, holding the values of STYLE_CASE."""
    arguments = regression_arguments(STYLE_CASE)
    values = dict(arguments)
    values["x"], values["y"] = families.transposed(values["x"]), families.strided(values["y"])
    return train_run(submission, list(values.items()))


@scenario("4.4")
def regression_a0_requires_grad(submission):
    """a0 requires grad, as a caller's parameter does: it stays untouched, the result detached."""
    values = dict(regression_arguments(STYLE_CASE))
    values["a0"] = a0 = families.leaf(values["a0"])
    record = train_run(submission, list(values.items()))
    return {**record, "a0": families.caller_view(a0)}


@scenario("4.4")
def regression_twice_one_generator(submission):
    """Two runs with one generator: the second one continues its random stream."""
    values = dict(regression_arguments(STYLE_CASE))
    first = train_run(submission, list(values.items()))
    second = train_run(submission, list(values.items()))
    return {"first": first, "second": second}


@scenario("4.4")
def regression_no_generator(submission):
    """Mini-batches without a generator follow the global seed (set to GLOBAL_SEED right before)."""
    n, data_seed, dtype, kwargs = NO_GENERATOR_CASE
    x, y, a0 = lesson_data(n, data_seed, dtype)
    return train_run(submission, [("x", x), ("y", y), ("a0", a0), *kwargs.items()])
