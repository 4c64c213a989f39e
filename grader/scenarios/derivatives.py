"""Scenarios for unit 1, derivatives and gradient descent (`derivatives.py`).

Each task is called on plain inputs first, then on the inputs real callers
pass (`grader.scenarios.families`): keyword and mixed calls with the
contract's parameter names, non-contiguous views, a point that requires grad
(a parameter in the middle of training, with or without a gradient already
in `.grad`), a single element, float32 and float64, and every kind of
callable for `f` / `grad_fn` (a function, a lambda, a `functools.partial`,
an object with `__call__`, an `nn.Module`). Each scenario records what came
back and what the caller sees of its tensor afterwards
(`families.caller_view`, with the version counter before the call).

The test functions and the input builders are shared with the checks
(`grader/checks/test_derivatives.py`), which rebuild the same inputs and
recompute what the submission should have returned.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from grader import inputs
from grader.scenarios import families, scenario

# --- test functions -------------------------------------------------------------------


def wavy(x: torch.Tensor) -> torch.Tensor:
    """A smooth, non-convex test function of any shape."""
    return (torch.sin(x) * x**2).sum() + 0.5 * (x**2).sum()


def cubic(x: torch.Tensor) -> torch.Tensor:
    """Central differences of a cubic depend visibly on h (and are exact on multiples of 1/8)."""
    return (x**3).sum() + x.sum() ** 2


def weighted_cubic(x: torch.Tensor, weight: float) -> torch.Tensor:
    """`cubic` with a weight on its first term: the function behind a `functools.partial`."""
    return weight * (x**3).sum() + x.sum() ** 2


def lambda_f() -> Callable[[torch.Tensor], torch.Tensor]:
    return lambda t: (t**2).sum() * torch.cos(t).sum()


def partial_f() -> Callable[[torch.Tensor], torch.Tensor]:
    return functools.partial(weighted_cubic, weight=0.5)


class Quartic:
    """An object with `__call__`: $\\sum x^4 / 4 - c \\sum x$."""

    def __init__(self, shift: float) -> None:
        self.shift = shift

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return 0.25 * (x**4).sum() - self.shift * x.sum()


class Energy(nn.Module):
    """An `nn.Module` with a trainable parameter, as a caller's loss would be: its output requires grad."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(1.5, dtype=torch.float64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * (x**2).sum() + torch.sin(x).sum()


# The callables passed as `f`, by kind.
F_KINDS: dict[str, Callable[[], Callable[[torch.Tensor], torch.Tensor]]] = {
    "lambda": lambda_f,
    "partial": partial_f,
    "callable_object": lambda: Quartic(0.75),
    "module": Energy,
}


def shifted_bowl_gradient(x: torch.Tensor) -> torch.Tensor:
    """The gradient of $\\sum (x - 3)^2$."""
    return 2 * (x - 3)


def bowl_gradient_at(x: torch.Tensor, center: float) -> torch.Tensor:
    """The gradient of $\\sum (x - c)^2$: the function behind a `functools.partial`."""
    return 2 * (x - center)


def half_square_gradient(x: torch.Tensor) -> torch.Tensor:
    """The gradient of $\\|x\\|^2 / 2$ is `x` itself: this returns its argument."""
    return x


class BowlGradient:
    """An object with `__call__`: the gradient of $\\sum a (x - c)^2$."""

    def __init__(self, center: float, curvature: float) -> None:
        self.center, self.curvature = center, curvature

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * self.curvature * (x - self.center)


