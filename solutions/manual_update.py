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
    # BEGIN SOLUTION
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param.sub_(lr * param.grad)
            param.grad = None
    # END SOLUTION


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
    # BEGIN SOLUTION
    w = torch.tensor(float(w0), requires_grad=True)
    losses = []
    for _ in range(epochs):
        for x, y in zip(xs, ys, strict=True):
            with torch.enable_grad():
                loss = (w * x - y) ** 2
                loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad = None
        losses.append(loss.item())
    return w.item(), losses
    # END SOLUTION
