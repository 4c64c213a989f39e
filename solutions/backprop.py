# %%
"""Unit 2 — Backpropagation.

The forward pass computes the loss. The backward pass starts from the
loss gradient of the last layer and uses it, through the chain rule, to get
the gradient of the layer before, and so on back to the first layer. In this
unit you read those gradients from PyTorch, then compute them yourself.
"""

import torch
from torch import nn


# %%
def layer_gradients(
    model: nn.Module, sample: torch.Tensor, target: torch.Tensor
) -> dict[str, torch.Tensor]:
    r"""The loss gradient of every parameter of `model`, from `loss.backward()`.

    Run the forward pass `model(sample)`, compute the mean cross-entropy loss
    (`nn.CrossEntropyLoss()`) against `target`, and call `backward()`.
    Gradients left over from an earlier call must not add up: calling the
    function twice on the same model gives the same result. Parameter values
    are not changed.

    Args:
        model: For example `nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2))`.
        sample: The inputs, shape `(N, in_features)`.
        target: The class indices, shape `(N,)`, dtype `torch.long`.

    Returns:
        `{name: gradient}` for every entry of `model.named_parameters()`
        (for example `"0.weight"`), each a detached copy shaped like its parameter.
    """
    # BEGIN SOLUTION
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        loss = nn.CrossEntropyLoss()(model(sample), target)
        loss.backward()
    return {name: param.grad.detach().clone() for name, param in model.named_parameters()}
    # END SOLUTION


# %%
def linear_backward(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, grad_output: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""Backward pass of a linear layer $y = x W^\top + b$, without autograd.

    Given $\frac{\partial L}{\partial y}$, the chain rule gives
    $\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} W$,
    $\frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial y}\right)^\top x$ and
    $\frac{\partial L}{\partial b} = \sum_n \frac{\partial L}{\partial y_n}$.

    Args:
        x: The layer's input, shape `(N, in)`.
        weight: $W$, shape `(out, in)`.
        bias: $b$, shape `(out,)`.
        grad_output: $\frac{\partial L}{\partial y}$, shape `(N, out)`.

    Returns:
        The tuple `(grad_x, grad_weight, grad_bias)`, shaped like `x`, `weight` and `bias`.
    """
    # BEGIN SOLUTION
    grad_x = grad_output @ weight
    grad_weight = grad_output.T @ x
    grad_bias = grad_output.sum(dim=0)
    return grad_x, grad_weight, grad_bias
    # END SOLUTION


# %%
def sigmoid_backward(x: torch.Tensor, grad_output: torch.Tensor) -> torch.Tensor:
    r"""Backward pass of $y = \sigma(x) = \frac{1}{1 + e^{-x}}$, without autograd.

    The derivative of the sigmoid is $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$,
    so $\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot \sigma'(x)$.

    Args:
        x: The sigmoid's input, any shape.
        grad_output: $\frac{\partial L}{\partial y}$, shaped like `x`.

    Returns:
        $\frac{\partial L}{\partial x}$, shaped like `x`.
    """
    # BEGIN SOLUTION
    s = torch.sigmoid(x)
    return grad_output * s * (1 - s)
    # END SOLUTION


# %%
def cross_entropy_backward(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Gradient of the mean cross-entropy loss with respect to `logits`, without autograd.

    For $L = \frac{1}{N}\sum_n -\log \mathrm{softmax}(z_n)_{t_n}$ (what
    `nn.CrossEntropyLoss()` computes), the gradient is
    $\frac{\partial L}{\partial z} = \frac{1}{N}\left(\mathrm{softmax}(z) - \mathrm{onehot}(t)\right)$.

    Args:
        logits: $z$, shape `(N, C)`.
        target: $t$, class indices, shape `(N,)`, dtype `torch.long`.

    Returns:
        $\frac{\partial L}{\partial z}$, shape `(N, C)`.
    """
    # BEGIN SOLUTION
    probabilities = torch.softmax(logits, dim=1)
    one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
    return (probabilities - one_hot) / logits.shape[0]
    # END SOLUTION


# %%
def mlp_backward(
    x: torch.Tensor,
    target: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
) -> dict[str, torch.Tensor]:
    r"""All loss gradients of a two-layer network, layer by layer, without autograd.

    The network is $h = \sigma(x W_1^\top + b_1)$, $z = h W_2^\top + b_2$, with
    the mean cross-entropy loss of the logits $z$ against `target`. Start
    from $\frac{\partial L}{\partial z}$ and go backwards through the second
    layer, the sigmoid and the first layer.

    Args:
        x: Inputs, shape `(N, in)`.
        target: Class indices, shape `(N,)`.
        w1: Shape `(hidden, in)`.
        b1: Shape `(hidden,)`.
        w2: Shape `(C, hidden)`.
        b2: Shape `(C,)`.

    Returns:
        `{"w1": …, "b1": …, "w2": …, "b2": …}`, each gradient shaped like its parameter.
    """
    # BEGIN SOLUTION
    pre_activation = x @ w1.T + b1
    hidden = torch.sigmoid(pre_activation)
    logits = hidden @ w2.T + b2
    grad_logits = cross_entropy_backward(logits, target)
    grad_hidden, grad_w2, grad_b2 = linear_backward(hidden, w2, b2, grad_logits)
    grad_pre_activation = sigmoid_backward(pre_activation, grad_hidden)
    _, grad_w1, grad_b1 = linear_backward(x, w1, b1, grad_pre_activation)
    return {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}
    # END SOLUTION
