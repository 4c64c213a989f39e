# %%
"""Unit 1 — Derivatives and gradient descent.

A derivative is the slope of a curve. Where the slope is steep, gradient
descent takes a big step; on a flat valley floor the derivative is zero and
it stops. In this unit you estimate slopes numerically, get them from
PyTorch's autograd, and walk downhill against them.
"""

from collections.abc import Callable

import torch


# %%
def central_difference(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, h: float = 1e-4
) -> torch.Tensor:
    r"""Estimate the gradient of `f` at `x` with central differences.

    Element $i$ of the result is

    $$\frac{f(x + h\,e_i) - f(x - h\,e_i)}{2h},$$

    where $e_i$ is the tensor shaped like `x` with a one at position $i$
    (in row-major order) and zeros elsewhere.

    Args:
        f: A function that maps a tensor shaped like `x` to a 0-d tensor.
        x: The point where the slope is wanted, any shape.
        h: The half-width of the difference.

    Returns:
        A tensor shaped like `x`, in `x`'s dtype, without gradient history.
        `x` itself is left unchanged.
    """
    raise NotImplementedError("Task 1.1: write central_difference here, then run `grader check 1.1`.")


# %%
def autograd_gradient(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    r"""The gradient $\nabla f(x)$ computed by PyTorch autograd.

    Work on a detached copy of `x` that requires grad, so that `x` itself is
    untouched: its `.grad` stays `None` and its `requires_grad` flag keeps
    its value.

    Args:
        f: A function that maps a tensor shaped like `x` to a 0-d tensor.
        x: The point, any shape, floating point.

    Returns:
        The gradient, shaped like `x`, detached.
    """
    raise NotImplementedError("Task 1.2: write autograd_gradient here, then run `grader check 1.2`.")


# %%
def gradient_descent(
    grad_fn: Callable[[torch.Tensor], torch.Tensor], x0: torch.Tensor, lr: float, steps: int
) -> torch.Tensor:
    r"""Walk against the slope: $x_{t+1} = x_t - \mathrm{lr}\cdot\nabla f(x_t)$.

    Args:
        grad_fn: Returns the gradient $\nabla f(x)$ for a tensor `x` shaped like `x0`.
        x0: The starting point, any shape.
        lr: The learning rate (step size).
        steps: How many updates to make.

    Returns:
        The iterates $x_0, x_1, \dots, x_{\mathrm{steps}}$ stacked into a tensor
        of shape `(steps + 1, *x0.shape)`, in `x0`'s dtype.
    """
    raise NotImplementedError("Task 1.3: write gradient_descent here, then run `grader check 1.3`.")
