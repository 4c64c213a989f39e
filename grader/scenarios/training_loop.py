"""Scenarios for unit 6, the whole training loop (`training_loop.py`).

Models are built right after `torch.manual_seed(seed)`; the checks
(`grader/checks/test_training_loop.py`) rebuild them, and the data, from the
tables here (`EPOCHS`, `ACCURACY_CASES`, `TRAININGS`). A returned model does
not cross over: `describe_model` sends its type, layers and state, and
`describe` names whatever came back instead of `(model, losses)`.

Each task is called the plain way first (positional, contiguous, nothing
requiring grad), then the ways real callers call it (`grader.scenarios.families`):
keyword calls, views, logits that require grad or sit near ±1000, a
`functools.partial` as `loss_fn`, a model with buffers, two epochs with one
generator, none at all. Every call goes through `attempt`, so that what one
of them raised comes back as data and the check can say under which
condition it broke.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from grader import inputs
from grader.scenarios import describe, families, scenario


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


def state_of(model: nn.Module) -> dict[str, torch.Tensor]:
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


# --- 6.1 train_epoch -----------------------------------------------------------------


def classifier() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))


def regressor() -> nn.Module:
    return nn.Linear(4, 2)


def normalised_classifier() -> nn.Module:
    """A classifier with buffers: BatchNorm's running mean and variance, and its batch count."""
    return nn.Sequential(nn.Linear(6, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))


# How each kind of `loss_fn` is built (the same mean cross-entropy but for "mse").
LOSSES: dict[str, Callable[[], Callable]] = {
    "cross_entropy": lambda: nn.CrossEntropyLoss(),
    "mse": lambda: nn.MSELoss(),
    "function": lambda: F.cross_entropy,
    "partial": lambda: functools.partial(F.cross_entropy, reduction="mean"),
    "lambda": lambda: (lambda output, target: F.cross_entropy(output, target)),
}
LOSS_CODE = {
    "cross_entropy": "nn.CrossEntropyLoss()",
    "mse": "nn.MSELoss()",
    "function": "F.cross_entropy",
    "partial": 'functools.partial(F.cross_entropy, reduction="mean")',
    "lambda": "lambda output, target: F.cross_entropy(output, target)",
}


def classes_24():
    return inputs.randn(24, 6, seed=611, dtype=torch.float32), inputs.classes(24, 3, seed=612)


def regression_10():
    return inputs.randn(10, 4, seed=621, dtype=torch.float32), inputs.randn(10, 2, seed=622, dtype=torch.float32)


def classes_15():
    return inputs.randn(15, 6, seed=631, dtype=torch.float32), inputs.classes(15, 3, seed=632)


def classes_20():
    return inputs.randn(20, 6, seed=641, dtype=torch.float32), inputs.classes(20, 3, seed=642)


@dataclass(frozen=True)
class Epochs:
    """One scenario of 6.1: a seeded model and data, and the calls of train_epoch made on them.

    `plan` holds, per call, whether the generator (seeded with `generator`) is
    passed; a call without it leaves `generator` out, so it falls back to the
    global random state (seeded by `seed` before the model is built).
    """

    seed: int
    build: Callable[[], nn.Module]
    loss: str
    data: Callable[[], tuple[torch.Tensor, torch.Tensor]]
    batch_size: int
    sgd: dict = field(default_factory=lambda: {"lr": 0.5})
    generator: int = 0
    plan: tuple[bool, ...] = (True,)
    stale: bool = False
    dtype: torch.dtype = torch.float32
    style: str = "positional"
    layout: bool = False


