"""Checks for unit 5, learning rate and decay (`lr_decay.py`).

Every expected value is recomputed here: the Rosenbrock formula and its
analytic gradient, the three decay formulas, gradient-descent trajectories
walked with autograd, and learning rates of `LambdaLR` compared with the
time-based formula. When a result is wrong, the checks replay known mistakes
(`kit.Mistake`) and name the one that matches; when only one family of inputs
breaks it (a strided view, a keyword call, a `functools.partial` as `lr`, two
factors alive at once), the failure carries that condition (`kit.when`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/lr_decay.py`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import torch

from grader.checks import kit
from grader.scenarios import load_unit
from grader.scenarios.families import call_text
from grader.scenarios.lr_decay import (
    AGAIN_DECAY,
    AGAIN_FIRST,
    AGAIN_SECOND,
    BOUNDARIES,
    EXPONENTIAL,
    F_ITERATIONS,
    F_KIND_CODE,
    F_KINDS,
    F_LR,
    FACTOR_CASES,
    FAR_DECAY,
    FAR_EPOCHS,
    FLOAT32_POINT,
    GRADIENT_POINTS,
    KEYWORD_CASES,
    KEYWORD_DECAY,
    KEYWORD_POINT,
    KIND_DECAY,
    KIND_ITERATIONS,
    KIND_LR0,
    LEAF_RUN,
    LR_KIND_CODE,
    LR_KINDS,
    MINIMIZE_PARAMETERS,
    PARAMETERS,
    REPEAT_RUNS,
    RUNS,
    SCHEDULE_DECAY,
    SCHEDULE_LR0,
    SCHEDULE_STEPS,
    STEP,
    STRIDED_POINT,
    STYLE_RUN,
    TIME_BASED,
    TWO_DECAYS,
    TWO_EPOCHS,
    TWO_LR0,
    WALKS,
    bowl,
    bowl_start,
    decayed,
    f_expected,
    grid,
    grid_start,
    rosenbrock_points,
    valley,
    valley_start,
)

# The judge expects a result from every scenario of a task, the hidden ones
# included where this copy of the grader has them (`load_unit` loads both).
load_unit("lr_decay")

# A learning rate is a Python float, and one computed in float32 (numpy.float32,
# a float32 tensor's .item()) is a right answer: judge it at float32's tolerance.
RATE = kit.tolerance(torch.float32)

# --- shared: a variant that raised, numbers with named mistakes ------------------------


def code(name: str) -> str:
    """A bare name in a sentence, marked as code (`start`), so that no language reads it as a word of its own."""
    return f"`{name}`"


UNEXPECTED_KEYWORD = re.compile(r"unexpected keyword argument|missing \d+ required positional argument|got multiple values for argument")
VIEW_ERROR = "view size is not compatible with input tensor's size and stride"


def succeeded(found: dict, call: str, conditions: Sequence[kit.Condition] = (), signature: str = "") -> Any:
    """The value a family variant returned; if it raised instead, fail with its condition."""
    raised = found["raised"]
    if raised is None:
        return found["value"]
    location = {"file": raised["file"], "line": raised["line"], "code": raised["code"]}
    if signature and raised["error_type"] == "TypeError" and UNEXPECTED_KEYWORD.search(raised["message"]):
        kit.fail("lr_decay_keyword_call_failed", advice="lr_decay_advice_signature", call=call, signature=signature, conditions=conditions)
    if raised["file"] and raised["error_type"] == "RuntimeError" and VIEW_ERROR in raised["message"]:
        kit.fail("lr_decay_view_not_contiguous", advice="lr_decay_advice_reshape", call=call, conditions=conditions, **location)
    if raised["file"]:
        kit.fail("lr_decay_raised_at", advice="advice_raised", call=call, error_type=raised["error_type"], message=raised["message"], conditions=conditions, **location)
    kit.fail("lr_decay_raised", call=call, error_type=raised["error_type"], message=raised["message"], conditions=conditions)


def rate(got: Any, expected: float, what: str, mistakes: Sequence[kit.Mistake] = (), conditions: Sequence[kit.Condition] = ()) -> None:
    """`got` is the float `expected`; if not, a known mistake that explains it is named."""
    if not kit.close_number(got, expected, rtol=RATE.rtol, atol=RATE.atol):
        kit.diagnose(got, mistakes, conditions)
    kit.number(got, expected, what, rtol=RATE.rtol, atol=RATE.atol, conditions=conditions)


def gives(value: float) -> Callable[[Any], bool]:
    """A replay: does `got` equal what the mistaken formula gives?"""
    return lambda got: kit.close_number(got, value, rtol=RATE.rtol, atol=RATE.atol)


def number_mistake(key: str, got: Any, wrong: float, what: str, expected: float, advice: str | None = None, **params: Any) -> list[kit.Mistake]:
    """The mistake that gives `wrong` instead of `expected`, as a list: empty when the two agree (it explains nothing)."""
    if gives(wrong)(expected):
        return []
    return [kit.Mistake(key, gives(wrong), advice, {"what": what, "got": kit.number_text(got), "expected": kit.number_text(expected), **params})]


# --- 5.1 rosenbrock ----------------------------------------------------------------

ROSENBROCK = "rosenbrock(x)"


def rosenbrock_value(a: float, b: float) -> float:
    return (b - a * a) ** 2 + (1 - a) ** 2


def rosenbrock_gradient(a: float, b: float) -> list[float]:
    return [-4 * a * (b - a * a) - 2 * (1 - a), 2 * (b - a * a)]


def point_code(point: Sequence[float]) -> str:
    return f"rosenbrock(torch.tensor([{point[0]:g}, {point[1]:g}]))"


def value_text(got: Any) -> str:
    if type(got) is torch.Tensor and got.numel() >= 1:
        return kit.number_text(float(got.reshape(-1)[0]))
    return kit.describe(got)


def check_rosenbrock(got: Any, point: Sequence[float], dtype: torch.dtype, what: str, conditions: Sequence[kit.Condition] = ()) -> None:
    a, b = point
    expected = torch.tensor(rosenbrock_value(a, b), dtype=dtype)
    shown = {"what": what, "got": value_text(got), "expected": kit.number_text(expected.item())}

    def replay(value: float) -> Callable[[Any], bool]:
        return lambda got: kit.close(got, torch.tensor(value, dtype=dtype)) and not kit.close(got, expected)

    mistakes = [
        kit.Mistake("lr_decay_factor_100", replay(100 * (b - a * a) ** 2 + (1 - a) ** 2), params=shown),
        kit.Mistake("lr_decay_rosenbrock_swapped", replay(rosenbrock_value(b, a)), params=shown),
    ]
    kit.compare(got, expected, what, mistakes=mistakes, conditions=conditions)


def _values_are_right(outcome) -> None:
    for point, got in zip(rosenbrock_points(), outcome("values_at_points")["results"], strict=True):
        check_rosenbrock(got, point.tolist(), torch.float64, point_code(point.tolist()))


@pytest.mark.task("5.1", weight=2)
def test_values_at_several_points(outcome):
    _values_are_right(outcome)


@pytest.mark.task("5.1")
def test_float32_input_gives_float32_0d_tensor(outcome):
    conditions = [kit.when("dtype", dtype="float32")]
    got = succeeded(outcome("float32_point"), ROSENBROCK, conditions)
    check_rosenbrock(got, FLOAT32_POINT, torch.float32, point_code(FLOAT32_POINT), conditions)


@pytest.mark.task("5.1")
def test_strided_view_gives_the_same_value(outcome):
    conditions = [kit.when("strided", name=code("x"))]
    got = succeeded(outcome("strided_point"), ROSENBROCK, conditions)
    check_rosenbrock(got, STRIDED_POINT, torch.float64, ROSENBROCK, conditions)


@pytest.mark.task("5.1")
def test_x_may_be_passed_by_keyword(outcome):
    call = "rosenbrock(x=x)"
    conditions = [kit.when("keywords", call=call)]
    got = succeeded(outcome("keyword_point"), call, conditions, signature=ROSENBROCK)
    check_rosenbrock(got, KEYWORD_POINT, torch.float64, call, conditions)


@pytest.mark.task("5.1", weight=2)
def test_gradient_flows_back_to_x(outcome):
    conditions = [kit.when("requires_grad", name=code("x"))]
    for point, found in zip(GRADIENT_POINTS, outcome("gradients_flow"), strict=True):
        got = succeeded(found, ROSENBROCK, conditions)
        check_rosenbrock(got, point, torch.float64, point_code(point), conditions)
        if found["before_backward"]["grad"] is not None:
            kit.fail("lr_decay_backward_inside", advice="lr_decay_advice_no_backward", call=ROSENBROCK, name="x", conditions=conditions)
        if not getattr(got, "sent_grad_fn", False):
            kit.fail("no_gradient_flow", advice="advice_keep_tensor", what=ROSENBROCK, conditions=conditions)
        if found.get("backward_raised"):
            succeeded({"raised": found["backward_raised"]}, f"{ROSENBROCK}.backward()", conditions)
        if found["grad"] is None:
            kit.fail("no_gradient_flow", advice="advice_keep_tensor", what=ROSENBROCK, conditions=conditions)
        expected = torch.tensor(rosenbrock_gradient(*point), dtype=torch.float64)
        kit.tensor(found["grad"], expected, "x.grad", conditions=[*conditions, kit.when("after_step", call=f"{ROSENBROCK}.backward()")])


def caller_untouched(view: dict, before: torch.Tensor, name: str, call: str, conditions: Sequence[kit.Condition] = (), requires_grad: bool = False) -> None:
    """The caller's tensor after the call: the same values, `requires_grad` as it was, no gradient left in `.grad`."""
    kit.unchanged(view["values"], before, code(name), call, conditions)
    if view["requires_grad"] != requires_grad:
        kit.fail("lr_decay_requires_grad_changed", advice="advice_copy_input", call=call, name=name, before=requires_grad, after=view["requires_grad"], conditions=conditions)
    if view["grad"] is not None:
        kit.fail("lr_decay_grad_touched", advice="lr_decay_advice_detached_copy", call=call, name=name, conditions=conditions)


