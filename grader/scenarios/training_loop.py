"""Scenarios for unit 6, the whole training loop (`training_loop.py`).

Models are built right after `torch.manual_seed(seed)`; the checks
(`grader/checks/test_training_loop.py`) rebuild them, and the data, from the
tables here (`EPOCHS`, `ACCURACY_CASES`, `TRAININGS`). A returned model does
not cross over: `describe_model` sends its type, layers and parameters, and
`describe` names whatever came back instead of `(model, losses)`.
"""

from __future__ import annotations

import torch
from torch import nn

from grader import inputs
from grader.scenarios import describe, scenario

# --- 6.1 train_epoch -----------------------------------------------------------------


def _classifier() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))


def _regressor() -> nn.Module:
    return nn.Linear(4, 2)


# name: (seed, build, loss_fn, data, batch_size, generator seed or None, SGD arguments, stale gradients)
EPOCHS = {
    "classifier_epoch": (61, _classifier, nn.CrossEntropyLoss, lambda: (inputs.randn(24, 6, seed=611, dtype=torch.float32), inputs.classes(24, 3, seed=612)), 6, 613, {"lr": 0.5}, False),
    "regression_short_last_batch": (62, _regressor, nn.MSELoss, lambda: (inputs.randn(10, 4, seed=621, dtype=torch.float32), inputs.randn(10, 2, seed=622, dtype=torch.float32)), 4, None, {"lr": 0.1, "momentum": 0.5}, False),
    "stale_gradients": (63, _classifier, nn.CrossEntropyLoss, lambda: (inputs.randn(15, 6, seed=631, dtype=torch.float32), inputs.classes(15, 3, seed=632)), 5, 633, {"lr": 0.5}, True),
}


def add_stale_gradients(model: nn.Module) -> None:
    for i, p in enumerate(model.parameters()):
        p.grad = torch.full_like(p, 0.5 * (-1) ** i)


def _run_epoch(submission, name: str) -> dict:
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    x, y = data()
    torch.manual_seed(seed)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), **sgd)
    if stale:
        add_stale_gradients(model)
    loss = submission.train_epoch(model, loss_fn(), optimizer, x, y, batch_size, None if generator is None else inputs.generator(generator))
    return {"loss": loss, "state": dict(model.state_dict()), "x": x, "y": y}


@scenario("6.1")
def classifier_epoch(submission):
    return _run_epoch(submission, "classifier_epoch")


@scenario("6.1")
def regression_short_last_batch(submission):
    return _run_epoch(submission, "regression_short_last_batch")


@scenario("6.1")
def stale_gradients(submission):
    return _run_epoch(submission, "stale_gradients")


# --- 6.2 accuracy --------------------------------------------------------------------


def _one_hot(target: torch.Tensor, classes: int, dtype: torch.dtype) -> torch.Tensor:
    return torch.nn.functional.one_hot(target, classes).to(dtype)


def _mixed32():
    return inputs.randn(12, 4, seed=621, dtype=torch.float32), inputs.classes(12, 4, seed=622)


def _mixed64():
    return inputs.randn(9, 3, seed=623), inputs.classes(9, 3, seed=624)


def _ties():
    logits = torch.tensor([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [3.0, 3.0, 3.0], [0.0, 1.0, 0.0], [5.0, -1.0, 5.0]], dtype=torch.float64)
    return logits, torch.tensor([0, 2, 0, 1, 0])


def _all_right():
    target = inputs.classes(7, 3, seed=625)
    return inputs.randn(7, 3, seed=626, dtype=torch.float32) + 6 * _one_hot(target, 3, torch.float32), target


def _none_right():
    target = inputs.classes(8, 5, seed=627)
    return inputs.randn(8, 5, seed=628) - 10 * _one_hot(target, 5, torch.float64), target


ACCURACY_CASES = {
    "mixed_float32": (_mixed32, "12 rows of float32 logits"),
    "mixed_float64": (_mixed64, "9 rows of float64 logits"),
    "ties": (_ties, "logits with ties in some rows"),
    "all_right": (_all_right, "logits where every row is right"),
    "none_right": (_none_right, "logits where no row is right"),
}


def _accuracy_scenario(submission, name):
    logits, target = ACCURACY_CASES[name][0]()
    return {"result": submission.accuracy(logits, target), "logits": logits, "target": target}


@scenario("6.2")
def mixed_float32(submission):
    return _accuracy_scenario(submission, "mixed_float32")


@scenario("6.2")
def mixed_float64(submission):
    return _accuracy_scenario(submission, "mixed_float64")


@scenario("6.2")
def ties(submission):
    return _accuracy_scenario(submission, "ties")


@scenario("6.2")
def all_right(submission):
    return _accuracy_scenario(submission, "all_right")


@scenario("6.2")
def none_right(submission):
    return _accuracy_scenario(submission, "none_right")


# --- 6.3 train_classifier --------------------------------------------------------------


def classifier_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = inputs.randn(n, 16, seed=seed, dtype=torch.float32)
    return x, (x[:, 0] + x[:, 1] - x[:, 2] > 0).long()


# name: (seed, N, data seed, keyword arguments, generator seed or None)
TRAININGS = {
    "trained": (631, 80, 632, {"epochs": 3, "batch_size": 24, "lr0": 0.3, "decay": 0.5}, 633),
    "untrained": (634, 40, 635, {"epochs": 0, "batch_size": 16, "lr0": 0.3, "decay": 0.5}, 636),
    "defaults": (637, 64, 638, {}, None),
}


def describe_model(model) -> dict:
    """What crosses back about the returned model: its type, layers, and parameters."""
    if not isinstance(model, nn.Module):
        return {"module": False, "type": type(model).__name__}
    layers = [
        f"Linear({m.in_features}, {m.out_features})" if isinstance(m, nn.Linear) else f"{type(m).__name__}()"
        for m in model.children()
    ]
    return {"module": True, "type": type(model).__name__, "layers": layers, "state": dict(model.state_dict())}


def _train(submission, name: str) -> dict:
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    x, y = classifier_data(n, data_seed)
    if generator is not None:
        kwargs = {**kwargs, "generator": inputs.generator(generator)}
    torch.manual_seed(seed)
    result = submission.train_classifier(x, y, **kwargs)
    found = {"kind": describe(result), "length": len(result) if type(result) in (tuple, list) else None}
    if type(result) in (tuple, list) and len(result) == 2:
        found["model"] = describe_model(result[0])
        found["losses"] = result[1]
    return found


@scenario("6.3")
def trained(submission):
    return _train(submission, "trained")


@scenario("6.3")
def untrained(submission):
    return _train(submission, "untrained")


@scenario("6.3")
def defaults(submission):
    return _train(submission, "defaults")
