# %%
"""Unit 6 — The whole training loop.

Everything so far comes together: for each mini-batch, clear the old
gradients, run the model forward, compute the loss, run backward and take an
optimizer step; once per epoch, let the scheduler lower the learning rate.
Accuracy tells how often the model is right; a held-out set tells whether it
learned the task or only memorised the training data.
"""

import torch
from torch import nn


# %%
def train_epoch(
    model: nn.Module,
    loss_fn: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    generator: torch.Generator | None = None,
) -> float:
    r"""Train `model` for one epoch of mini-batch steps.

    Walk the mini-batches of `torch.randperm(len(x), generator=generator)`
    cut into chunks of `batch_size` (the same order as `minibatches` of
    unit 4). For each batch: `optimizer.zero_grad()`, forward, loss,
    `backward()`, `optimizer.step()`.

    Args:
        model: The network.
        loss_fn: For example `nn.CrossEntropyLoss()`; called as `loss_fn(model(x_batch), y_batch)`.
        optimizer: An optimizer over `model.parameters()`.
        x: Inputs, shape `(N, …)`.
        y: Targets, shape `(N, …)`.
        batch_size: The mini-batch size.
        generator: The random generator for the shuffle.

    Returns:
        The mean of the batch losses, a float.
    """
    # BEGIN SOLUTION
    batch_losses = []
    for indices in torch.randperm(len(x), generator=generator).split(batch_size):
        optimizer.zero_grad()
        with torch.enable_grad():
            loss = loss_fn(model(x[indices]), y[indices])
            loss.backward()
        optimizer.step()
        batch_losses.append(loss.item())
    return sum(batch_losses) / len(batch_losses)
    # END SOLUTION


# %%
def accuracy(logits: torch.Tensor, target: torch.Tensor) -> float:
    r"""The fraction of rows whose arg-max equals the target class.

    Args:
        logits: Shape `(N, C)`.
        target: Class indices, shape `(N,)`.

    Returns:
        A float between 0 and 1.
    """
    # BEGIN SOLUTION
    return (logits.argmax(dim=1) == target).double().mean().item()
    # END SOLUTION


# %%
def train_classifier(
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int = 20,
    batch_size: int = 32,
    lr0: float = 0.5,
    decay: float = 0.01,
    generator: torch.Generator | None = None,
) -> tuple[nn.Module, list[float]]:
    r"""Build and train a small classifier with mini-batch SGD and time-based decay.

    The model is `nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4),
    nn.ReLU(), nn.Linear(4, 2))`, built first, with PyTorch's default
    initialisation. Train it for `epochs` epochs with mini-batch SGD and the
    mean cross-entropy loss; epoch $e$ uses the learning rate
    $\frac{\mathrm{lr}_0}{1 + \mathrm{decay}\cdot e}$. Batches come from
    `torch.randperm(len(x), generator=generator)` as in `train_epoch`.

    Args:
        x: Inputs, shape `(N, 16)`.
        y: Classes 0 or 1, shape `(N,)`.
        epochs: How many epochs.
        batch_size: The mini-batch size.
        lr0: The learning rate of epoch 0.
        decay: The time-based decay rate.
        generator: The random generator for the shuffles.

    Returns:
        `(model, losses)`: the trained model and the mean loss of every epoch.
    """
    # BEGIN SOLUTION
    model = nn.Sequential(
        nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch)
    )
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        losses.append(train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator))
        scheduler.step()
    return model, losses
    # END SOLUTION
