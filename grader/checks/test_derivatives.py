"""Checks for unit 1, derivatives and gradient descent (`derivatives.py`).

Each task's main property is checked on plain inputs, then again on each
family of inputs real callers pass (keyword calls, non-contiguous views, a
point that requires grad, one element, float32, every kind of callable),
with the family named as a condition when it is the one that fails. Known
mistakes (a forward difference, the wrong h, gradients left on `x`, an
uphill walk, iterates kept between calls, …) are named by replaying them.

The scenarios, and the inputs both sides share, are in `grader/scenarios/derivatives.py`
(hidden ones in `grader/scenarios/hidden/derivatives.py`, imported by the hidden checks alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
import torch

from grader.checks import kit
from grader.scenarios import families, load_unit
from grader.scenarios.derivatives import (
    AUTOGRAD_CASES,
    CENTRAL_CASES,
    DESCENT_CASES,
    SECOND_CALLS,
    caller_gradient,
    parameter_point,
    shifted_bowl_gradient,
    wavy,
)

# The judge expects the outcomes of every scenario the task process runs, the
# hidden ones included: register them as `load_unit` does there (in the
# students' copy, which has no hidden module, that is the public ones alone).
load_unit("derivatives")

# Every check of a family (a keyword call, a view, another callable, ...) or of
# a side property (inputs untouched, result detached) first requires the right
# result on the plain inputs: a trivial answer earns nothing, and a mistake that
# shows everywhere is reported once, not once per family.

# --- shared helpers -----------------------------------------------------------------


def code(text: Any) -> str:
    """Program text (an error message, a source line) as code, so that no language mistakes it for prose."""
    text = str(text).replace("`", "'").strip()
    return f"`{text}`" if text else text


def result_of(outcome, name: str, conditions: Sequence[kit.Condition] = ()) -> Any:
    """`outcome(name)`; if the call raised, the failure says under which conditions, with the error as code."""
    try:
        return outcome(name)
    except kit.CheckFailure as failure:
        params = dict(failure.params)
        if "message" in params:
            params["message"] = code(params["message"])
        location = params.get("location")
        if isinstance(location, dict) and location.get("code"):
            params["location"] = {**location, "code": code(location["code"])}
        extra = tuple(conditions) if failure.key == "raised" else ()
        raise kit.CheckFailure(failure.key, advice=failure.advice, conditions=extra + failure.conditions, **params) from None


def call_conditions(function: str, names: list[str], style: str) -> list[kit.Condition]:
    """A keyword or mixed call is a condition; the call text shows how it was made."""
    if style == "positional":
        return []
    return [kit.when("keywords", call=families.call_text(function, [(name, None) for name in names], style))]


def like(replay: torch.Tensor) -> Callable[[Any], bool]:
    """Does `got` match what a mistake computes (in the same dtype: a cast alone is not that mistake)?"""
    return lambda got: type(got) is torch.Tensor and got.dtype == replay.dtype and kit.close(got, replay)


KIND_CONDITIONS = {"lambda": "lambda", "partial": "partial", "callable_object": "callable_object", "module": "derivatives_module"}


def kind_conditions(case: str, suffix: str, name: str) -> list[kit.Condition]:
    kind = case.removesuffix(suffix)
    return [kit.when(KIND_CONDITIONS[kind], name=name)] if case.endswith(suffix) and kind in KIND_CONDITIONS else []


def values_left_alone(record: dict, before: torch.Tensor, name: str, call: str, conditions: Sequence[kit.Condition] = ()) -> None:
    """The caller's tensor keeps its values, its version counter and its requires_grad."""
    view = record["caller"]
    kit.unchanged(view["values"], before.detach(), name, call, conditions)
    if view["version"] != record["version"]:
        kit.fail("derivatives_input_written", advice="advice_copy_input", conditions=conditions, call=call, name=name)
    if view["requires_grad"] != before.requires_grad:
        kit.fail(
            "derivatives_requires_grad_changed", advice="advice_copy_input", conditions=conditions, call=call, name=name,
            got=str(view["requires_grad"]), expected=str(before.requires_grad),
        )  # fmt: skip


