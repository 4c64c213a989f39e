"""Scenarios for unit 1, derivatives and gradient descent (`derivatives.py`).

The test functions and seeded points are shared with the checks
(`grader/checks/test_derivatives.py`), which rebuild the same inputs and
recompute what the submission should have returned.
"""

import torch

from grader import inputs
from grader.scenarios import scenario


def wavy(x: torch.Tensor) -> torch.Tensor:
    """A smooth, non-convex test function of any shape."""
    return (torch.sin(x) * x**2).sum() + 0.5 * (x**2).sum()


def cubic(x: torch.Tensor) -> torch.Tensor:
    """Central differences of a cubic depend visibly on h."""
    return (x**3).sum() + x.sum() ** 2


def shifted_bowl_gradient(x: torch.Tensor) -> torch.Tensor:
    """The gradient of $\\sum (x - 3)^2$."""
    return 2 * (x - 3)


# --- 1.1 central_difference --------------------------------------------------------


def vector_point():
    return inputs.randn(7, seed=11)


def matrix_point():
    return inputs.randn(3, 4, seed=12, dtype=torch.float32)


@scenario("1.1")
def vector_default_h(submission):
    x = vector_point()
    return {"result": submission.central_difference(wavy, x), "x": x}


@scenario("1.1")
def matrix_large_h(submission):
    x = matrix_point()
    return {"result": submission.central_difference(cubic, x, h=0.25), "x": x}


# --- 1.2 autograd_gradient ---------------------------------------------------------


def plain_point():
    return inputs.randn(5, seed=21)


def leaf_point():
    return inputs.randn(2, 3, seed=22, dtype=torch.float32)


@scenario("1.2")
def plain_input(submission):
    x = plain_point()
    return {"result": submission.autograd_gradient(wavy, x), "x": x, "grad": x.grad, "requires_grad": x.requires_grad}


@scenario("1.2")
def leaf_input(submission):
    x = leaf_point().requires_grad_(True)
    result = submission.autograd_gradient(cubic, x)
    return {"result": result, "x": x.detach(), "grad": x.grad, "requires_grad": x.requires_grad}


# --- 1.3 gradient_descent ----------------------------------------------------------


def start():
    return inputs.randn(3, seed=31)


@scenario("1.3")
def five_steps(submission):
    x0 = start()
    return {"result": submission.gradient_descent(shifted_bowl_gradient, x0, 0.1, 5), "x0": x0}


@scenario("1.3")
def matrix_no_steps(submission):
    x0 = inputs.randn(2, 2, seed=32, dtype=torch.float32)
    return submission.gradient_descent(shifted_bowl_gradient, x0, 0.5, 0)


@scenario("1.3")
def matrix_three_steps(submission):
    x0 = inputs.randn(2, 2, seed=32, dtype=torch.float32)
    return submission.gradient_descent(shifted_bowl_gradient, x0, 0.25, 3)
