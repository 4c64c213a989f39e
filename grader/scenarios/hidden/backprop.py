"""Hidden scenarios of unit 2: the main property of each task, on models and sizes the students' copy lacks."""

from __future__ import annotations

import torch
from torch import nn

from grader import inputs
from grader.scenarios.backprop import (
    register,
    run_cross_entropy,
    run_layer,
    run_linear,
    run_mlp,
    run_sigmoid,
)


def tanh_model() -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(2090)
        return nn.Sequential(nn.Linear(7, 5), nn.Tanh(), nn.Linear(5, 5)).double()


def tanh_batch():
    return inputs.randn(9, 7, seed=290), inputs.classes(9, 5, seed=291)


HIDDEN_LAYER_CASES = {
    "hidden_tanh_model": (tanh_model, tanh_batch, "plain", "keywords"),
}

HIDDEN_LINEAR_CASES = {
    "hidden_linear_wide": (9, 2, 7, 292, torch.float32, "mixed"),
    "hidden_linear_square": (3, 5, 5, 296, torch.float64, "plain"),
}

HIDDEN_SIGMOID_CASES = {
    "hidden_sigmoid_four_dims": ((2, 2, 3, 2), 300, torch.float32, "keywords", False),
    "hidden_sigmoid_large_rows": ((5, 3), 302, torch.float64, "transposed_x", True),
}

HIDDEN_CROSS_ENTROPY_CASES = {
    "hidden_cross_entropy_many_classes": (10, 7, 304, torch.float64, "keywords", "large"),
    "hidden_cross_entropy_two_classes": (12, 2, 306, torch.float32, "plain", "normal"),
}

HIDDEN_MLP_CASES = {
    "hidden_mlp_wide": (9, 6, 7, 4, 308, torch.float64, "keywords", "normal"),
    "hidden_mlp_many_classes": (3, 2, 2, 5, 315, torch.float32, "plain", "missing_class"),
}

for _name, _spec in HIDDEN_LAYER_CASES.items():
    register("2.1", _name, run_layer, _spec)
for _name, _spec in HIDDEN_LINEAR_CASES.items():
    register("2.2", _name, run_linear, _spec)
for _name, _spec in HIDDEN_SIGMOID_CASES.items():
    register("2.3", _name, run_sigmoid, _spec)
for _name, _spec in HIDDEN_CROSS_ENTROPY_CASES.items():
    register("2.4", _name, run_cross_entropy, _spec)
for _name, _spec in HIDDEN_MLP_CASES.items():
    register("2.5", _name, run_mlp, _spec)