def grad_left_alone(record: dict, grad_before: torch.Tensor | None, name: str, call: str, advice: str, conditions: Sequence[kit.Condition] = ()) -> None:
    """The caller's `.grad` is what it was: `None`, or the caller's own gradient."""
    grad = record["caller"]["grad"]
    if grad_before is None:
        if grad is not None:
            kit.fail("derivatives_grad_set", advice=advice, conditions=conditions, call=call, name=name)
    elif type(grad) is not torch.Tensor or grad.shape != grad_before.shape or not torch.equal(grad, grad_before):
        kit.fail("derivatives_grad_changed", advice=advice, conditions=conditions, call=call, name=name)


# --- 1.1 central_difference --------------------------------------------------------

DEFAULT_H = 1e-4


def difference_quotient(f: Callable, x: torch.Tensor, h: float, kind: str = "central") -> torch.Tensor:
    """Element i: (f(x + h·e_i) − f(x − h·e_i)) / (2h), or a mistaken variant of it, in x's dtype."""
    x = x.detach()
    flat = torch.zeros(x.numel(), dtype=x.dtype)
    with torch.no_grad():
        if kind == "all_at_once":
            return torch.full_like(x, ((f(x + h) - f(x - h)) / (2 * h)).item())
        for i in range(x.numel()):
            step = torch.zeros(x.numel(), dtype=x.dtype)
            step[i] = h
            step = step.reshape(x.shape)
            if kind == "forward":
                flat[i] = (f(x + step) - f(x)) / h
            elif kind == "backward":
                flat[i] = (f(x) - f(x - step)) / h
            else:
                flat[i] = (f(x + step) - f(x - step)) / (2 * h)
    return flat.reshape(x.shape)


@kit.oracle
def central_quotient(spec: tuple, kind: str = "central", h: float | None = None) -> torch.Tensor:
    make_f, make_x, case_h, _ = spec
    used = h if h is not None else (DEFAULT_H if case_h is None else case_h)
    return difference_quotient(make_f(), make_x(), used, kind)


@kit.oracle
def exact_gradient(make_f: Callable, make_x: Callable) -> torch.Tensor:
    """Autograd's gradient, on a float64 copy, in x's dtype."""
    x = make_x()
    point = x.detach().double().requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(make_f()(point), point)
    return grad.to(x.dtype)


def central_what(spec: tuple) -> str:
    h = spec[2]
    return "central_difference(f, x)" if h is None else f"central_difference(f, x, h={h:g})"


CENTRAL_CONDITIONS = {
    "float32_x": [kit.when("dtype", dtype="float32")],
    "transposed_x": [kit.when("transposed", name="x")],
    "strided_x": [kit.when("strided", name="x")],
    "leaf_x": [kit.when("requires_grad", name="x")],
    "one_element_x": [kit.when("one_element", name="x")],
    "zero_dim_x": [kit.when("shape", name="x", shape="()")],
}


def central_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    names = ["f", "x"] + ([] if spec[2] is None else ["h"])
    return call_conditions("central_difference", names, spec[3]) + CENTRAL_CONDITIONS.get(case, []) + kind_conditions(case, "_f", "f")


def central_mistakes(spec: tuple, what: str) -> list[kit.Mistake]:
    expected = central_quotient(spec)
    h = spec[2]
    found = [
        kit.Mistake("derivatives_forward_difference", like(central_quotient(spec, "forward")), params={"what": what}),
        kit.Mistake("derivatives_backward_difference", like(central_quotient(spec, "backward")), params={"what": what}),
        kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": what}),
        kit.Mistake("derivatives_divided_by_h", like(2 * expected), params={"what": what}),
        kit.Mistake("derivatives_writes_lost", like(torch.zeros_like(expected)), params={"what": what}),
    ]
    if expected.numel() > 1:
        found.append(kit.Mistake("derivatives_all_at_once", like(central_quotient(spec, "all_at_once")), params={"what": what}))
    if h is None:
        for used in (1e-3, 1e-2, 1e-1):
            found.append(kit.Mistake("derivatives_wrong_default_h", like(central_quotient(spec, h=used)), params={"what": what, "used": f"{used:g}"}))
    else:
        found.append(kit.Mistake("derivatives_h_ignored", like(central_quotient(spec, h=DEFAULT_H)), params={"what": what, "used": "1e-4", "h": f"{h:g}"}))
    found.append(kit.Mistake("derivatives_exact_gradient", like(exact_gradient(spec[0], spec[1])), params={"what": what}))
    return found