EPOCHS = {
    "classifier_epoch": Epochs(61, classifier, "cross_entropy", classes_24, 6, generator=613),
    "regression_short_last_batch": Epochs(62, regressor, "mse", regression_10, 4, {"lr": 0.1, "momentum": 0.5}, generator=623),
    "stale_gradients": Epochs(63, classifier, "cross_entropy", classes_15, 5, generator=633, stale=True),
    # the families
    "loss_function": Epochs(61, classifier, "function", classes_24, 6, generator=613),
    "loss_partial": Epochs(61, classifier, "partial", classes_24, 6, generator=613),
    "loss_lambda": Epochs(61, classifier, "lambda", classes_24, 6, generator=613),
    "buffers": Epochs(64, normalised_classifier, "cross_entropy", classes_20, 6, {"lr": 0.2}, generator=643, plan=(True, True)),
    "views": Epochs(61, classifier, "cross_entropy", classes_24, 6, generator=613, layout=True),
    "keywords": Epochs(61, classifier, "cross_entropy", classes_24, 6, generator=613, style="keywords"),
    "mixed": Epochs(61, classifier, "cross_entropy", classes_24, 6, generator=613, style="mixed"),
    "float64": Epochs(65, classifier, "cross_entropy", lambda: (classes_24()[0].double(), classes_24()[1]), 6, generator=651, dtype=torch.float64),
    "two_epochs": Epochs(66, classifier, "cross_entropy", classes_15, 4, generator=661, plan=(True, True)),
    "with_and_without_generator": Epochs(67, classifier, "cross_entropy", classes_15, 4, generator=671, plan=(True, False, True)),
}
EPOCH_PARAMETERS = ("model", "loss_fn", "optimizer", "x", "y", "batch_size", "generator")


def add_stale_gradients(model: nn.Module) -> None:
    for i, p in enumerate(model.parameters()):
        p.grad = torch.full_like(p, 0.5 * (-1) ** i)


def epoch_arguments(spec: Epochs, model, loss_fn, optimizer, x, y, generator) -> list[tuple[str, Any]]:
    values = (model, loss_fn, optimizer, x, y, spec.batch_size) + ((generator,) if generator is not None else ())
    return list(zip(EPOCH_PARAMETERS, values, strict=False))


def run_epochs(submission, spec: Epochs) -> dict:
    x, y = spec.data()
    torch.manual_seed(spec.seed)
    model = spec.build().to(spec.dtype)
    optimizer = torch.optim.SGD(model.parameters(), **spec.sgd)
    if spec.stale:
        add_stale_gradients(model)
    generator = inputs.generator(spec.generator)
    passed_x, passed_y = (families.transposed(x), families.strided(y)) if spec.layout else (x, y)
    loss_fn = LOSSES[spec.loss]()
    calls = []
    for use in spec.plan:
        arguments = epoch_arguments(spec, model, loss_fn, optimizer, passed_x, passed_y, generator if use else None)
        run = attempt(submission, lambda arguments=arguments: families.call(submission.train_epoch, arguments, spec.style))
        calls.append({**run, "state": state_of(model), "training": model.training})
        if run["raised"] is not None:
            break
    return {"calls": calls, "x": families.caller_view(passed_x), "y": families.caller_view(passed_y)}


def epoch_scenario(name: str, spec: Epochs):
    """Register the scenario `name` of 6.1, which makes the calls of `spec`."""

    def run(submission):
        return run_epochs(submission, spec)

    run.__name__ = name
    return scenario("6.1")(run)


for _name, _spec in EPOCHS.items():
    epoch_scenario(_name, _spec)


# --- 6.2 accuracy --------------------------------------------------------------------


def _one_hot(target: torch.Tensor, classes: int, dtype: torch.dtype) -> torch.Tensor:
    return F.one_hot(target, classes).to(dtype)


def _mixed32():
    return inputs.randn(12, 4, seed=621, dtype=torch.float32), inputs.classes(12, 4, seed=622)


def _mixed64():
    return inputs.randn(9, 3, seed=623), inputs.classes(9, 3, seed=624)


def _square():
    return inputs.randn(4, 4, seed=629), torch.tensor([1, 0, 1, 2])  # arg-max right twice, arg-min once, dim 0 three times


