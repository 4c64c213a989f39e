"""Hidden scenarios of unit 1: the main property of each task, on functions, shapes and steps the students' copy lacks."""

from __future__ import annotations

import torch

from grader import inputs
from grader.scenarios import families
from grader.scenarios.derivatives import dyadic, register, run_autograd, run_central, run_descent


def bumpy(x: torch.Tensor) -> torch.Tensor:
    return (torch.exp(0.3 * x) * torch.cos(x)).sum()


def log_sum_exp(x: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(x.reshape(-1), dim=0) + 0.1 * (x**2).sum()


class QuadraticFormGradient:
    """The gradient `A x - b` of $x^T A x / 2 - b^T x$ for a fixed symmetric positive definite `A`."""

    def __init__(self) -> None:
        root = inputs.randn(4, 4, seed=190, dtype=torch.float32)
        self.matrix = root @ root.T / 4 + torch.eye(4)
        self.offset = inputs.randn(4, seed=191, dtype=torch.float32)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.matrix @ x - self.offset


HIDDEN_CENTRAL_CASES = {
    "hidden_bumpy_cube": (lambda: bumpy, lambda: inputs.randn(2, 3, 2, seed=180), 1e-3, "keywords"),
    "hidden_dyadic_float32": (lambda: lambda t: (t**3).sum() - 2 * t.sum() ** 2, lambda: dyadic(2, 2, 2, seed=181, dtype=torch.float32), 0.5, "mixed"),
}

HIDDEN_AUTOGRAD_CASES = {
    "hidden_log_sum_exp": (lambda: log_sum_exp, lambda: families.leaf(inputs.randn(2, 2, 3, seed=182)), "keywords"),
    "hidden_float32_product": (lambda: lambda t: torch.tanh(t).prod() + t.sum(), lambda: inputs.randn(5, seed=183, dtype=torch.float32), "positional"),
}

HIDDEN_DESCENT_CASES = {
    "hidden_quadratic_form": (QuadraticFormGradient, lambda: inputs.randn(4, seed=184, dtype=torch.float32), 0.05, 7, "keywords"),
}

for _name, _spec in HIDDEN_CENTRAL_CASES.items():
    register("1.1", _name, run_central, _spec)
for _name, _spec in HIDDEN_AUTOGRAD_CASES.items():
    register("1.2", _name, run_autograd, _spec)
for _name, _spec in HIDDEN_DESCENT_CASES.items():
    register("1.3", _name, run_descent, _spec)
