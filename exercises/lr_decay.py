# %%
"""Unit 5 — Learning rate and decay.

The learning rate decides how far each step goes. Too small and training
crawls; too large and it overshoots and never settles. A schedule starts
large and decays, getting the best of both. In this unit you minimise the
Rosenbrock function with a custom loop and compare fixed and decaying rates.
"""

from collections.abc import Callable

import torch


# %%
def rosenbrock(x: torch.Tensor) -> torch.Tensor:
    r"""The Rosenbrock function $f(x) = (x_2 - x_1^2)^2 + (1 - x_1)^2$.

    Its minimum is $f(1, 1) = 0$, at the bottom of a long, curved, flat valley.

    Args:
        x: Shape `(2,)`, holding $(x_1, x_2)$.

    Returns:
        A 0-d tensor through which gradients flow back to `x`.
    """
    raise NotImplementedError("Task 5.1: write rosenbrock here, then run `grader check 5.1`.")


# %%
def time_based_decay(lr0: float, decay: float, iteration: int) -> float:
    r"""Time-based decay: $\mathrm{lr} = \frac{\mathrm{lr}_0}{1 + \mathrm{decay}\cdot\mathrm{iteration}}$.

    Args:
        lr0: The learning rate at iteration 0.
        decay: How fast it decays.
        iteration: The iteration, counted from 0.

    Returns:
        The learning rate, a float.
    """
    raise NotImplementedError("Task 5.2: write time_based_decay here, then run `grader check 5.2`.")


# %%
def step_decay(lr0: float, drop: float, every: int, iteration: int) -> float:
    r"""Step decay: $\mathrm{lr} = \mathrm{lr}_0 \cdot \mathrm{drop}^{\lfloor \mathrm{iteration} / \mathrm{every} \rfloor}$.

    Args:
        lr0: The learning rate at iteration 0.
        drop: The factor applied every `every` iterations.
        every: How many iterations between drops.
        iteration: The iteration, counted from 0.

    Returns:
        The learning rate, a float.
    """
    raise NotImplementedError("Task 5.2: write step_decay here, then run `grader check 5.2`.")


# %%
def exponential_decay(lr0: float, gamma: float, iteration: int) -> float:
    r"""Exponential decay: $\mathrm{lr} = \mathrm{lr}_0 \cdot \gamma^{\mathrm{iteration}}$.

    Args:
        lr0: The learning rate at iteration 0.
        gamma: The factor applied every iteration.
        iteration: The iteration, counted from 0.

    Returns:
        The learning rate, a float.
    """
    raise NotImplementedError("Task 5.2: write exponential_decay here, then run `grader check 5.2`.")


# %%
def minimize(
    f: Callable[[torch.Tensor], torch.Tensor],
    start: torch.Tensor,
    lr: float | Callable[[int], float],
    iterations: int,
) -> torch.Tensor:
    r"""Gradient descent on `f` from `start`, with gradients from autograd.

    Iteration $i$ ($0, \dots, \mathrm{iterations}-1$) updates
    $x \leftarrow x - \mathrm{lr}_i \nabla f(x)$, where $\mathrm{lr}_i$ is `lr`
    itself when it is a float, or `lr(i)` when it is a function.

    Args:
        f: Maps a tensor shaped like `start` to a 0-d tensor, for example `rosenbrock`.
        start: The starting point; it is not changed.
        lr: A float, or a function from the iteration to a float.
        iterations: How many updates to make.

    Returns:
        The trajectory, shape `(iterations + 1, *start.shape)`, starting with
        `start`, detached.
    """
    raise NotImplementedError("Task 5.3: write minimize here, then run `grader check 5.3`.")


# %%
def time_based_lambda(decay: float) -> Callable[[int], float]:
    r"""A factor for `torch.optim.lr_scheduler.LambdaLR` that gives time-based decay.

    `LambdaLR` multiplies the initial learning rate by `factor(epoch)`; with
    $\mathrm{factor}(e) = \frac{1}{1 + \mathrm{decay}\cdot e}$ the learning
    rate follows `time_based_decay`.

    Args:
        decay: How fast the learning rate decays.

    Returns:
        A function `epoch -> float`.
    """
    raise NotImplementedError("Task 5.4: write time_based_lambda here, then run `grader check 5.4`.")