def _ties():
    logits = torch.tensor([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [3.0, 3.0, 3.0], [0.0, 1.0, 0.0], [5.0, -1.0, 5.0]], dtype=torch.float64)
    return logits, torch.tensor([0, 2, 0, 1, 0])


def _all_right():
    target = inputs.classes(7, 3, seed=625)
    return inputs.randn(7, 3, seed=626, dtype=torch.float32) + 6 * _one_hot(target, 3, torch.float32), target


def _none_right():
    target = inputs.classes(8, 5, seed=627)
    return inputs.randn(8, 5, seed=628) - 10 * _one_hot(target, 5, torch.float64), target


def _near(value: float):
    """float32 logits within 1.5 of `value`, never largest in class 0; six rows of ten are right."""
    spread = inputs.uniform(10, 4, low=-0.5, high=0.5, seed=6202, dtype=torch.float32)
    spread[:, 0] -= 1.0
    best = spread.argmax(dim=1)
    target = torch.where(torch.arange(10) < 6, best, (best + 1) % 4)
    target[9] = 0  # wrong, as class 0 is never the largest; a model that always says 0 is right once
    return value + spread, target


def _one_row():
    return torch.tensor([[0.2, 1.5, -0.3]]), torch.tensor([1])


def _expanded():
    return families.expanded(torch.tensor([0.1, -0.4, 0.9, 0.3]), 6), torch.tensor([2, 0, 2, 3, 2, 1])


# name: (inputs, the family's condition: key and fields, or None)
ACCURACY_CASES: dict[str, tuple[Callable[[], tuple[torch.Tensor, torch.Tensor]], tuple | None]] = {
    "square": (_square, None),
    "mixed_float32": (_mixed32, None),
    "mixed_float64": (_mixed64, None),
    "ties": (_ties, None),
    "all_right": (_all_right, None),
    "none_right": (_none_right, None),
    # the families
    "near_plus_1000": (lambda: _near(1000.0), ("magnitude", {"name": "logits", "value": "1000"})),
    "near_minus_1000": (lambda: _near(-1000.0), ("magnitude", {"name": "logits", "value": "-1000"})),
    "one_row": (_one_row, ("one_row", {"name": "logits"})),
    "transposed_logits": (_mixed32, ("transposed", {"name": "logits"})),
    "strided_target": (_mixed64, ("strided", {"name": "target"})),
    "expanded_logits": (_expanded, ("expanded", {"name": "logits"})),
    "logits_require_grad": (_mixed32, ("requires_grad", {"name": "logits"})),
    "keywords": (_mixed64, ("keywords", {"call": "accuracy(logits=logits, target=target)"})),
    "second_call": (_mixed32, ("second_call", {})),
}