@pytest.mark.task("5.1")
def test_leaves_x_unchanged(outcome):
    _values_are_right(outcome)
    for point, after in zip(rosenbrock_points(), outcome("values_at_points")["after"], strict=True):
        caller_untouched(after, point, "x", ROSENBROCK)
    float32 = outcome("float32_point")
    if float32["raised"] is None:
        caller_untouched(float32["after"], torch.tensor(FLOAT32_POINT), "x", ROSENBROCK, [kit.when("dtype", dtype="float32")])


@pytest.mark.task("5.1", hidden=True)
def test_hidden_points(outcome):
    from grader.scenarios.hidden.lr_decay import HIDDEN_POINTS

    conditions_of = [[kit.when("requires_grad", name=code("x"))], [kit.when("strided", name=code("x")), kit.when("dtype", dtype="float32")], []]
    for (point, dtype), run, conditions in zip(HIDDEN_POINTS, outcome("hidden_points"), conditions_of, strict=True):
        got = succeeded(run, ROSENBROCK, conditions)
        check_rosenbrock(got, point, dtype, point_code(point), conditions)
    grad = outcome("hidden_points")[0]["grad"]
    if grad is None:
        kit.fail("no_gradient_flow", advice="advice_keep_tensor", what=ROSENBROCK, conditions=conditions_of[0])
    expected = torch.tensor(rosenbrock_gradient(*HIDDEN_POINTS[0][0]), dtype=torch.float64)
    kit.tensor(grad, expected, "x.grad", conditions=[*conditions_of[0], kit.when("after_step", call=f"{ROSENBROCK}.backward()")])


