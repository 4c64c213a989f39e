"""Hidden scenarios of unit 6: the main property of each task, on inputs the students' copy does not hold."""

from __future__ import annotations

import torch

from grader import inputs
from grader.scenarios import families, scenario
from grader.scenarios.training_loop import (
    Epochs,
    Training,
    attempt,
    epoch_scenario,
    normalised_classifier,
    regressor,
    training_scenario,
)

# --- 6.1: momentum and weight decay over two epochs; buffers, a partial loss, keywords and views


def regression_17():
    return inputs.randn(17, 4, seed=681, dtype=torch.float32), inputs.randn(17, 2, seed=682, dtype=torch.float32)


def classes_18():
    return inputs.randn(18, 6, seed=691, dtype=torch.float32), inputs.classes(18, 3, seed=692)


HIDDEN_EPOCHS = {
    "hidden_regression": Epochs(68, regressor, "mse", regression_17, 5, {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01}, generator=683, plan=(True, True)),
    "hidden_buffers": Epochs(69, normalised_classifier, "partial", classes_18, 4, {"lr": 0.3}, generator=693, style="keywords", layout=True),
}
for _name, _spec in HIDDEN_EPOCHS.items():
    epoch_scenario(_name, _spec)


# --- 6.2: many classes, two classes with ties, large magnitudes, one row near 1000


def HIDDEN_ACCURACIES() -> list[tuple[torch.Tensor, torch.Tensor]]:  # noqa: N802 - a table, built on demand
    ties = torch.tensor([[2.0, 2.0], [1.0, 3.0], [-1.0, -1.0], [0.5, 0.25], [4.0, 4.0]], dtype=torch.float32)
    return [
        (inputs.randn(30, 7, seed=6211), inputs.classes(30, 7, seed=6212)),
        (ties, torch.tensor([1, 1, 0, 0, 0])),
        (inputs.randn(11, 3, seed=6213) * 1e4, inputs.classes(11, 3, seed=6214)),
        (torch.tensor([[1000.25, 999.75, 1000.5]]), torch.tensor([2])),
    ]


@scenario("6.2")
def hidden_accuracies(submission):
    found = []
    for number, (logits, target) in enumerate(HIDDEN_ACCURACIES()):
        passed = families.transposed(logits) if number == 0 else logits
        found.append(attempt(submission, lambda passed=passed, target=target: submission.accuracy(passed, target)))
    return found


# --- 6.3: another size (a short last batch), rates and a generator ------------------------

HIDDEN_TRAININGS = {
    "hidden_training": Training(650, 50, 651, {"epochs": 4, "batch_size": 15, "lr0": 0.2, "decay": 0.2}, 652),
}
for _name, _spec in HIDDEN_TRAININGS.items():
    training_scenario(_name, _spec)