def accuracy_inputs(name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The inputs of case `name` as the caller passes them (views, a leaf that requires grad)."""
    logits, target = ACCURACY_CASES[name][0]()
    if name == "transposed_logits":
        logits = families.transposed(logits)
    elif name == "strided_target":
        target = families.strided(target)
    elif name == "logits_require_grad":
        logits = families.leaf(logits)
    return logits, target


def run_accuracy(submission, name: str) -> dict:
    logits, target = accuracy_inputs(name)

    def call():
        if name == "keywords":
            return families.call(submission.accuracy, [("logits", logits), ("target", target)], "keywords")
        if name == "second_call":
            # The same function, called first on other rows: nothing may carry over to the second call.
            submission.accuracy(*_mixed64())
        return submission.accuracy(logits, target)

    return {**attempt(submission, call), "logits": families.caller_view(logits), "target": families.caller_view(target)}


def _accuracy_scenario(name: str):
    def run(submission):
        return run_accuracy(submission, name)

    run.__name__ = name
    return scenario("6.2")(run)


for _name in ACCURACY_CASES:
    _accuracy_scenario(_name)


# --- 6.3 train_classifier --------------------------------------------------------------


def classifier_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = inputs.randn(n, 16, seed=seed, dtype=torch.float32)
    return x, (x[:, 0] + x[:, 1] - x[:, 2] > 0).long()


@dataclass(frozen=True)
class Training:
    """One call of train_classifier: seed, data, arguments (`None` generator: not passed), how it is called."""

    seed: int
    n: int
    data_seed: int
    kwargs: dict
    generator: int | None
    style: str = "plain"  # plain: x, y positional and the rest by keyword
    layout: bool = False
    repeat: int = 1


CLASSIFIER_PARAMETERS = ("x", "y", "epochs", "batch_size", "lr0", "decay", "generator")
DEFAULTS = {"epochs": 20, "batch_size": 32, "lr0": 0.5, "decay": 0.01}
TRAINED = {"epochs": 3, "batch_size": 24, "lr0": 0.3, "decay": 0.5}
TRAININGS = {
    "trained": Training(631, 80, 632, TRAINED, 633),
    "untrained": Training(634, 40, 635, {"epochs": 0, "batch_size": 16, "lr0": 0.3, "decay": 0.5}, 636),
    # the families
    "defaults": Training(637, 64, 638, {}, None),
    "positional": Training(631, 80, 632, TRAINED, 633, style="positional"),
    "keywords": Training(631, 80, 632, TRAINED, 633, style="keywords"),
    "views": Training(631, 80, 632, TRAINED, 633, layout=True),
    "second_call": Training(639, 48, 640, {"epochs": 2, "batch_size": 20, "lr0": 0.4, "decay": 0.3}, 641, repeat=2),
}


def describe_model(model) -> dict:
    """What crosses back about the returned model: its type, layers, and state."""
    if not isinstance(model, nn.Module):
        return {"module": False, "type": type(model).__name__}
    layers = [
        f"Linear({m.in_features}, {m.out_features})" if isinstance(m, nn.Linear) else f"{type(m).__name__}()"
        for m in model.children()
    ]
    return {"module": True, "type": type(model).__name__, "layers": layers, "state": state_of(model)}


def classifier_arguments(spec: Training, x, y, generator) -> list[tuple[str, Any]]:
    """The arguments in the contract's order; every optional one spelled out, but for a generator left out."""
    values = {**DEFAULTS, **spec.kwargs}
    arguments = [("x", x), ("y", y)] + [(key, values[key]) for key in ("epochs", "batch_size", "lr0", "decay") if spec.style != "plain" or key in spec.kwargs]
    return arguments + ([("generator", generator)] if generator is not None else [])


def train(submission, spec: Training) -> dict:
    x, y = classifier_data(spec.n, spec.data_seed)
    passed_x, passed_y = (families.transposed(x), families.strided(y)) if spec.layout else (x, y)
    generator = inputs.generator(spec.generator) if spec.generator is not None else None
    arguments = classifier_arguments(spec, passed_x, passed_y, generator)
    torch.manual_seed(spec.seed)
    if spec.style == "plain":
        run = attempt(submission, lambda: submission.train_classifier(passed_x, passed_y, **dict(arguments[2:])))
    else:
        run = attempt(submission, lambda: families.call(submission.train_classifier, arguments, spec.style))
    result = run.pop("value")
    found = {**run, "kind": describe(result), "length": len(result) if type(result) in (tuple, list) else None}
    if type(result) in (tuple, list) and len(result) == 2:
        found["model"] = describe_model(result[0])
        # A copy: the results cross after every scenario ran, and a list kept by the submission may grow meanwhile.
        found["losses"] = list(result[1]) if type(result[1]) is list else result[1]
    return {**found, "x": families.caller_view(passed_x), "y": families.caller_view(passed_y)}


def training_scenario(name: str, spec: Training):
    """Register the scenario `name` of 6.3, which calls train_classifier as `spec` says (`repeat` times)."""

    def run(submission):
        return [train(submission, spec) for _ in range(spec.repeat)]

    run.__name__ = name
    return scenario("6.3")(run)


for _name, _spec in TRAININGS.items():
    training_scenario(_name, _spec)
