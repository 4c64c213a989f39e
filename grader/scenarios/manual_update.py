"""Scenarios for unit 3, updating parameters by hand (`manual_update.py`).

Each task is called on plain inputs first, then on the same values passed the
ways real callers pass them (`grader.scenarios.families`): a generator of
params, `model.parameters()` of a model with buffers, params whose gradient
is `None` or all zeros, a transposed param, keyword and positional calls,
and a second call. Every family is a scenario of its own, so a check can
say under which condition a result went wrong.

An update that autograd records (an in-place change of a leaf outside
`torch.no_grad()`) is caught by `guarded` and recorded, not raised. The checks
(`grader/checks/test_manual_update.py`) rebuild the params and data from the
builders and constants here.
"""

import inspect

import torch

from grader import inputs
from grader.scenarios import AutogradSpy, families, guarded, scenario


def signature_of(function) -> dict:
    """The parameter names of a submission's function, as data."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return {"names": None, "flexible": True}
    plain = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return {"names": [p.name for p in plain], "flexible": any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)}


# --- 3.1 sgd_step_ -----------------------------------------------------------------

STEP_LR = 0.1
MODEL_LR = 0.05
FROZEN = 2  # in `step_with_none_grads`, params[2] has no gradient
STEP_SHAPES = (((3, 4), torch.float64), ((4,), torch.float32), ((2,), torch.float64), ((2, 2, 2), torch.float32))
STEP_PROBLEM = (STEP_SHAPES, 301, 311)  # shapes, seed of the values, seed of the gradients
SECOND_PROBLEM = (STEP_SHAPES, 341, 351)  # the other list of `step_twice_two_lists`
STEP_ARGUMENTS = ("params", "lr")


def step_params(problem=STEP_PROBLEM, kind: str = "full", step: int = 0):
    """Values of the params and their gradients: "full", "none" (params[FROZEN] has none) or "zeros"."""
    shapes, value_seed, grad_seed = problem
    params = [inputs.randn(*shape, seed=value_seed + i, dtype=dtype) for i, (shape, dtype) in enumerate(shapes)]
    grads = [inputs.randn(*shape, seed=grad_seed + 20 * step + i, dtype=dtype) for i, (shape, dtype) in enumerate(shapes)]
    if kind == "none":
        grads[FROZEN] = None
    if kind == "zeros":
        grads = [torch.zeros_like(grad) for grad in grads]
    return params, grads


def non_contiguous(t: torch.Tensor) -> torch.Tensor:
    """`t`'s values with the strides of a transposed view, in storage of their own (not a view of anything).

    A param laid out so gets its gradient in the same layout from backward(),
    and neither is a view: a view would be an input no caller passes.
    """
    return torch.empty_strided(t.shape, families.transposed(t).stride(), dtype=t.dtype).copy_(t)


def prepared(params, grads, layout: str = "plain") -> list[torch.Tensor]:
    """Leaves that require grad, holding `params`, with `grads` in their `.grad` (params[0] transposed if asked)."""
    leaves = []
    for i, (value, grad) in enumerate(zip(params, grads, strict=True)):
        if layout == "transposed" and i == 0:
            leaf = non_contiguous(value).requires_grad_(True)
            leaf.grad = None if grad is None else non_contiguous(grad)
        else:
            leaf = value.clone().requires_grad_(True)
            leaf.grad = None if grad is None else grad.clone()
        leaves.append(leaf)
    return leaves


def state(tensors, returned=None) -> dict:
    return {
        "returned": returned,
        "values": [p.detach().clone() for p in tensors],
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in tensors],
        "is_leaf": [bool(p.is_leaf) for p in tensors],
        "requires_grad": [bool(p.requires_grad) for p in tensors],
        "grad_fn": [p.grad_fn is not None for p in tensors],
    }


def step_run(submission, params, call) -> dict:
    """Call `call()` (which runs sgd_step_ on `params`), recording what became of every param."""
    originals = tuple(params)
    run = guarded(call)
    record = state(originals, run["value"])
    record.update(same_objects=[a is b for a, b in zip(params, originals, strict=True)], autograd_error=run["autograd_error"])
    return record


def _step_scenario(name: str, kind: str, *, layout: str = "plain", as_generator: bool = False, style: str = "positional"):
    def run(submission):
        params = prepared(*step_params(kind=kind), layout=layout)
        given = (p for p in params) if as_generator else params
        return step_run(submission, params, lambda: families.call(submission.sgd_step_, [("params", given), ("lr", STEP_LR)], style))

    run.__name__ = name
    return scenario("3.1")(run)


_step_scenario("step_on_a_list", "full")
_step_scenario("step_with_none_grads", "none")
_step_scenario("step_with_zero_grads", "zeros")
_step_scenario("step_on_a_generator", "full", as_generator=True)
_step_scenario("step_on_a_transposed_param", "full", layout="transposed")
_step_scenario("step_call_keywords", "full", style="keywords")
_step_scenario("step_call_mixed", "full", style="mixed")


@scenario("3.1")
def step_signature(submission):
    return signature_of(submission.sgd_step_)


@scenario("3.1")
def step_twice_two_lists(submission):
    """sgd_step_ on list A, then on list B, then on A again with new gradients: each call updates only its own params."""
    first = prepared(*step_params(STEP_PROBLEM))
    second = prepared(*step_params(SECOND_PROBLEM))

    def calls():
        submission.sgd_step_(first, STEP_LR)
        after_first = state(first)
        submission.sgd_step_(second, STEP_LR)
        after_second = {"first": state(first), "second": state(second)}
        for leaf, grad in zip(first, step_params(STEP_PROBLEM, step=1)[1], strict=True):
            leaf.grad = grad.clone()
        submission.sgd_step_(first, STEP_LR)
        return {"after_first": after_first, "after_second": after_second, "after_third": state(first)}

    run = guarded(calls)
    return {"value": run["value"], "autograd_error": run["autograd_error"]}


def model_with_buffers() -> torch.nn.Sequential:
    """Linear, BatchNorm1d (whose running statistics are buffers, not parameters), Linear; seeded, in eval mode."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    with torch.no_grad():
        for i, tensor in enumerate([*model.parameters(), *model.buffers()]):
            if tensor.is_floating_point():
                tensor.copy_(inputs.randn(*tensor.shape, seed=320 + i, dtype=tensor.dtype))
        model[1].running_var.abs_().add_(0.5)
    return model.eval()


