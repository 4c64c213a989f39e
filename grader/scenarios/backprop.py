"""Scenarios for unit 2, backpropagation (`backprop.py`).

Each scenario calls the submission on seeded inputs (or a seeded model) and
records the result, the inputs after the call and whether autograd was used
(`AutogradSpy`). The checks (`grader/checks/test_backprop.py`) rebuild the
same inputs from the case tables and builders here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from grader import inputs
from grader.scenarios import scenario

# --- shared helpers -----------------------------------------------------------------


class AutogradSpy(TorchFunctionMode):
    """Records whether the code run inside it calls autograd (backward or grad).

    `torch.autograd.grad` and `Tensor.backward` dispatch through torch-function
    modes, so even `from torch.autograd import grad` is seen.
    """

    WATCHED = {
        torch.Tensor.backward: "Tensor.backward",
        torch.autograd.backward: "torch.autograd.backward",
        torch.autograd.grad: "torch.autograd.grad",
    }

    def __init__(self) -> None:
        super().__init__()
        self.used: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = self.WATCHED.get(func)
        if name is not None and name not in self.used:
            self.used.append(name)
        return func(*args, **(kwargs or {}))


def watched(function: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """Call the submission's function and note any use of autograd."""
    spy = AutogradSpy()
    with spy:
        result = function(*args)
    return result, spy.used


def snapshot(value: Any) -> Any:
    """A copy of a result as it is now, so later calls cannot change what it recorded."""
    if type(value) is dict:
        return {key: snapshot(item) for key, item in value.items()}
    if type(value) is torch.Tensor:
        return value.detach().clone()
    return value


# --- 2.1 layer_gradients --------------------------------------------------------------


def contract_model(seed: int) -> nn.Sequential:
    """The lesson's model, the same in every process for the same seed."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2))


def sigmoid_model(seed: int) -> nn.Sequential:
    """A float64 model with a non-linearity and a layer without bias."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(5, 6), nn.Sigmoid(), nn.Linear(6, 3, bias=False)).double()


def contract_batch():
    return inputs.randn(6, 16, seed=211, dtype=torch.float32), inputs.classes(6, 2, seed=212)


def sigmoid_batch():
    return inputs.randn(4, 5, seed=213), inputs.classes(4, 3, seed=214)


def stale_batch():
    return inputs.randn(5, 16, seed=215, dtype=torch.float32), inputs.classes(5, 2, seed=216)


def stale_gradients(model: nn.Module) -> dict[str, torch.Tensor]:
    return {
        name: inputs.randn(*p.shape, seed=2100 + i, dtype=p.dtype)
        for i, (name, p) in enumerate(model.named_parameters())
    }


def state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def aliases(result: Any, model: nn.Module) -> list[str]:
    """Names whose returned tensor is the model's own `.grad` (or parameter) storage."""
    if type(result) is not dict:
        return []
    owned = set()
    for p in model.parameters():
        owned.add(p.untyped_storage().data_ptr())
        if p.grad is not None:
            owned.add(p.grad.untyped_storage().data_ptr())
    return [
        str(name)
        for name, value in result.items()
        if type(value) is torch.Tensor and value.untyped_storage().data_ptr() in owned
    ]


@scenario("2.1")
def contract_model_twice(submission):
    model = contract_model(2021)
    sample, target = contract_batch()
    first = submission.layer_gradients(model, sample, target)
    shared = aliases(first, model)
    first_then = snapshot(first)
    second = submission.layer_gradients(model, sample, target)
    return {
        "first": first_then,
        "second": second,
        "shared": shared,
        "state": state(model),
        "sample": sample,
        "target": target,
    }


@scenario("2.1")
def sigmoid_model_float64(submission):
    model = sigmoid_model(2022)
    sample, target = sigmoid_batch()
    result = submission.layer_gradients(model, sample, target)
    return {"result": result, "shared": aliases(result, model), "state": state(model), "sample": sample, "target": target}


@scenario("2.1")
def model_with_stale_gradients(submission):
    model = contract_model(2023)
    old = stale_gradients(model)
    for name, p in model.named_parameters():
        p.grad = old[name]
    sample, target = stale_batch()
    result = submission.layer_gradients(model, sample, target)
    return {"result": snapshot(result), "state": state(model), "sample": sample, "target": target}


# --- 2.2 linear_backward --------------------------------------------------------------

LINEAR_CASES = {
    "float64_batch": (5, 4, 3, 220, torch.float64),
    "float32_batch": (7, 3, 6, 225, torch.float32),
    "linear_under_no_grad": (4, 6, 2, 230, torch.float32),
}


def linear_inputs(case: str) -> dict[str, torch.Tensor]:
    n, fan_in, fan_out, seed, dtype = LINEAR_CASES[case]
    return {
        "x": inputs.randn(n, fan_in, seed=seed, dtype=dtype),
        "weight": inputs.randn(fan_out, fan_in, seed=seed + 1, dtype=dtype),
        "bias": inputs.randn(fan_out, seed=seed + 2, dtype=dtype),
        "grad_output": inputs.randn(n, fan_out, seed=seed + 3, dtype=dtype),
    }