# --- 5.2 the three decay functions -------------------------------------------------

LESSON_LR0 = TIME_BASED[0][0]  # the lr0 of the plain calls, which a schedule that keeps its first lr0 goes on using
DECAY_SIGNATURES = {name: f"{name}({', '.join(parameters)})" for name, parameters in PARAMETERS.items()}


def decay_code(name: str, case: Sequence[float]) -> str:
    return f"{name}({', '.join(f'{key}={value:g}' for key, value in zip(PARAMETERS[name], case, strict=True))})"


# The three schedules as the curriculum writes them.
SCHEDULES: dict[str, Callable[..., float]] = {
    "time_based_decay": lambda lr0, decay, iteration: lr0 / (1 + decay * iteration),
    "step_decay": lambda lr0, drop, every, iteration: lr0 * drop ** (iteration // every),
    "exponential_decay": lambda lr0, gamma, iteration: lr0 * gamma**iteration,
}


def expected_rate(name: str, case: Sequence[float]) -> float:
    return SCHEDULES[name](*case)


def rate_mistakes(name: str, case: Sequence[float], got: Any, what: str, kept_lr0: float | None = None) -> list[kit.Mistake]:
    """The known mistakes of each schedule, replayed on `case`."""
    expected = expected_rate(name, case)
    lr0, iteration = case[0], case[-1]
    found = []
    if name == "time_based_decay":
        decay = case[1]
        found += number_mistake("value_off_by_one", got, lr0 / (1 + decay * (iteration + 1)), what, expected, "advice_count_from_zero")
        found += number_mistake("lr_decay_missing_parentheses", got, lr0 / 1 + decay * iteration, what, expected)
    elif name == "step_decay":
        drop, every = case[1], case[2]
        found += number_mistake("lr_decay_true_division", got, lr0 * drop ** (iteration / every), what, expected)
        found += number_mistake("lr_decay_step_every_iteration", got, lr0 * drop**iteration, what, expected)
        found += number_mistake("lr_decay_step_drops_early", got, lr0 * drop ** ((iteration + 1) // every), what, expected, "advice_count_from_zero")
        found += number_mistake("lr_decay_step_drops_late", got, lr0 * drop ** ((iteration - 1) // every), what, expected, "advice_count_from_zero")
    else:
        gamma = case[1]
        found += number_mistake("value_off_by_one", got, lr0 * gamma ** (iteration + 1), what, expected, "advice_count_from_zero")
    if kept_lr0 is not None and kept_lr0 != lr0:
        kept = expected_rate(name, (kept_lr0, *case[1:]))
        found += number_mistake("lr_decay_lr0_kept", got, kept, what, expected, "lr_decay_advice_pure", kept=kit.number_text(kept_lr0))
    return found


def check_rates(name: str, cases, results, conditions_of=lambda case: ()) -> None:
    for case, got in zip(cases, results, strict=True):
        what = decay_code(name, case)
        rate(got, expected_rate(name, case), what, rate_mistakes(name, case, got, what), conditions_of(case))


@pytest.mark.task("5.2")
def test_time_based_decay_formula(outcome):
    check_rates("time_based_decay", TIME_BASED, outcome("time_based_values"))


@pytest.mark.task("5.2", weight=2)
def test_step_decay_formula(outcome):
    check_rates("step_decay", STEP, outcome("step_values"))


@pytest.mark.task("5.2")
def test_exponential_decay_formula(outcome):
    check_rates("exponential_decay", EXPONENTIAL, outcome("exponential_values"))


@pytest.mark.task("5.2", weight=2)
def test_iteration_zero_and_the_drops_of_step_decay(outcome):
    found = outcome("boundary_values")
    for name, cases in BOUNDARIES.items():
        for case, run in zip(cases, found[name], strict=True):
            what = decay_code(name, case)
            conditions = [kit.when("value", name=code("iteration"), value=case[-1])]
            got = succeeded(run, what, conditions)
            rate(got, expected_rate(name, case), what, rate_mistakes(name, case, got, what, LESSON_LR0), conditions)


@pytest.mark.task("5.2")
def test_schedules_take_their_arguments_by_name(outcome):
    found = outcome("keyword_values")
    for name, case in KEYWORD_CASES.items():
        arguments = list(zip(PARAMETERS[name], case, strict=True))
        for style, run in found[name].items():
            call = call_text(name, arguments, style)
            conditions = [kit.when("keywords", call=call)]
            got = succeeded(run, call, conditions, signature=DECAY_SIGNATURES[name])
            what = decay_code(name, case)
            rate(got, expected_rate(name, case), what, rate_mistakes(name, case, got, what, LESSON_LR0), conditions)


@pytest.mark.task("5.2")
def test_each_call_uses_its_own_arguments(outcome):
    found = outcome("walked_twice")
    for name, walks in WALKS.items():
        for number, (head, runs) in enumerate(zip(walks, found[name], strict=True)):
            for iteration, run in enumerate(runs):
                case = (*head, iteration)
                what = decay_code(name, case)
                conditions = [kit.when("lr_decay_second_schedule", lr0=kit.number_text(head[0]))] if number else []
                got = succeeded(run, what, conditions)
                rate(got, expected_rate(name, case), what, rate_mistakes(name, case, got, what, LESSON_LR0), conditions)


@pytest.mark.task("5.2", hidden=True)
def test_hidden_schedules(outcome):
    from grader.scenarios.hidden.lr_decay import HIDDEN_RATES

    found = outcome("hidden_rates")
    for name, cases in HIDDEN_RATES.items():
        for case, run in zip(cases, found[name], strict=True):
            what = decay_code(name, case)
            got = succeeded(run, what)
            rate(got, expected_rate(name, case), what, rate_mistakes(name, case, got, what))


# --- 5.3 minimize --------------------------------------------------------------------

MINIMIZE = "minimize(f, start, lr, iterations)"


def descent_oracle(f, start, lr, iterations, *, shift: int = 0, accumulate: bool = False, sign: int = 1, once: bool = False) -> torch.Tensor:
    """Gradient descent with autograd; `shift`, `accumulate`, `sign` and `once` replay known mistakes."""
    x = start.detach().clone().requires_grad_(True)
    total = torch.zeros_like(x)
    rows = [x.detach().clone()]
    for i in range(iterations):
        step = (lr(0) if once else lr(i + shift)) if callable(lr) else lr
        (grad,) = torch.autograd.grad(f(x), x)
        total = total + grad if accumulate else grad
        with torch.no_grad():
            x -= sign * step * total
        rows.append(x.detach().clone())
    return torch.stack(rows)


@kit.oracle
def expected_run(name: str) -> torch.Tensor:
    f, start_of, lr, iterations, _ = RUNS[name]
    return descent_oracle(f, start_of(), lr, iterations)


def first_wrong_row(got: torch.Tensor, expected: torch.Tensor) -> int:
    limit = kit.tolerance(expected.dtype)
    ok = torch.isclose(got.detach().double(), expected.double(), rtol=limit.rtol, atol=limit.atol)
    return int((~ok.reshape(len(ok), -1).all(dim=1)).nonzero()[0, 0])


@functools.lru_cache(maxsize=512)  # the functions are held as keys: an identity is never reused while cached
def _descent_once(f, values: tuple, shape: tuple, dtype: torch.dtype, lr, iterations: int) -> torch.Tensor:
    return descent_oracle(f, torch.tensor(values, dtype=dtype).reshape(shape), lr, iterations)


def expected_descent(f, start: torch.Tensor, lr, iterations: int) -> torch.Tensor:
    """`descent_oracle` without a mistake, computed once per case (the same `f` and `lr` objects)."""
    values = tuple(start.detach().flatten().tolist())
    return kit.answer_copy(_descent_once(f, values, tuple(start.shape), start.dtype, lr, iterations))


def check_trajectory(got: Any, f, start: torch.Tensor, lr, iterations: int, what: str, conditions: Sequence[kit.Condition] = ()) -> None:
    """`got` is gradient descent on `f` from `start`; if not, a known mistake that explains it is named."""
    expected = expected_descent(f, start, lr, iterations)

    def replay(**mistake) -> Callable[[Any], bool]:
        def matches(got: Any) -> bool:
            # A diverged mistake holds inf and nan: compare them as the large numbers they stand for.
            wrong = torch.nan_to_num(descent_oracle(f, start, lr, iterations, **mistake))
            return type(got) is torch.Tensor and kit.close(torch.nan_to_num(got), wrong) and not kit.close(wrong, expected)

        return matches

    comparable = type(got) is torch.Tensor and got.shape == expected.shape and not kit.close(got, expected)
    shown = {"what": what, "row": first_wrong_row(got, expected) if comparable else 0}
    mistakes = [
        kit.Mistake("trajectory_uphill", replay(sign=-1), params=shown),
        kit.Mistake("trajectory_grad_accumulates", replay(accumulate=True), "advice_clear_x_grad", shown),
    ]
    if iterations:
        kept = {"call": what}
        mistakes.append(kit.Mistake("lr_decay_state_between_calls", lambda got: len(got) > len(expected) and kit.close(got[-iterations:], expected[1:]), "lr_decay_advice_pure", kept))
    if callable(lr):
        mistakes += [
            kit.Mistake("trajectory_lr_off_by_one", replay(shift=1), "advice_count_from_zero", shown),
            kit.Mistake("lr_decay_lr_read_once", replay(once=True), None, shown),
        ]
    if not kit.close(got, expected):
        kit.diagnose(got, mistakes, conditions)
    kit.trajectory(got, expected, what, conditions=conditions)


def _run_is_right(outcome, name: str) -> None:
    f, start_of, lr, iterations, what = RUNS[name]
    check_trajectory(outcome(name)["result"], f, start_of(), lr, iterations, what)


@pytest.mark.task("5.3")
def test_trajectory_has_one_row_per_iteration_and_starts_with_start(outcome):
    got = outcome("valley_lr_0_1")["result"]
    what = RUNS["valley_lr_0_1"][-1]
    kit.is_tensor(got, what)
    if tuple(got.shape) != (101, 2):
        kit.fail("wrong_shape", what=what, expected=kit.shape_text((101, 2)), got=kit.shape_text(got.shape))
    kit.tensor(got[0], valley_start(), f"{what}[0]")


@pytest.mark.task("5.3", weight=2)
def test_fixed_lr_trajectories_match_gradient_descent(outcome):
    _run_is_right(outcome, "valley_lr_0_1")
    _run_is_right(outcome, "valley_lr_0_2")


@pytest.mark.task("5.3", weight=2)
def test_callable_lr_uses_lr_of_each_iteration(outcome):
    _run_is_right(outcome, "valley_time_based")


@pytest.mark.task("5.3")
def test_lr_is_called_with_iterations_from_zero(outcome):
    _run_is_right(outcome, "valley_time_based")
    calls = outcome("valley_time_based")["calls"]
    last = RUNS["valley_time_based"][3] - 1
    shown = calls[:3] + ["…"] + calls[-1:] if len(calls) > 4 else calls
    got = "[" + ", ".join(map(str, shown)) + "]"
    if not all(type(i) is int for i in calls):
        kit.fail("wrong_lr_calls", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)
    if sorted(set(calls)) == list(range(1, last + 2)):
        kit.fail("lr_called_off_by_one", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)
    if sorted(set(calls)) != list(range(last + 1)) or calls != sorted(calls):
        kit.fail("wrong_lr_calls", advice="advice_count_from_zero", call=MINIMIZE, got=got, last=last)


KIND_CONDITIONS = {
    "lambda": lambda name: kit.when("lambda", name=code(name)),
    "partial": lambda name: kit.when("partial", name=code(name)),
    "callable_object": lambda name: kit.when("callable_object", name=code(name)),
    "method": lambda name: kit.when("lr_decay_method", name=code(name)),
}


def kind_schedule(i: int) -> float:
    """The schedule every kind of callable of `test_lr_may_be_any_callable` stands for (one object: its descent is computed once)."""
    return decayed(KIND_LR0, KIND_DECAY, i)


@pytest.mark.task("5.3")
def test_lr_may_be_any_callable(outcome):
    found = outcome("lr_kinds")
    for kind in LR_KINDS:
        run = found[kind]
        call = f"minimize(rosenbrock, start=(2, 2), lr={LR_KIND_CODE[kind]}, iterations={KIND_ITERATIONS})"
        conditions = [KIND_CONDITIONS[kind]("lr")]
        if not run["calls"] and (run["raised"] is not None or not kit.close(run["value"], expected_descent(valley, valley_start(), kind_schedule, KIND_ITERATIONS))):
            kit.fail("lr_decay_lr_not_called", advice="lr_decay_advice_callable", call=call, conditions=conditions)
        got = succeeded(run, call, conditions)
        check_trajectory(got, valley, valley_start(), kind_schedule, KIND_ITERATIONS, call, conditions)


@pytest.mark.task("5.3")
def test_f_may_be_any_callable(outcome):
    found = outcome("f_kinds")
    for kind in F_KINDS:
        call = f"minimize({F_KIND_CODE[kind]}, start, lr={F_LR:g}, iterations={F_ITERATIONS})"
        conditions = [KIND_CONDITIONS[kind]("f")]
        got = succeeded(found[kind], call, conditions)
        check_trajectory(got, f_expected(kind), bowl_start(torch.float64), F_LR, F_ITERATIONS, call, conditions)


@pytest.mark.task("5.3")
def test_start_may_be_a_strided_or_transposed_view(outcome):
    found = outcome("start_layouts")
    runs = {
        "strided": (valley, valley_start(), 0.1, 20, "minimize(rosenbrock, start, lr=0.1, iterations=20)", kit.when("strided", name=code("start"))),
        "transposed": (grid, grid_start(), 0.1, 10, "minimize(f, start, lr=0.1, iterations=10)", kit.when("transposed", name=code("start"))),
    }
    for key, (f, start, lr, iterations, call, condition) in runs.items():
        got = succeeded(found[key], call, [condition])
        check_trajectory(got, f, start, lr, iterations, call, [condition])


@pytest.mark.task("5.3")
def test_start_of_any_shape(outcome):
    condition = kit.when("shape", name=code("start"), shape="(2, 3)")
    call = "minimize(f, start, lr=0.1, iterations=10)"
    got = succeeded(outcome("start_layouts")["grid"], call, [condition])
    check_trajectory(got, grid, grid_start(), 0.1, 10, call, [condition])


@pytest.mark.task("5.3")
def test_float32_start_gives_a_float32_trajectory(outcome):
    conditions = [kit.when("dtype", dtype="float32")]
    call = "minimize(f, start, lr=0.1, iterations=5)"
    got = succeeded(outcome("float32_start"), call, conditions)
    check_trajectory(got, bowl, bowl_start(torch.float32), 0.1, 5, call, conditions)


@pytest.mark.task("5.3")
def test_keyword_and_mixed_calls_use_the_contract_names(outcome):
    f, start_of, lr, iterations = STYLE_RUN
    for style, run in outcome("call_styles").items():
        arguments = list(zip(MINIMIZE_PARAMETERS, (f, start_of(), lr, iterations), strict=True))
        call = call_text("minimize", arguments, style)
        conditions = [kit.when("keywords", call=call)]
        got = succeeded(run, call, conditions, signature=MINIMIZE)
        check_trajectory(got, f, start_of(), lr, iterations, call, conditions)


@pytest.mark.task("5.3")
def test_zero_iterations_give_start_alone(outcome):
    call = "minimize(f, start, lr=0.1, iterations=0)"
    conditions = [kit.when("value", name=code("iterations"), value=0)]
    got = succeeded(outcome("no_iterations"), call, conditions)
    kit.tensor(got, bowl_start(torch.float64).unsqueeze(0), call, conditions=conditions)


def _leaf_run_is_right(outcome) -> dict:
    found = outcome("start_requires_grad")
    f, start_of, lr, iterations = LEAF_RUN
    conditions = [kit.when("requires_grad", name=code("start"))]
    if found["after"]["grad"] is not None:
        kit.fail("lr_decay_grad_touched", advice="lr_decay_advice_detached_copy", call=MINIMIZE, name="start", conditions=conditions)
    got = succeeded(found, MINIMIZE, conditions)
    check_trajectory(got, f, start_of(), lr, iterations, MINIMIZE, conditions)
    return found


@pytest.mark.task("5.3")
def test_start_requiring_grad_is_left_untouched(outcome):
    found = _leaf_run_is_right(outcome)
    caller_untouched(found["after"], LEAF_RUN[1](), "start", MINIMIZE, [kit.when("requires_grad", name=code("start"))], requires_grad=True)


@pytest.mark.task("5.3")
def test_leaves_start_unchanged(outcome):
    for name in ("valley_lr_0_1", "valley_time_based"):
        _run_is_right(outcome, name)
        caller_untouched(outcome(name)["after"], RUNS[name][1](), "start", MINIMIZE)
    float32 = outcome("float32_start")
    if float32["raised"] is None:
        caller_untouched(float32["after"], bowl_start(torch.float32), "start", MINIMIZE, [kit.when("dtype", dtype="float32")])


@pytest.mark.task("5.3")
def test_trajectory_is_detached(outcome):
    for name in ("valley_lr_0_1", "valley_time_based"):
        _run_is_right(outcome, name)
        kit.detached(outcome(name)["result"], MINIMIZE)
    found = _leaf_run_is_right(outcome)
    kit.detached(found["value"], MINIMIZE, [kit.when("requires_grad", name=code("start"))])


@pytest.mark.task("5.3")
def test_repeated_runs_are_independent(outcome):
    found = outcome("repeated_runs")
    first_right = False
    for number, ((f, start_of, lr, iterations), run) in enumerate(zip(REPEAT_RUNS, found, strict=True)):
        call = f"minimize(f, start, lr={lr:g}, iterations={iterations})"
        conditions = [kit.when("second_call")] if number else []
        got = succeeded(run, call, conditions)
        expected = descent_oracle(f, start_of(), lr, iterations)
        if number and not kit.close(got, expected) and first_right:
            kit.fail("lr_decay_state_between_calls", advice="lr_decay_advice_pure", call=call, conditions=conditions)
        first_right = kit.close(got, expected) if not number else first_right
        check_trajectory(got, f, start_of(), lr, iterations, call, conditions)


@pytest.mark.task("5.3", hidden=True)
def test_hidden_descents(outcome):
    from grader.scenarios.hidden.lr_decay import HIDDEN_DESCENTS

    found = outcome("hidden_descents")
    for (f, start_of, lr, iterations, call), run in zip(HIDDEN_DESCENTS, found, strict=True):
        got = succeeded(run, call)
        check_trajectory(got, f, start_of(), lr, iterations, call)


# --- 5.4 time_based_lambda -----------------------------------------------------------


def check_schedule(rates: Any, lr0: float, decay: float, conditions: Sequence[kit.Condition] = (), steps: int = SCHEDULE_STEPS) -> None:
    """`rates[i]` is the learning rate after i calls of `scheduler.step()`: lr0 / (1 + decay·i)."""
    scheduler = kit.when("after_step", call=f"LambdaLR(SGD(params, lr={lr0:g}), time_based_lambda({decay:g}))")
    what = 'optimizer.param_groups[0]["lr"]'
    kit.sequence(rates, steps + 1, f"[{what}]", kinds=(list,), conditions=[*conditions, scheduler])
    for epoch, got in enumerate(rates):
        rate(got, lr0 * factor(decay, epoch), what, (), [*conditions, scheduler, kit.when("value", name="scheduler.last_epoch", value=epoch)])


def factor(decay: float, epoch: int) -> float:
    return 1 / (1 + decay * epoch)


def _require_function(found: dict, decay: float) -> None:
    if not found["callable"]:
        kit.fail("not_callable", advice="lr_decay_advice_return_function", what=f"time_based_lambda({decay:g})", got=found["type"])


def check_factor(
    got: Any, decay: float, epoch: int, what: str, conditions: Sequence[kit.Condition] = (), others: Sequence[float] = (), calls: int | None = None,
) -> None:  # fmt: skip
    """`got` is `1 / (1 + decay·epoch)`; `others` are the decays of factors made before, `calls` how often this one was called."""
    expected = factor(decay, epoch)
    mistakes = number_mistake("value_off_by_one", got, factor(decay, epoch + 1), what, expected, "advice_count_from_zero")
    if calls is not None:
        mistakes += number_mistake("lr_decay_factor_counts_calls", got, factor(decay, calls), what, expected, "lr_decay_advice_epoch_only")
    for other in others:
        mistakes += number_mistake("lr_decay_shared_decay", got, factor(other, epoch), what, expected, "lr_decay_advice_closure", other=kit.number_text(other))
    rate(got, expected, what, mistakes, conditions)


def _factors_are_right(outcome) -> None:
    decays = [decay for decay, _ in FACTOR_CASES]
    for (decay, epochs), found in zip(FACTOR_CASES, outcome("factor_values"), strict=True):
        _require_function(found, decay)
        for calls, (epoch, got) in enumerate(zip(epochs, found["values"], strict=True)):
            check_factor(got, decay, epoch, f"time_based_lambda({decay:g})({epoch})", others=decays, calls=calls)


@pytest.mark.task("5.4", weight=2)
def test_returns_a_function_of_epoch_one_over_one_plus_decay_times_epoch(outcome):
    _factors_are_right(outcome)


@pytest.mark.task("5.4", weight=2)
def test_lambda_lr_follows_time_based_decay(outcome):
    for (decay, _), found in zip(FACTOR_CASES, outcome("factor_values"), strict=True):
        _require_function(found, decay)
    check_schedule(outcome("lambda_lr_schedule"), SCHEDULE_LR0, SCHEDULE_DECAY)


@pytest.mark.task("5.4")
def test_two_factors_alive_at_once_keep_their_own_decay(outcome):
    _factors_are_right(outcome)
    conditions = [kit.when("two_instances", name="time_based_lambda(decay)")]
    found = succeeded(outcome("two_instances"), "time_based_lambda(decay)", conditions)
    for decay, values in zip(TWO_DECAYS, found["values"], strict=True):
        for calls, (epoch, got) in enumerate(zip(TWO_EPOCHS, values, strict=True)):
            check_factor(got, decay, epoch, f"time_based_lambda({decay:g})({epoch})", conditions, others=TWO_DECAYS, calls=calls)
    for lr0, decay, rates in zip(TWO_LR0, TWO_DECAYS, found["rates"], strict=True):
        check_schedule(rates, lr0, decay, conditions)


@pytest.mark.task("5.4")
def test_factor_depends_on_epoch_alone(outcome):
    _factors_are_right(outcome)
    found = succeeded(outcome("called_again"), f"time_based_lambda({AGAIN_DECAY:g})", [kit.when("second_call")])
    conditions = [kit.when("lr_decay_again", epochs=AGAIN_SECOND, first=AGAIN_FIRST)]
    for number, (epochs, values) in enumerate(zip((AGAIN_FIRST, AGAIN_SECOND), found, strict=True)):
        for position, (epoch, got) in enumerate(zip(epochs, values, strict=True)):
            calls = position + (len(AGAIN_FIRST) if number else 0)
            check_factor(got, AGAIN_DECAY, epoch, f"time_based_lambda({AGAIN_DECAY:g})({epoch})", conditions if number else [], calls=calls)


@pytest.mark.task("5.4")
def test_decay_may_be_passed_by_keyword(outcome):
    call = f"time_based_lambda(decay={KEYWORD_DECAY:g})"
    conditions = [kit.when("keywords", call="time_based_lambda(decay=decay)")]
    found = succeeded(outcome("keyword_decay"), call, conditions, signature="time_based_lambda(decay)")
    _require_function(found, KEYWORD_DECAY)
    for calls, (epoch, got) in enumerate(zip(TWO_EPOCHS, found["values"], strict=True)):
        check_factor(got, KEYWORD_DECAY, epoch, f"{call}({epoch})", conditions, calls=calls)


@pytest.mark.task("5.4")
def test_factor_holds_for_far_epochs(outcome):
    _factors_are_right(outcome)
    found = outcome("far_epochs")
    _require_function(found, FAR_DECAY)
    for epoch, run in zip(FAR_EPOCHS, found["values"], strict=True):
        what = f"time_based_lambda({FAR_DECAY:g})({epoch})"
        conditions = [kit.when("value", name=code("epoch"), value=epoch)]
        check_factor(succeeded(run, what, conditions), FAR_DECAY, epoch, what, conditions)


@pytest.mark.task("5.4", hidden=True)
def test_hidden_factors(outcome):
    from grader.scenarios.hidden.lr_decay import HIDDEN_FACTORS, HIDDEN_LR0, HIDDEN_STEPS

    found = outcome("hidden_factors")
    for (decay, epochs), run in zip(HIDDEN_FACTORS, found, strict=True):
        got = succeeded(run, f"time_based_lambda({decay:g})")
        for epoch, value in zip(epochs, got["values"], strict=True):
            check_factor(value, decay, epoch, f"time_based_lambda({decay:g})({epoch})")
        check_schedule(got["rates"], HIDDEN_LR0, decay, steps=HIDDEN_STEPS)
