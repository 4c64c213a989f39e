"""The one check kit: tolerances, quiet comparisons, exact feedback, named mistakes, conditions.

Every check module judges with these and nothing else of its own kind:

- `tolerance(dtype)` is the one table of how close is close, by dtype; `close`
  and `close_number` ask quietly (for detectors), the comparisons below fail
  with exact feedback (what came back: type, shape, dtype, first differing
  element).
- `when(key, **params)` names a condition of the inputs a check found the
  problem under ("when x is a transposed view", "with logits near 1000", "on
  the second call"): a message key of its own, rendered in each language's
  word order by `grader.feedback`. Every comparison takes `conditions=`.
- `Mistake` and `diagnose` name a known mistake when a result is wrong: the
  first mistake whose replay matches what came back is reported instead of a
  bare difference. `compare` does both in one call.
- `oracle` caches an expected value per seeded case.

A message's subject (`what`, `call`, `name`) is code, such as
`mse(y_hat, y)` or `x.grad`; facts about the inputs are conditions, never
English words spliced into a sentence.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import torch

from grader.scenarios import describe as describe_value
from grader.scenarios import dtype_text, shape_text
from grader.wire import Opaque

__all__ = [
    "CheckFailure", "Condition", "Mistake", "Tolerance", "TOLERANCES", "close", "close_number", "compare", "describe",
    "detached", "diagnose", "differing_texts", "dtype_text", "equal", "fail", "index_text", "is_tensor", "mapping", "number",
    "number_text", "numbers", "oracle", "sequence", "shape_text", "shaped_like", "tensor", "tolerance", "trajectory", "unchanged", "values", "when",
]  # fmt: skip


# --- how close is close ------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


# A float32 result computed in another valid order of operations differs in the
# last few bits; a float64 one in far fewer. Integers and booleans are exact.
TOLERANCES = {
    torch.float64: Tolerance(rtol=1e-7, atol=1e-10),
    torch.float32: Tolerance(rtol=1e-4, atol=1e-6),
    torch.float16: Tolerance(rtol=1e-2, atol=1e-3),
    torch.bfloat16: Tolerance(rtol=2e-2, atol=1e-2),
}
EXACT = Tolerance(rtol=0.0, atol=0.0)
PYTHON_FLOAT = TOLERANCES[torch.float64]


def tolerance(dtype: torch.dtype | None) -> Tolerance:
    """The tolerance for values of `dtype` (Python floats: as float64)."""
    if dtype is None:
        return PYTHON_FLOAT
    return TOLERANCES.get(dtype, EXACT if not dtype.is_floating_point else TOLERANCES[torch.float32])


def _tolerance_for(got: Any, expected: torch.Tensor, rtol: float | None, atol: float | None) -> Tolerance:
    """The looser of the two dtypes' tolerances, unless the check says otherwise."""
    dtypes = [expected.dtype] + ([got.dtype] if type(got) is torch.Tensor else [])
    table = max((tolerance(dtype) for dtype in dtypes), key=lambda t: (t.rtol, t.atol))
    return Tolerance(table.rtol if rtol is None else rtol, table.atol if atol is None else atol)