class BowlGradientModule(nn.Module):
    """An `nn.Module` whose centre is a trainable parameter: its output requires grad."""

    def __init__(self) -> None:
        super().__init__()
        self.center = nn.Parameter(torch.tensor(-1.0, dtype=torch.float64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * (x - self.center)


GRAD_FN_KINDS: dict[str, Callable[[], Callable[[torch.Tensor], torch.Tensor]]] = {
    "lambda": lambda: (lambda x: 0.5 * x + 1),
    "partial": lambda: functools.partial(bowl_gradient_at, center=2.0),
    "callable_object": lambda: BowlGradient(center=-0.5, curvature=1.5),
    "module": BowlGradientModule,
}


# --- shared helpers -----------------------------------------------------------------


def dyadic(*shape: int, seed: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Seeded multiples of 1/8: sums of their cubes are exact in float32 and float64 alike."""
    return torch.round(8 * inputs.randn(*shape, seed=seed, dtype=torch.float64)).div(8).to(dtype)


def zero_dim(seed: int) -> torch.Tensor:
    return inputs.randn(1, seed=seed).reshape(())


def register(task: str, name: str, run: Callable[[Any, tuple], Any], spec: tuple) -> None:
    """Register the scenario `name` of `task`: `run(submission, spec)` on one case of a table."""

    def scenario_of_case(submission):
        return run(submission, spec)

    scenario_of_case.__name__ = name
    scenario(task)(scenario_of_case)


def called(function: Callable[..., Any], arguments: list[tuple[str, Any]], style: str, watched: torch.Tensor) -> dict[str, Any]:
    """Call `function`; record its result and what the caller sees of `watched` afterwards."""
    version = int(watched._version)
    result = families.call(function, arguments, style)
    return {"result": result, "caller": families.caller_view(watched), "version": version}


# --- 1.1 central_difference --------------------------------------------------------

# name: (f, x builder, h or None for the default, call style)
CENTRAL_CASES: dict[str, tuple[Callable[[], Callable], Callable[[], torch.Tensor], float | None, str]] = {
    "vector_default_h": (lambda: wavy, lambda: inputs.randn(7, seed=11), None, "positional"),
    "explicit_h": (lambda: cubic, lambda: dyadic(3, 4, seed=13), 0.5, "positional"),
    "float32_x": (lambda: cubic, lambda: dyadic(3, 4, seed=12, dtype=torch.float32), 0.25, "positional"),
    "keywords_h": (lambda: cubic, lambda: dyadic(2, 3, seed=14), 0.25, "keywords"),
    "mixed_h": (lambda: cubic, lambda: dyadic(2, 3, seed=15), 0.125, "mixed"),
    "keywords_default_h": (lambda: wavy, lambda: inputs.randn(5, seed=16), None, "keywords"),
    "transposed_x": (lambda: wavy, lambda: families.transposed(inputs.randn(3, 4, seed=17)), None, "positional"),
    "strided_x": (lambda: wavy, lambda: families.strided(inputs.randn(3, 4, seed=18)), None, "positional"),
    "leaf_x": (lambda: wavy, lambda: families.leaf(inputs.randn(2, 3, seed=19)), None, "positional"),
    "one_element_x": (lambda: cubic, lambda: dyadic(1, seed=20), 0.25, "positional"),
    "zero_dim_x": (lambda: wavy, lambda: zero_dim(seed=21), None, "positional"),
    **{f"{kind}_f": (F_KINDS[kind], lambda: inputs.randn(4, seed=22), None, "positional") for kind in F_KINDS},
}


def central_arguments(f: Callable, x: torch.Tensor, h: float | None) -> list[tuple[str, Any]]:
    return [("f", f), ("x", x)] + ([] if h is None else [("h", h)])


def run_central(submission, spec: tuple) -> dict[str, Any]:
    make_f, make_x, h, style = spec
    x = make_x()
    return called(submission.central_difference, central_arguments(make_f(), x, h), style, x)


for _name, _spec in CENTRAL_CASES.items():
    register("1.1", _name, run_central, _spec)


# --- 1.2 autograd_gradient ---------------------------------------------------------


def plain_point():
    return inputs.randn(5, seed=21)


def leaf_point():
    return inputs.randn(2, 3, seed=22, dtype=torch.float32)


def caller_gradient():
    """What a caller in the middle of training already holds in `x.grad`."""
    return inputs.randn(4, seed=24)


def with_grad(x: torch.Tensor) -> torch.Tensor:
    x = families.leaf(x)
    x.grad = caller_gradient()
    return x


# name: (f, x builder, call style)
AUTOGRAD_CASES: dict[str, tuple[Callable[[], Callable], Callable[[], torch.Tensor], str]] = {
    "plain_input": (lambda: wavy, plain_point, "positional"),
    "leaf_input": (lambda: cubic, lambda: families.leaf(leaf_point()), "positional"),
    "leaf_with_grad": (lambda: wavy, lambda: with_grad(inputs.randn(4, seed=23)), "positional"),
    "keywords": (lambda: wavy, lambda: inputs.randn(2, 2, seed=25), "keywords"),
    "mixed": (lambda: cubic, lambda: inputs.randn(3, seed=26), "mixed"),
    "transposed_x": (lambda: wavy, lambda: families.transposed(inputs.randn(3, 4, seed=27)), "positional"),
    "one_element_x": (lambda: wavy, lambda: inputs.randn(1, seed=28), "positional"),
    "zero_dim_x": (lambda: cubic, lambda: zero_dim(seed=29), "positional"),
    **{f"{kind}_f": (F_KINDS[kind], lambda: inputs.randn(4, seed=30), "positional") for kind in F_KINDS},
}


def run_autograd(submission, spec: tuple) -> dict[str, Any]:
    make_f, make_x, style = spec
    x = make_x()
    return called(submission.autograd_gradient, [("f", make_f()), ("x", x)], style, x)


for _name, _spec in AUTOGRAD_CASES.items():
    register("1.2", _name, run_autograd, _spec)


def parameter_point():
    return inputs.randn(3, seed=31)


@scenario("1.2")
def non_leaf_input(submission):
    """`x = 2 * w` for a caller's parameter `w`: neither may be touched (`w.grad` stays `None`)."""
    w = families.leaf(parameter_point())
    x = 2 * w
    version = int(w._version)
    result = submission.autograd_gradient(wavy, x)
    return {"result": result, "caller": families.caller_view(w), "version": version, "x": x.detach().clone()}


# --- 1.3 gradient_descent ----------------------------------------------------------


def start():
    return inputs.randn(3, seed=31)


def descent_arguments(grad_fn: Callable, x0: torch.Tensor, lr: float, steps: int) -> list[tuple[str, Any]]:
    return [("grad_fn", grad_fn), ("x0", x0), ("lr", lr), ("steps", steps)]


# Two calls in a row, before any other (scenarios run in order in one process):
# the second must not see anything of the first.
SECOND_CALLS = (("five_steps", start, 0.1, 5), ("second", lambda: inputs.randn(3, seed=40), 0.3, 2))


@scenario("1.3")
def second_call(submission):
    results = []
    for _, make_x0, lr, steps in SECOND_CALLS:
        results.append(families.call(submission.gradient_descent, descent_arguments(shifted_bowl_gradient, make_x0(), lr, steps)))
    return {"first": results[0], "second": results[1]}


# name: (grad_fn, x0 builder, lr, steps, call style)
DESCENT_CASES: dict[str, tuple[Callable[[], Callable], Callable[[], torch.Tensor], float, int, str]] = {
    "five_steps": (lambda: shifted_bowl_gradient, start, 0.1, 5, "positional"),
    "matrix_no_steps": (lambda: shifted_bowl_gradient, lambda: inputs.randn(2, 2, seed=32, dtype=torch.float32), 0.5, 0, "positional"),
    "matrix_three_steps": (lambda: shifted_bowl_gradient, lambda: inputs.randn(2, 2, seed=32, dtype=torch.float32), 0.25, 3, "positional"),
    "keywords": (lambda: shifted_bowl_gradient, lambda: inputs.randn(4, seed=33), 0.2, 4, "keywords"),
    "mixed": (lambda: shifted_bowl_gradient, lambda: inputs.randn(2, 3, seed=34), 0.3, 3, "mixed"),
    "leaf_x0": (lambda: shifted_bowl_gradient, lambda: families.leaf(inputs.randn(3, seed=35)), 0.1, 4, "positional"),
    "transposed_x0": (lambda: shifted_bowl_gradient, lambda: families.transposed(inputs.randn(3, 2, seed=36)), 0.15, 3, "positional"),
    "zero_dim_x0": (lambda: shifted_bowl_gradient, lambda: zero_dim(seed=37), 0.2, 4, "positional"),
    "identity_gradient": (lambda: half_square_gradient, lambda: inputs.randn(3, seed=38), 0.25, 4, "positional"),
    **{f"{kind}_grad_fn": (GRAD_FN_KINDS[kind], lambda: inputs.randn(3, seed=39), 0.2, 4, "positional") for kind in GRAD_FN_KINDS},
}


def run_descent(submission, spec: tuple) -> dict[str, Any]:
    make_grad_fn, make_x0, lr, steps, style = spec
    x0 = make_x0()
    return called(submission.gradient_descent, descent_arguments(make_grad_fn(), x0, lr, steps), style, x0)


for _name, _spec in DESCENT_CASES.items():
    register("1.3", _name, run_descent, _spec)
