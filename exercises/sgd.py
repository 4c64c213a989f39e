# %%
"""Unit 4 — Stochastic gradient descent.

Full-batch gradient descent uses every sample for every step; stochastic
gradient descent uses one sample, mini-batch SGD a small random batch. The
noise of small batches helps to leave saddle points; larger batches give
steadier steps. In this unit you build the pieces of SGD and train a
linear regression with them.
"""

import torch


# %%
def mse(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""The mean squared error $\frac{1}{N}\sum_n (\hat y_n - y_n)^2$.

    Args:
        y_hat: Predictions, any shape.
        y: Targets, shaped like `y_hat`.

    Returns:
        A 0-d tensor through which gradients flow back to `y_hat`.
    """
    raise NotImplementedError("Task 4.1: write mse here, then run `grader check 4.1`.")


# %%
def minibatches(
    n: int, batch_size: int, generator: torch.Generator | None = None
) -> list[torch.Tensor]:
    r"""Shuffle the indices $0, \dots, n-1$ and cut them into mini-batches.

    Draw `perm = torch.randperm(n, generator=generator)` and cut it into
    consecutive chunks of `batch_size` indices; the last chunk is shorter
    when `batch_size` does not divide `n`. Every index appears exactly once.

    Args:
        n: The number of samples.
        batch_size: The size of every chunk but perhaps the last.
        generator: The random generator passed to `torch.randperm`.

    Returns:
        The list of index tensors (dtype `torch.long`), in order.
    """
    raise NotImplementedError("Task 4.2: write minibatches here, then run `grader check 4.2`.")


# %%
class SGD(torch.optim.Optimizer):
    r"""Stochastic gradient descent with momentum, weight decay and Nesterov momentum.

    The updates equal `torch.optim.SGD` with `dampening=0`. For each parameter
    $p$ with gradient $g$:

    $$g \leftarrow g + \lambda p, \qquad
    b \leftarrow \mu b + g \ (\text{first step: } b = g), \qquad
    d = \begin{cases} g + \mu b & \text{Nesterov} \\ b & \text{otherwise} \end{cases}, \qquad
    p \leftarrow p - \mathrm{lr}\cdot d,$$

    where $\lambda$ is `weight_decay` and $\mu$ is `momentum` (with $\mu = 0$, $d = g$).
    `param_groups` is a list of dicts with at least `"params"` and `"lr"`; a
    changed `param_groups[0]["lr"]` applies from the next `step()`, which is
    how learning-rate schedulers work. Do not use or wrap `torch.optim.SGD`.

    Args:
        params: An iterable of tensors (a generator such as `model.parameters()` included).
        lr: The learning rate.
        momentum: $\mu$.
        weight_decay: $\lambda$.
        nesterov: Use Nesterov momentum (needs `momentum > 0`).
    """

    def __init__(
        self,
        params,
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        raise NotImplementedError("Task 4.3: write SGD.__init__ here, then run `grader check 4.3`.")

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient, once.

        Args:
            closure: Optional; re-evaluates the model and returns the loss.

        Returns:
            The loss from `closure`, or `None`.
        """
        raise NotImplementedError("Task 4.3: write SGD.step here, then run `grader check 4.3`.")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradient of every parameter (set it to `None`, or to zeros)."""
        raise NotImplementedError("Task 4.3: write SGD.zero_grad here, then run `grader check 4.3`.")


# %%
def train_linear_regression(
    x: torch.Tensor,
    y: torch.Tensor,
    a0: torch.Tensor,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, list[float]]:
    r"""Fit $\hat y = x\,a$ by gradient descent on the mean squared error.

    Start from a copy of `a0`. Get the gradient from autograd and update `a`
    by hand (no `torch.optim`). With `batch_size=None`, take one full-batch
    step per epoch; otherwise each epoch walks
    `minibatches(len(x), batch_size, generator)` in order, one step per batch.

    Args:
        x: Inputs, shape `(N, D)`; in the lesson `x[:, 0]` is uniform in
            $[-1, 1]$ and `x[:, 1]` is a column of ones.
        y: Targets, shape `(N,)`.
        a0: Starting parameters, shape `(D,)`; `a0` itself is not changed.
        lr: The learning rate.
        epochs: How many passes over the data.
        batch_size: The mini-batch size, or `None` for full-batch steps.
        generator: The random generator for `minibatches`.

    Returns:
        `(a, losses)`: the final parameters (detached, shaped like `a0`) and
        the loss of every step, taken before its update, as floats.
    """
    raise NotImplementedError("Task 4.4: write train_linear_regression here, then run `grader check 4.4`.")