def central_difference_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    """The scenario's result is the central difference quotient; the record of the call comes back."""
    spec = spec or CENTRAL_CASES[case]
    conditions = central_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    what = central_what(spec)
    if not kit.close(record["result"], central_quotient(spec)):
        # Steps written into x itself are the likeliest cause of wrong quotients: say so first.
        values_left_alone(record, spec[1](), "x", what, conditions)
    kit.compare(record["result"], central_quotient(spec), what, mistakes=lambda: central_mistakes(spec, what), conditions=conditions)
    return record


def plain_central_difference_is_right(outcome) -> None:
    """The plain inputs: a vector with the default h, and a matrix with a given h."""
    for case in ("vector_default_h", "explicit_h"):
        central_difference_is_right(outcome, case)


@pytest.mark.task("1.1", weight=3)
def test_matches_the_central_difference_quotient(outcome):
    central_difference_is_right(outcome, "vector_default_h")


@pytest.mark.task("1.1", weight=2)
def test_uses_the_given_h(outcome):
    central_difference_is_right(outcome, "explicit_h")


@pytest.mark.task("1.1")
def test_float32_x_gives_a_float32_result(outcome):
    plain_central_difference_is_right(outcome)
    central_difference_is_right(outcome, "float32_x")


@pytest.mark.task("1.1")
def test_central_difference_accepts_the_contract_parameter_names(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("keywords_h", "mixed_h", "keywords_default_h"):
        central_difference_is_right(outcome, case)


@pytest.mark.task("1.1")
def test_central_difference_ignores_the_memory_layout_of_x(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("transposed_x", "strided_x"):
        central_difference_is_right(outcome, case)


@pytest.mark.task("1.1")
def test_central_difference_works_for_one_element_and_a_zero_dim_x(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("one_element_x", "zero_dim_x"):
        central_difference_is_right(outcome, case)


@pytest.mark.task("1.1")
def test_central_difference_accepts_any_callable_f(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("lambda_f", "partial_f", "callable_object_f", "module_f"):
        central_difference_is_right(outcome, case)


@pytest.mark.task("1.1")
def test_central_difference_result_is_detached(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("vector_default_h", "leaf_x", "module_f"):
        record = central_difference_is_right(outcome, case)
        kit.detached(record["result"], central_what(CENTRAL_CASES[case]), central_conditions(case, CENTRAL_CASES[case]))


@pytest.mark.task("1.1")
def test_central_difference_leaves_x_untouched(outcome):
    plain_central_difference_is_right(outcome)
    for case in ("vector_default_h", "transposed_x", "leaf_x"):
        spec = CENTRAL_CASES[case]
        record = central_difference_is_right(outcome, case)
        conditions, what = central_conditions(case, spec), central_what(spec)
        values_left_alone(record, spec[1](), "x", what, conditions)
        grad_left_alone(record, None, "x", what, "advice_copy_input", conditions)


@pytest.mark.task("1.1", weight=2, hidden=True)
def test_central_difference_on_unseen_functions_shapes_and_steps(outcome):
    plain_central_difference_is_right(outcome)
    from grader.scenarios.hidden.derivatives import HIDDEN_CENTRAL_CASES

    for case, spec in HIDDEN_CENTRAL_CASES.items():
        central_difference_is_right(outcome, case, spec)


# --- 1.2 autograd_gradient ---------------------------------------------------------

AUTOGRAD_CALL = "autograd_gradient(f, x)"
ADVICE_COPY = "advice_derivatives_detached_copy"


AUTOGRAD_CONDITIONS = {
    "leaf_input": [kit.when("requires_grad", name="x"), kit.when("dtype", dtype="float32")],
    "leaf_with_grad": [kit.when("requires_grad", name="x"), kit.when("derivatives_existing_grad", name="x")],
    "non_leaf_input": [kit.when("derivatives_non_leaf", name="x")],
    "transposed_x": [kit.when("transposed", name="x")],
    "one_element_x": [kit.when("one_element", name="x")],
    "zero_dim_x": [kit.when("shape", name="x", shape="()")],
}


def autograd_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    return call_conditions("autograd_gradient", ["f", "x"], spec[2]) + AUTOGRAD_CONDITIONS.get(case, []) + kind_conditions(case, "_f", "f")


def autograd_spec(case: str) -> tuple:
    if case == "non_leaf_input":
        return (lambda: wavy, lambda: 2 * parameter_point(), "positional")
    return AUTOGRAD_CASES[case]


def autograd_gradient_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    spec = spec or autograd_spec(case)
    conditions = autograd_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    make_f, make_x, _ = spec
    expected = exact_gradient(make_f, make_x)

    def mistakes() -> list[kit.Mistake]:
        found = [kit.Mistake("gradient_sign_flipped", like(-expected), params={"what": AUTOGRAD_CALL})]
        for used in (1e-2, 1e-3):
            estimate = difference_quotient(make_f(), make_x(), used)
            found.append(kit.Mistake("derivatives_numerical_not_autograd", like(estimate), params={"what": AUTOGRAD_CALL, "used": f"{used:g}"}))
        return found

    kit.compare(record["result"], expected, AUTOGRAD_CALL, mistakes=mistakes, conditions=conditions)
    return record


@pytest.mark.task("1.2", weight=2)
def test_matches_autograd(outcome):
    autograd_gradient_is_right(outcome, "plain_input")


@pytest.mark.task("1.2")
def test_works_when_x_requires_grad(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    for case in ("leaf_input", "leaf_with_grad", "non_leaf_input"):
        autograd_gradient_is_right(outcome, case)


@pytest.mark.task("1.2")
def test_autograd_gradient_result_is_detached(outcome):
    for case in ("plain_input", "leaf_input", "leaf_with_grad", "non_leaf_input", "module_f"):
        record = autograd_gradient_is_right(outcome, case)
        kit.detached(record["result"], AUTOGRAD_CALL, autograd_conditions(case, autograd_spec(case)))


@pytest.mark.task("1.2")
def test_x_grad_stays_as_it_was(outcome):
    for case, grad_before in (("plain_input", None), ("leaf_input", None), ("leaf_with_grad", caller_gradient()), ("non_leaf_input", None)):
        record = autograd_gradient_is_right(outcome, case)
        # For a non-leaf x = 2 * w, the tensor whose .grad autograd would fill is w.
        name = "w" if case == "non_leaf_input" else "x"
        grad_left_alone(record, grad_before, name, AUTOGRAD_CALL, ADVICE_COPY, autograd_conditions(case, autograd_spec(case)))


@pytest.mark.task("1.2")
def test_x_values_and_requires_grad_unchanged(outcome):
    for case in ("plain_input", "leaf_input", "leaf_with_grad", "transposed_x"):
        spec = autograd_spec(case)
        record = autograd_gradient_is_right(outcome, case)
        values_left_alone(record, spec[1](), "x", AUTOGRAD_CALL, autograd_conditions(case, spec))
    record = autograd_gradient_is_right(outcome, "non_leaf_input")
    conditions = autograd_conditions("non_leaf_input", autograd_spec("non_leaf_input"))
    kit.unchanged(record["x"], 2 * parameter_point(), "x", AUTOGRAD_CALL, conditions)
    values_left_alone(record, families.leaf(parameter_point()), "w", AUTOGRAD_CALL, conditions)


@pytest.mark.task("1.2")
def test_autograd_gradient_accepts_the_contract_parameter_names(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    for case in ("keywords", "mixed"):
        autograd_gradient_is_right(outcome, case)


@pytest.mark.task("1.2")
def test_autograd_gradient_ignores_the_memory_layout_of_x(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    autograd_gradient_is_right(outcome, "transposed_x")


@pytest.mark.task("1.2")
def test_autograd_gradient_works_for_one_element_and_a_zero_dim_x(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    for case in ("one_element_x", "zero_dim_x"):
        autograd_gradient_is_right(outcome, case)


@pytest.mark.task("1.2")
def test_autograd_gradient_accepts_any_callable_f(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    for case in ("lambda_f", "partial_f", "callable_object_f", "module_f"):
        autograd_gradient_is_right(outcome, case)


@pytest.mark.task("1.2", weight=2, hidden=True)
def test_autograd_gradient_on_unseen_functions_and_shapes(outcome):
    autograd_gradient_is_right(outcome, "plain_input")
    from grader.scenarios.hidden.derivatives import HIDDEN_AUTOGRAD_CASES

    for case, spec in HIDDEN_AUTOGRAD_CASES.items():
        autograd_gradient_is_right(outcome, case, spec)


# --- 1.3 gradient_descent ----------------------------------------------------------


def descent_of(grad_fn: Callable, x0: torch.Tensor, lr: float, steps: int, sign: float = 1.0, at_x0: bool = False) -> torch.Tensor:
    """The iterates x_{t+1} = x_t − lr·grad_fn(x_t), or a mistaken variant (uphill, always at x0)."""
    x = x0.detach().clone()
    rows = [x]
    with torch.no_grad():
        for _ in range(steps):
            x = x - sign * lr * grad_fn(x0.detach() if at_x0 else x).to(x.dtype)
            rows.append(x)
    return torch.stack(rows)


@kit.oracle
def expected_descent(spec: tuple, sign: float = 1.0, at_x0: bool = False) -> torch.Tensor:
    make_grad_fn, make_x0, lr, steps, _ = spec
    return descent_of(make_grad_fn(), make_x0(), lr, steps, sign, at_x0)


def descent_what(spec: tuple) -> str:
    return f"gradient_descent(grad_fn, x0, lr={spec[2]:g}, steps={spec[3]})"


DESCENT_CONDITIONS = {
    "matrix_no_steps": [kit.when("dtype", dtype="float32")],
    "matrix_three_steps": [kit.when("dtype", dtype="float32")],
    "leaf_x0": [kit.when("requires_grad", name="x0")],
    "transposed_x0": [kit.when("transposed", name="x0")],
    "zero_dim_x0": [kit.when("shape", name="x0", shape="()")],
    "identity_gradient": [kit.when("derivatives_identity_gradient", name="grad_fn")],
}


def descent_conditions(case: str, spec: tuple) -> list[kit.Condition]:
    names = ["grad_fn", "x0", "lr", "steps"]
    return call_conditions("gradient_descent", names, spec[4]) + DESCENT_CONDITIONS.get(case, []) + kind_conditions(case, "_grad_fn", "grad_fn")


def descent_mistakes(spec: tuple, what: str, got: Any) -> list[kit.Mistake]:
    expected = expected_descent(spec)
    rows = expected.shape[0]
    got_rows = got.shape[0] if type(got) is torch.Tensor and got.dim() > 0 else 0
    return [
        kit.Mistake("trajectory_uphill", like(expected_descent(spec, sign=-1.0)), params={"what": what, "row": 1}),
        kit.Mistake("derivatives_gradient_at_x0", like(expected_descent(spec, at_x0=True)), params={"what": what}),
        kit.Mistake(
            "derivatives_same_tensor_appended", like(expected[-1].expand_as(expected)), advice="advice_derivatives_append_copy", params={"what": what}
        ),
        kit.Mistake("derivatives_missing_x0", like(expected[1:]), params={"what": what}),
        kit.Mistake(
            "derivatives_one_step_too_many", lambda got: got.shape[0] == rows + 1 and kit.close(got[:rows], expected),
            params={"what": what, "got": rows + 1, "expected": rows},
        ),
        kit.Mistake(
            "derivatives_iterates_kept", lambda got: got.shape[0] > rows and kit.close(got[-rows:], expected),
            advice="advice_derivatives_new_list", params={"what": what, "got": got_rows, "expected": rows},
        ),
    ]  # fmt: skip


def trajectory_is_right(got: Any, spec: tuple, conditions: Sequence[kit.Condition]) -> None:
    expected = expected_descent(spec)
    what = descent_what(spec)
    if not kit.close(got, expected) or (type(got) is torch.Tensor and got.dtype != expected.dtype):
        kit.diagnose(got, descent_mistakes(spec, what, got), conditions)
    kit.trajectory(got, expected, what, conditions=conditions)


def gradient_descent_is_right(outcome, case: str, spec: tuple | None = None) -> dict:
    spec = spec or DESCENT_CASES[case]
    conditions = descent_conditions(case, spec)
    record = result_of(outcome, case, conditions)
    trajectory_is_right(record["result"], spec, conditions)
    return record


@pytest.mark.task("1.3", weight=2)
def test_trajectory_matches_recomputed_steps(outcome):
    gradient_descent_is_right(outcome, "five_steps")


@pytest.mark.task("1.3")
def test_shape_starts_with_x0_for_any_shape(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    for case in ("matrix_no_steps", "matrix_three_steps", "zero_dim_x0"):
        gradient_descent_is_right(outcome, case)


@pytest.mark.task("1.3")
def test_gradient_descent_accepts_the_contract_parameter_names(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    for case in ("keywords", "mixed"):
        gradient_descent_is_right(outcome, case)


@pytest.mark.task("1.3")
def test_gradient_descent_ignores_the_memory_layout_of_x0(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    gradient_descent_is_right(outcome, "transposed_x0")


@pytest.mark.task("1.3")
def test_gradient_descent_accepts_any_callable_grad_fn(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    for case in ("identity_gradient", "lambda_grad_fn", "partial_grad_fn", "callable_object_grad_fn", "module_grad_fn"):
        gradient_descent_is_right(outcome, case)


@pytest.mark.task("1.3")
def test_gradient_descent_result_is_detached(outcome):
    for case in ("five_steps", "leaf_x0", "module_grad_fn"):
        record = gradient_descent_is_right(outcome, case)
        kit.detached(record["result"], descent_what(DESCENT_CASES[case]), descent_conditions(case, DESCENT_CASES[case]))


@pytest.mark.task("1.3")
def test_gradient_descent_leaves_x0_untouched(outcome):
    for case in ("five_steps", "leaf_x0", "transposed_x0"):
        spec = DESCENT_CASES[case]
        record = gradient_descent_is_right(outcome, case)
        conditions, what = descent_conditions(case, spec), descent_what(spec)
        values_left_alone(record, spec[1](), "x0", what, conditions)
        grad_left_alone(record, None, "x0", what, "advice_copy_input", conditions)


@pytest.mark.task("1.3")
def test_second_call_starts_afresh(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    record = result_of(outcome, "second_call", [kit.when("second_call")])
    for key, (_, make_x0, lr, steps), conditions in zip(("first", "second"), SECOND_CALLS, ([], [kit.when("second_call")]), strict=True):
        spec = (lambda: shifted_bowl_gradient, make_x0, lr, steps, "positional")
        trajectory_is_right(record[key], spec, conditions)


@pytest.mark.task("1.3", weight=2, hidden=True)
def test_gradient_descent_on_an_unseen_quadratic_form(outcome):
    gradient_descent_is_right(outcome, "five_steps")
    from grader.scenarios.hidden.derivatives import HIDDEN_DESCENT_CASES

    for case, spec in HIDDEN_DESCENT_CASES.items():
        gradient_descent_is_right(outcome, case, spec)
