"""Scenarios for unit 3, updating parameters by hand (`manual_update.py`).

An update that autograd records (an in-place change of a leaf outside
`torch.no_grad()`) is caught by `guarded` and recorded, not raised. The checks
(`grader/checks/test_manual_update.py`) rebuild the params and data from the
builders and constants here.
"""

import torch

from grader import inputs
from grader.scenarios import guarded, scenario

# --- 3.1 sgd_step_ -----------------------------------------------------------------

STEP_LR = 0.1
MODEL_LR = 0.05
FROZEN = 2  # params[2] has no gradient


def step_params():
    """Leaf tensors of several shapes and dtypes, and their gradients (None for params[2])."""
    shapes = [((3, 4), torch.float64), ((4,), torch.float32), ((2,), torch.float64), ((2, 2, 2), torch.float32)]
    params = [inputs.randn(*shape, seed=301 + i, dtype=dtype) for i, (shape, dtype) in enumerate(shapes)]
    grads = [inputs.randn(*shape, seed=311 + i, dtype=dtype) for i, (shape, dtype) in enumerate(shapes)]
    grads[FROZEN] = None
    return params, grads


def _prepared_params():
    params, grads = step_params()
    leaves = [p.clone().requires_grad_(True) for p in params]
    for leaf, grad in zip(leaves, grads, strict=True):
        leaf.grad = None if grad is None else grad.clone()
    return leaves


def model_data():
    weight = inputs.randn(2, 3, seed=321, dtype=torch.float32)
    bias = inputs.randn(2, seed=322, dtype=torch.float32)
    x = inputs.randn(5, 3, seed=323, dtype=torch.float32)
    target = inputs.randn(5, 2, seed=324, dtype=torch.float32)
    return weight, bias, x, target


def _state(tensors, returned):
    return {
        "returned": returned,
        "values": [p.detach().clone() for p in tensors],
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in tensors],
        "is_leaf": [bool(p.is_leaf) for p in tensors],
        "requires_grad": [bool(p.requires_grad) for p in tensors],
        "grad_fn": [p.grad_fn is not None for p in tensors],
    }


@scenario("3.1")
def step_on_a_list(submission):
    params = _prepared_params()
    originals = tuple(params)
    run = guarded(lambda: submission.sgd_step_(params, STEP_LR))
    state = _state(originals, run["value"])
    state["same_objects"] = [a is b for a, b in zip(params, originals, strict=True)]
    return {**state, "autograd_error": run["autograd_error"]}


@scenario("3.1")
def step_on_a_generator(submission):
    params = _prepared_params()
    run = guarded(lambda: submission.sgd_step_((p for p in params), STEP_LR))
    return {**_state(params, run["value"]), "autograd_error": run["autograd_error"]}


@scenario("3.1")
def step_on_model_parameters(submission):
    weight, bias, x, target = model_data()
    model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(weight)
        model.bias.copy_(bias)
    originals = (model.weight, model.bias)
    ((model(x) - target) ** 2).mean().backward()
    run = guarded(lambda: submission.sgd_step_(model.parameters(), MODEL_LR))
    state = _state(originals, run["value"])
    state["same_objects"] = [model.weight is originals[0], model.bias is originals[1]]
    return {**state, "autograd_error": run["autograd_error"]}


# --- 3.2 fit_slope -----------------------------------------------------------------

LESSON_XS, LESSON_YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
NOISY_XS, NOISY_YS = [0.5, -1.0, 2.0, 1.5, -0.3], [1.2, -2.9, 6.1, 4.4, -0.8]
NOISY_ARGS = {"w0": -0.5, "lr": 0.05, "epochs": 6}
ZERO_ARGS = {"w0": 0.75, "lr": 0.1, "epochs": 0}


@scenario("3.2")
def lesson_defaults(submission):
    return guarded(lambda: submission.fit_slope(list(LESSON_XS), list(LESSON_YS)))


@scenario("3.2")
def noisy_data(submission):
    return guarded(lambda: submission.fit_slope(list(NOISY_XS), list(NOISY_YS), **NOISY_ARGS))


@scenario("3.2")
def zero_epochs(submission):
    return guarded(lambda: submission.fit_slope(list(NOISY_XS), list(NOISY_YS), **ZERO_ARGS))
