"""Checks for unit 1, derivatives and gradient descent (`derivatives.py`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/derivatives.py`.
"""

import pytest
import torch

from grader import expect, inputs
from grader.scenarios.derivatives import (
    cubic,
    leaf_point,
    matrix_point,
    plain_point,
    shifted_bowl_gradient,
    start,
    vector_point,
    wavy,
)


def central_difference_oracle(f, x: torch.Tensor, h: float) -> torch.Tensor:
    flat = x.detach().reshape(-1)
    grad = torch.zeros_like(flat)
    for i in range(flat.numel()):
        step = torch.zeros_like(flat)
        step[i] = h
        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)
    return grad.reshape(x.shape)


def autograd_oracle(f, x: torch.Tensor) -> torch.Tensor:
    point = x.detach().clone().requires_grad_(True)
    return torch.autograd.grad(f(point), point)[0]


# Every check that tests a side property (inputs untouched, result detached)
# first requires the right result, so that a trivial answer earns nothing.

# --- 1.1 central_difference --------------------------------------------------------


@pytest.mark.task("1.1", weight=2)
def test_matches_difference_quotient(outcome):
    got = outcome("vector_default_h")["result"]
    x = vector_point()
    expect.tensor(got, central_difference_oracle(wavy, x, 1e-4), "central_difference(f, x)", rtol=1e-6, atol=1e-8)


@pytest.mark.task("1.1", weight=2)
def test_uses_h_and_keeps_shape_and_dtype(outcome):
    got = outcome("matrix_large_h")["result"]
    x = matrix_point()
    expected = central_difference_oracle(cubic, x.double(), 0.25).float()
    expect.tensor(got, expected, "central_difference(f, x, h=0.25) on a (3, 4) float32 x", rtol=1e-4, atol=1e-4)


@pytest.mark.task("1.1")
def test_leaves_x_unchanged_and_result_detached(outcome):
    got = outcome("vector_default_h")
    x = vector_point()
    expect.tensor(got["result"], central_difference_oracle(wavy, x, 1e-4), "central_difference(f, x)", rtol=1e-6, atol=1e-8)
    expect.unchanged(got["x"], x, "x", "central_difference(f, x)")
    expect.detached(got["result"], "central_difference(f, x)")


# --- 1.2 autograd_gradient ---------------------------------------------------------


@pytest.mark.task("1.2", weight=2)
def test_matches_autograd(outcome):
    x = plain_point()
    expect.tensor(outcome("plain_input")["result"], autograd_oracle(wavy, x), "autograd_gradient(f, x)", rtol=1e-10)


@pytest.mark.task("1.2")
def test_works_on_a_leaf_that_requires_grad(outcome):
    got = outcome("leaf_input")
    expect.tensor(got["result"], autograd_oracle(cubic, leaf_point()), "autograd_gradient(f, x) for x with requires_grad=True", rtol=1e-5)
    expect.detached(got["result"], "autograd_gradient(f, x)")


@pytest.mark.task("1.2")
def test_leaves_x_untouched(outcome):
    call = "autograd_gradient(f, x)"
    for name, original, requires_grad in (
        ("plain_input", plain_point(), False),
        ("leaf_input", leaf_point(), True),
    ):
        got = outcome(name)
        f = wavy if name == "plain_input" else cubic
        expect.tensor(got["result"], autograd_oracle(f, original), call, rtol=1e-5)
        expect.unchanged(got["x"], original, "x", call)
        expect.equal(got["grad"], None, "x.grad after the call", advice="advice_copy_input")
        expect.equal(got["requires_grad"], requires_grad, "x.requires_grad after the call", advice="advice_copy_input")


# --- 1.3 gradient_descent ----------------------------------------------------------


def gradient_descent_oracle(grad_fn, x0: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    iterates = [x0.clone()]
    for _ in range(steps):
        iterates.append(iterates[-1] - lr * grad_fn(iterates[-1]))
    return torch.stack(iterates)


@pytest.mark.task("1.3", weight=2)
def test_trajectory_matches_recomputed_steps(outcome):
    expected = gradient_descent_oracle(shifted_bowl_gradient, start(), 0.1, 5)
    expect.trajectory(outcome("five_steps")["result"], expected, "gradient_descent(grad_fn, x0, lr=0.1, steps=5)", rtol=1e-10)


@pytest.mark.task("1.3")
def test_shape_starts_with_x0_for_any_shape(outcome):
    x0 = inputs.randn(2, 2, seed=32, dtype=torch.float32)
    expect.tensor(outcome("matrix_no_steps"), x0.unsqueeze(0), "gradient_descent(grad_fn, x0, lr, steps=0)")
    expected = gradient_descent_oracle(shifted_bowl_gradient, x0, 0.25, 3)
    expect.trajectory(outcome("matrix_three_steps"), expected, "gradient_descent(grad_fn, x0, lr=0.25, steps=3)", rtol=1e-5)


@pytest.mark.task("1.3")
def test_leaves_x0_unchanged_and_result_detached(outcome):
    got = outcome("five_steps")
    expected = gradient_descent_oracle(shifted_bowl_gradient, start(), 0.1, 5)
    expect.tensor(got["result"], expected, "gradient_descent(grad_fn, x0, lr=0.1, steps=5)", rtol=1e-10)
    expect.unchanged(got["x0"], start(), "x0", "gradient_descent")
    expect.detached(got["result"], "gradient_descent(...)")