def model_data():
    x = inputs.randn(5, 3, seed=323, dtype=torch.float32)
    target = inputs.randn(5, 2, seed=324, dtype=torch.float32)
    return x, target


@scenario("3.1")
def step_on_model_parameters(submission):
    model = model_with_buffers()
    x, target = model_data()
    ((model(x) - target) ** 2).mean().backward()
    originals = list(model.parameters())
    record = step_run(submission, originals, lambda: submission.sgd_step_(model.parameters(), MODEL_LR))
    record["same_objects"] = [a is b for a, b in zip(model.parameters(), originals, strict=True)]
    record["buffers"] = [b.detach().clone() for b in model.buffers()]
    return record


# --- 3.2 fit_slope -----------------------------------------------------------------

LESSON_XS, LESSON_YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
NOISY_XS, NOISY_YS = [0.5, -1.0, 2.0, 1.5, -0.3], [1.2, -2.9, 6.1, 4.4, -0.8]
FIT_ARGUMENTS = ("xs", "ys", "w0", "lr", "epochs")
FIT_CASES = {  # scenario: (xs, ys, keyword arguments, how they are passed)
    "lesson_defaults": (LESSON_XS, LESSON_YS, {}, "positional"),
    "noisy_data": (NOISY_XS, NOISY_YS, {"w0": -0.5, "lr": 0.05, "epochs": 6}, "mixed_default"),
    "zero_epochs": (NOISY_XS, NOISY_YS, {"w0": 0.75, "lr": 0.1, "epochs": 0}, "mixed_default"),
    "one_sample": ([2.0], [3.0], {"w0": 0.5, "lr": 0.1, "epochs": 5}, "mixed_default"),
    "fit_call_positional": (NOISY_XS, NOISY_YS, {"w0": -0.5, "lr": 0.05, "epochs": 6}, "positional"),
    "fit_call_keywords": (NOISY_XS, NOISY_YS, {"w0": -0.5, "lr": 0.05, "epochs": 6}, "keywords"),
}


def fit_run(submission, xs, ys, kwargs, style) -> dict:
    """One call of fit_slope on fresh copies of the lists, watching autograd."""
    spy = AutogradSpy()
    given_xs, given_ys = list(xs), list(ys)
    arguments = [("xs", given_xs), ("ys", given_ys), *kwargs.items()]
    with spy:
        if style == "mixed_default":  # xs and ys by position, the rest by keyword: the common call
            result = guarded(lambda: submission.fit_slope(given_xs, given_ys, **kwargs))
        else:
            result = guarded(lambda: families.call(submission.fit_slope, arguments, style))
    return {**result, "autograd": spy.used, "xs": list(given_xs), "ys": list(given_ys)}


def _fit_scenario(name: str):
    xs, ys, kwargs, style = FIT_CASES[name]

    def run(submission):
        return fit_run(submission, xs, ys, kwargs, style)

    run.__name__ = name
    return scenario("3.2")(run)


for _name in FIT_CASES:
    _fit_scenario(_name)


@scenario("3.2")
def fit_twice(submission):
    """The noisy fit twice in a row: the second call must not remember the first."""
    xs, ys, kwargs, style = FIT_CASES["noisy_data"]
    return {"first": fit_run(submission, xs, ys, kwargs, style), "second": fit_run(submission, xs, ys, kwargs, style)}


@scenario("3.2")
def fit_signature(submission):
    return signature_of(submission.fit_slope)
