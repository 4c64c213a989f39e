# %%
"""Unit 3 — Updating parameters by hand.

Once backward has filled every parameter's `.grad`, learning is one line
per parameter: subtract the learning rate times the gradient. The update
must not be recorded by autograd, and the gradients must be cleared
afterwards, or the next backward pass adds to them.
"""

from collections.abc import Iterable

import torch


# %%
def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    r"""One plain gradient-descent step, in place: $p \leftarrow p - \mathrm{lr}\cdot\nabla_p L$.

    For every tensor `p` of `params` whose `p.grad` is not `None`, update
    `p` in place without autograd recording it (`torch.no_grad()`), then
    zero its gradient (set it to zeros or to `None`). Each `p` stays the
    same leaf tensor with `requires_grad=True`. Tensors without a gradient
    are left alone.

    Args:
        params: An iterable of leaf tensors; it may be a generator such as
            `model.parameters()`, which can be walked only once.
        lr: The learning rate.

    Returns:
        `None`.
    """
    raise NotImplementedError("Task 3.1: write sgd_step_ here, then run `grader check 3.1`.")


# %%
def fit_slope(
    xs: list[float], ys: list[float], w0: float = 1.0, lr: float = 0.01, epochs: int = 100
) -> tuple[float, list[float]]:
    r"""Fit the one-weight model $\hat y = w\,x$ with per-sample gradient descent.

    Start from $w = w_0$. In every epoch, visit the samples in data order;
    for each one compute the loss $(\hat y - y)^2$, get $\frac{dL}{dw}$ from
    autograd and update $w \leftarrow w - \mathrm{lr}\cdot\frac{dL}{dw}$ (one
    update per sample). With `xs = [1, 2, 3]` and `ys = [2, 4, 6]`, $w$ moves
    towards 2.

    Args:
        xs: The inputs, a list of floats.
        ys: The targets, a list of floats as long as `xs`.
        w0: The starting weight.
        lr: The learning rate.
        epochs: How many passes over the data.

    Returns:
        `(w, losses)`: the final weight as a float, and a list with one float
        per epoch, the loss of that epoch's last sample, computed before its update.
    """
    raise NotImplementedError("Task 3.2: write fit_slope here, then run `grader check 3.2`.")