def _identical(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """The same dtype and the same values (NaN aside): close under any tolerance, at a fraction of
    `isclose`'s cost. A right answer often is bit for bit the oracle's."""
    return got.dtype == expected.dtype and torch.equal(got, expected)


def close(got: Any, expected: torch.Tensor, *, rtol: float | None = None, atol: float | None = None) -> bool:
    """Quietly: is `got` a plain tensor shaped like `expected` and element-wise close to it?"""
    if type(got) is not torch.Tensor or tuple(got.shape) != tuple(expected.shape):
        return False
    if got.numel() == 0 or _identical(got, expected):
        return True
    limit = _tolerance_for(got, expected, rtol, atol)
    if not (got.dtype.is_floating_point or expected.dtype.is_floating_point):
        return bool(torch.equal(got, expected))
    return bool(torch.isclose(got.double(), expected.double(), rtol=limit.rtol, atol=limit.atol).all())


def close_number(got: Any, expected: float, *, rtol: float | None = None, atol: float | None = None) -> bool:
    """Quietly: is `got` a Python number (numpy floats included) close to `expected`?"""
    if isinstance(got, bool) or not isinstance(got, float | int):
        return False
    limit = PYTHON_FLOAT if rtol is None and atol is None else Tolerance(rtol or 0.0, atol or 0.0)
    return math.isclose(float(got), float(expected), rel_tol=limit.rtol, abs_tol=limit.atol)


# --- conditions and failures -------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A fact about the inputs under which a problem shows: a `cond_*` message key and its fields."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def when(key: str, **params: Any) -> Condition:
    """`when("transposed", name="x")` is the condition `cond_transposed`."""
    return Condition(key if key.startswith("cond_") else f"cond_{key}", params)


class CheckFailure(AssertionError):
    """A check found the submission wrong. Rendered in the student's language later."""

    def __init__(self, key: str, advice: str | None = None, conditions: Sequence[Condition] = (), **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.advice = advice
        self.params = params
        self.conditions = tuple(conditions)


def fail(key: str, advice: str | None = None, conditions: Sequence[Condition] = (), **params: Any) -> NoReturn:
    raise CheckFailure(key, advice=advice, conditions=conditions, **params)


# --- words for values --------------------------------------------------------------


def describe(value: Any) -> str:
    """A short, language-neutral name for what came back (type, shape, dtype).

    The words for a value itself are `grader.scenarios.describe`'s (with
    `shape_text` and `dtype_text`): scenarios name some values in the task
    process, and must say it the same way.
    """
    if isinstance(value, Opaque):
        return value.type_name
    return describe_value(value)


def number_text(value: Any, digits: int = 6) -> str:
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def differing_texts(expected: Any, got: Any) -> dict[str, str]:
    """`expected` and `got` as text, with as many significant digits (6 or more) as it takes to tell them apart."""
    digits = 6
    while digits < 17 and number_text(expected, digits) == number_text(got, digits):
        digits += 1
    return {"expected": number_text(expected, digits), "got": number_text(got, digits)}


def index_text(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


# --- comparisons with exact feedback -----------------------------------------------

Conditions = Sequence[Condition]


def is_tensor(got: Any, what: str, conditions: Conditions = ()) -> torch.Tensor:
    """`got` must be a plain `torch.Tensor` (not a subclass, not a number)."""
    if type(got) is not torch.Tensor:
        if isinstance(got, float | int) and not isinstance(got, bool):
            fail("expected_tensor_got_number", what=what, got=describe(got), conditions=conditions)
        fail("wrong_type", what=what, expected="torch.Tensor", got=describe(got), conditions=conditions)
    return got


def tensor(
    got: Any,
    expected: torch.Tensor,
    what: str,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
    advice: str | None = None,
    conditions: Conditions = (),
) -> torch.Tensor:
    """`got` must be a plain tensor shaped, typed and valued like `expected` (tolerance by dtype)."""
    shaped_like(got, expected, what, check_dtype=check_dtype, advice=advice, conditions=conditions)
    values(got, expected, what, rtol=rtol, atol=atol, advice=advice, conditions=conditions)
    return got


def shaped_like(got: Any, expected: torch.Tensor, what: str, *, check_dtype: bool = True, advice: str | None = None, conditions: Conditions = ()) -> None:
    """`got` must be a plain tensor of `expected`'s shape (and dtype); its values are not looked at."""
    is_tensor(got, what, conditions)
    if tuple(got.shape) != tuple(expected.shape):
        if got.dim() == 2 and tuple(got.shape) == tuple(reversed(expected.shape)):
            fail("transposed_shape", advice="advice_transpose", what=what, expected=shape_text(expected.shape), got=shape_text(got.shape), conditions=conditions)
        fail("wrong_shape", advice=advice, what=what, expected=shape_text(expected.shape), got=shape_text(got.shape), conditions=conditions)
    if check_dtype and got.dtype != expected.dtype:
        fail("wrong_dtype", what=what, expected=dtype_text(expected.dtype), got=dtype_text(got.dtype), conditions=conditions)


def values(
    got: torch.Tensor, expected: torch.Tensor, what: str, *, rtol: float | None = None, atol: float | None = None,
    advice: str | None = None, conditions: Conditions = (),
) -> None:  # fmt: skip
    """Element-wise closeness, reporting the first differing element (NaN and inf included)."""
    if got.numel() == 0 or _identical(got, expected):
        return
    limit = _tolerance_for(got, expected, rtol, atol)
    if got.dtype.is_floating_point or expected.dtype.is_floating_point:
        ok = torch.isclose(got.detach().double(), expected.detach().double(), rtol=limit.rtol, atol=limit.atol)
    else:
        ok = got == expected
    if bool(ok.all()):
        return
    wrong = (~ok).nonzero()
    first = tuple(int(i) for i in wrong[0].tolist())
    fail(
        "wrong_values", advice=advice, what=what, index=index_text(first), **differing_texts(expected[first].item(), got[first].item()),
        count=int(wrong.shape[0]), total=got.numel(), conditions=conditions,
    )  # fmt: skip


def trajectory(
    got: Any, expected: torch.Tensor, what: str, *, rtol: float | None = None, atol: float | None = None,
    advice: str | None = None, conditions: Conditions = (),
) -> torch.Tensor:  # fmt: skip
    """Like `tensor`, for iterates stacked along dim 0: names the first iteration that differs."""
    try:
        return tensor(got, expected, what, rtol=rtol, atol=atol, advice=advice, conditions=conditions)
    except CheckFailure as failure:
        if failure.key != "wrong_values":
            raise
        limit = _tolerance_for(got, expected, rtol, atol)
        ok = torch.isclose(got.double(), expected.double(), rtol=limit.rtol, atol=limit.atol).reshape(len(expected), -1)
        iteration = int((~ok.all(dim=1)).nonzero()[0])
        column = int((~ok[iteration]).nonzero()[0])
        inner = tuple(int(i) for i in torch.unravel_index(torch.tensor(column), expected.shape[1:])) if expected.dim() > 1 else ()
        fail(
            "trajectory_first_difference", advice=advice, what=what, iteration=iteration, index=index_text(inner),
            **differing_texts(expected[iteration].reshape(-1)[column].item(), got[iteration].reshape(-1)[column].item()), conditions=conditions,
        )  # fmt: skip


def detached(got: Any, what: str, conditions: Conditions = ()) -> None:
    """The result must be a plain tensor that carries no autograd history."""
    is_tensor(got, what, conditions)
    if getattr(got, "sent_requires_grad", False) or getattr(got, "sent_grad_fn", False):
        fail("not_detached", advice="advice_detach", what=what, conditions=conditions)


def unchanged(after: Any, before: torch.Tensor, name: str, call: str, conditions: Conditions = ()) -> None:
    """An input tensor must be exactly as it was before the call (values, shape, dtype)."""
    if type(after) is not torch.Tensor or after.shape != before.shape or after.dtype != before.dtype:
        fail("input_modified", advice="advice_copy_input", name=name, call=call, conditions=conditions)
    if not torch.equal(torch.nan_to_num(after), torch.nan_to_num(before)):
        fail("input_modified", advice="advice_copy_input", name=name, call=call, conditions=conditions)


def number(
    got: Any, expected: float, what: str, *, rtol: float | None = None, atol: float | None = None,
    advice: str | None = None, conditions: Conditions = (),
) -> float:  # fmt: skip
    """`got` must be a Python float (an int, or a numpy float, is accepted) close to `expected`."""
    if type(got) is torch.Tensor:
        fail("expected_number_got_tensor", advice="advice_item", what=what, got=describe(got), conditions=conditions)
    if isinstance(got, bool) or not isinstance(got, float | int):
        fail("wrong_type", what=what, expected="float", got=describe(got), conditions=conditions)
    if not close_number(got, expected, rtol=rtol, atol=atol):
        fail("wrong_number", advice=advice, what=what, **differing_texts(float(expected), float(got)), conditions=conditions)
    return float(got)


def numbers(
    got: Any, expected: list[float], what: str, *, rtol: float | None = None, atol: float | None = None,
    advice: str | None = None, conditions: Conditions = (),
) -> None:  # fmt: skip
    """`got` must be a list of floats as long as `expected`, element-wise close."""
    if type(got) is not list:
        fail("wrong_type", what=what, expected="list of floats", got=describe(got), conditions=conditions)
    if len(got) != len(expected):
        fail("wrong_length", advice=advice, what=what, expected=len(expected), got=len(got), conditions=conditions)
    for index, (item, want) in enumerate(zip(got, expected, strict=True)):
        if type(item) is torch.Tensor or isinstance(item, bool) or not isinstance(item, float | int):
            fail("wrong_item_type", what=what, index=index, expected="float", got=describe(item), conditions=conditions)
        if not close_number(item, want, rtol=rtol, atol=atol):
            fail("wrong_item", advice=advice, what=what, index=index, **differing_texts(float(want), float(item)), conditions=conditions)


def sequence(got: Any, length: int, what: str, kinds: tuple[type, ...] = (tuple,), conditions: Conditions = ()) -> None:
    """`got` must be a tuple (or one of `kinds`) with `length` items."""
    if type(got) not in kinds:
        fail("wrong_type", what=what, expected=" or ".join(kind.__name__ for kind in kinds), got=describe(got), conditions=conditions)
    if len(got) != length:
        fail("wrong_length", what=what, expected=length, got=len(got), conditions=conditions)


def mapping(got: Any, keys: list[str], what: str, conditions: Conditions = ()) -> None:
    """`got` must be a dict with exactly `keys`."""
    if type(got) is not dict:
        fail("wrong_type", what=what, expected="dict", got=describe(got), conditions=conditions)
    if set(got) != set(keys):
        missing = sorted(set(keys) - set(got))
        extra = sorted(set(got) - set(keys), key=str)
        fail("wrong_keys", what=what, missing=", ".join(map(str, missing)) or "-", extra=", ".join(map(str, extra)) or "-", conditions=conditions)


def equal(got: Any, expected: Any, what: str, advice: str | None = None, conditions: Conditions = ()) -> None:
    """Plain equality for small exact values (ints, bools, strings, None)."""
    if type(got) is not type(expected) or got != expected:
        shown = got.type_name if isinstance(got, Opaque) else repr(got)
        fail("wrong_value", advice=advice, what=what, expected=repr(expected), got=shown, conditions=conditions)


# --- known mistakes ------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A known mistake: its message key and advice, and how to tell it from what came back.

    `matches(got)` replays the mistake (usually: is `got` close to what the
    mistaken code computes?); `params` fill the message.
    """

    key: str
    matches: Callable[[Any], bool]
    advice: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def diagnose(got: Any, mistakes: Sequence[Mistake] | Callable[[], Sequence[Mistake]], conditions: Conditions = ()) -> None:
    """Fail with the first mistake that explains `got`; return quietly if none does.

    `mistakes` may be a function that lists them: replaying a mistake can cost
    a whole training run, worth paying only for a result already found wrong.
    """
    for mistake in mistakes() if callable(mistakes) else mistakes:
        try:
            matched = mistake.matches(got)
        except Exception:  # noqa: BLE001 - a replay that cannot run on this value does not match it
            matched = False
        if matched:
            fail(mistake.key, advice=mistake.advice, conditions=conditions, **mistake.params)


def compare(
    got: Any, expected: torch.Tensor, what: str, *, mistakes: Sequence[Mistake] | Callable[[], Sequence[Mistake]] = (), conditions: Conditions = (),
    rtol: float | None = None, atol: float | None = None, check_dtype: bool = True, advice: str | None = None,
) -> torch.Tensor:  # fmt: skip
    """`tensor`, except that a wrong result explained by a known mistake is named as that mistake.

    Pass `mistakes` as a function that lists them (see `diagnose`) wherever replaying them costs
    oracle runs: a right result, the common case, then pays nothing for them.
    """
    if not close(got, expected, rtol=rtol, atol=atol) or (check_dtype and type(got) is torch.Tensor and got.dtype != expected.dtype):
        diagnose(got, mistakes, conditions)
    return tensor(got, expected, what, rtol=rtol, atol=atol, check_dtype=check_dtype, advice=advice, conditions=conditions)


# --- oracles -------------------------------------------------------------------------


def oracle(function):
    """An oracle whose arguments name a seeded case is computed once per process.

    Several checks judge the same case; each gets its own copy of the answer,
    so none can disturb another's.
    """
    cached = functools.cache(function)

    @functools.wraps(function)
    def call(*args, **kwargs):
        return answer_copy(cached(*args, **kwargs))

    return call


_PLAIN = (int, float, bool, str, bytes, type(None), torch.dtype)


def _plain_tensor(value: torch.Tensor) -> bool:
    """A tensor whose values `clone` copies as `deepcopy` would: dense, no autograd history, no gradient.

    (A view is copied as a tensor of its own: only its values count, unless the answer holds
    another view of the same storage, which `_fast_copy` leaves to `deepcopy`.)"""
    return type(value) is torch.Tensor and value.layout == torch.strided and value.grad_fn is None and value.grad is None


def _fast_copy(value: Any, storages: set[int]) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if _plain_tensor(value):
        storage = value.untyped_storage().data_ptr()
        if storage in storages and value.numel():
            raise _Shared
        storages.add(storage)
        copied = value.detach().clone(memory_format=torch.preserve_format)
        return copied.requires_grad_(value.requires_grad) if value.requires_grad else copied
    if type(value) in (list, tuple):
        return type(value)(_fast_copy(item, storages) for item in value)
    if type(value) is dict:
        return {key: _fast_copy(item, storages) for key, item in value.items()}
    raise _Shared  # anything else (a model, a view, a named tuple): deepcopy knows how


class _Shared(Exception):
    """The answer holds something `_fast_copy` does not copy exactly: `deepcopy` it whole."""


def answer_copy(answer: Any) -> Any:
    """A copy of an oracle's answer that no check can change the cached one through.

    `copy.deepcopy` of torch tensors is slow (a new storage object, a memo, for
    each); most answers are plain tensors (views included), floats and
    containers of them, which `clone` copies, faster. Anything else (storage
    shared within the answer, models, gradients) goes through `deepcopy`.
    """
    try:
        return _fast_copy(answer, set())
    except _Shared:
        return copy.deepcopy(answer)