def run_linear(submission, case: str) -> dict[str, Any]:
    given = linear_inputs(case)
    result, used = watched(submission.linear_backward, *given.values())
    return {"result": result, "autograd": used, "inputs": given}


@scenario("2.2")
def float64_batch(submission):
    return run_linear(submission, "float64_batch")


@scenario("2.2")
def float32_batch(submission):
    return run_linear(submission, "float32_batch")


@scenario("2.2")
def linear_under_no_grad(submission):
    with torch.no_grad():
        return run_linear(submission, "linear_under_no_grad")


# --- 2.3 sigmoid_backward -------------------------------------------------------------

SIGMOID_CASES = {
    "matrix_float64": ((3, 4), 240, torch.float64),
    "cube_float32": ((2, 3, 4), 243, torch.float32),
    "vector_under_no_grad": ((6,), 246, torch.float64),
}


def sigmoid_inputs(case: str) -> dict[str, torch.Tensor]:
    shape, seed, dtype = SIGMOID_CASES[case]
    return {"x": 3 * inputs.randn(*shape, seed=seed, dtype=dtype), "grad_output": inputs.randn(*shape, seed=seed + 1, dtype=dtype)}


def run_sigmoid(submission, case: str) -> dict[str, Any]:
    given = sigmoid_inputs(case)
    result, used = watched(submission.sigmoid_backward, *given.values())
    return {"result": result, "autograd": used, "inputs": given}


@scenario("2.3")
def matrix_float64(submission):
    return run_sigmoid(submission, "matrix_float64")


@scenario("2.3")
def cube_float32(submission):
    return run_sigmoid(submission, "cube_float32")


@scenario("2.3")
def vector_under_no_grad(submission):
    with torch.no_grad():
        return run_sigmoid(submission, "vector_under_no_grad")


# --- 2.4 cross_entropy_backward -------------------------------------------------------

CROSS_ENTROPY_CASES = {
    "five_by_three_float64": (5, 3, 250, torch.float64),
    "eight_by_four_float32": (8, 4, 253, torch.float32),
    "cross_entropy_under_no_grad": (3, 5, 256, torch.float32),
}


def cross_entropy_inputs(case: str) -> dict[str, torch.Tensor]:
    n, classes, seed, dtype = CROSS_ENTROPY_CASES[case]
    return {"logits": 2 * inputs.randn(n, classes, seed=seed, dtype=dtype), "target": inputs.classes(n, classes, seed=seed + 1)}


def run_cross_entropy(submission, case: str) -> dict[str, Any]:
    given = cross_entropy_inputs(case)
    result, used = watched(submission.cross_entropy_backward, *given.values())
    return {"result": result, "autograd": used, "inputs": given}


@scenario("2.4")
def five_by_three_float64(submission):
    return run_cross_entropy(submission, "five_by_three_float64")


@scenario("2.4")
def eight_by_four_float32(submission):
    return run_cross_entropy(submission, "eight_by_four_float32")


@scenario("2.4")
def cross_entropy_under_no_grad(submission):
    with torch.no_grad():
        return run_cross_entropy(submission, "cross_entropy_under_no_grad")


# --- 2.5 mlp_backward -----------------------------------------------------------------

MLP_CASES = {
    "six_samples_float64": (6, 5, 4, 3, 260, torch.float64),
    "eight_samples_float32": (8, 3, 5, 2, 267, torch.float32),
    "mlp_under_no_grad": (4, 4, 3, 5, 274, torch.float32),
}


def mlp_inputs(case: str) -> dict[str, torch.Tensor]:
    n, fan_in, hidden, classes, seed, dtype = MLP_CASES[case]
    return {
        "x": inputs.randn(n, fan_in, seed=seed, dtype=dtype),
        "target": inputs.classes(n, classes, seed=seed + 1),
        "w1": inputs.randn(hidden, fan_in, seed=seed + 2, dtype=dtype),
        "b1": inputs.randn(hidden, seed=seed + 3, dtype=dtype),
        "w2": inputs.randn(classes, hidden, seed=seed + 4, dtype=dtype),
        "b2": inputs.randn(classes, seed=seed + 5, dtype=dtype),
    }


def run_mlp(submission, case: str) -> dict[str, Any]:
    given = mlp_inputs(case)
    result, used = watched(submission.mlp_backward, *given.values())
    return {"result": result, "autograd": used, "inputs": given}


@scenario("2.5")
def six_samples_float64(submission):
    return run_mlp(submission, "six_samples_float64")


@scenario("2.5")
def eight_samples_float32(submission):
    return run_mlp(submission, "eight_samples_float32")


@scenario("2.5")
def mlp_under_no_grad(submission):
    with torch.no_grad():
        return run_mlp(submission, "mlp_under_no_grad")
