"""Comparisons that turn a wrong result into exact, kind feedback (the checks' first idiom).

Being replaced, unit by unit, by the one check kit, `grader.checks.kit`;
the failures are the same `CheckFailure`.

Every helper checks the kind of value before it looks at numbers, so a
check never crashes on a surprising result. A failed comparison raises
`CheckFailure` with a message key from `grader.messages` and the facts to fill
it: what was expected, what came back, the first differing element.
"""

from __future__ import annotations

import copy
import functools
import math
from typing import Any

import torch

from grader.checks.kit import CheckFailure  # noqa: E402 - one failure type for old and new checks
from grader.scenarios import describe as describe_value
from grader.scenarios import dtype_text, shape_text
from grader.wire import Opaque


def describe(value: Any) -> str:
    """A short, language-neutral name for what came back.

    The words for a value itself are `grader.scenarios.describe`'s (with
    `shape_text` and `dtype_text`, which this module re-exports): scenarios
    name some values in the task process, and must say it the same way.
    """
    if isinstance(value, Opaque):
        return value.type_name
    return describe_value(value)


def number_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def index_text(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def tensor(
    got: Any,
    expected: torch.Tensor,
    what: str,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_dtype: bool = True,
    advice: str | None = None,
) -> torch.Tensor:
    """`got` must be a plain tensor shaped, typed and valued like `expected`."""
    is_tensor(got, what)
    if tuple(got.shape) != tuple(expected.shape):
        if got.dim() == 2 and tuple(got.shape) == tuple(reversed(expected.shape)):
            raise CheckFailure("transposed_shape", advice="advice_transpose", what=what, expected=shape_text(expected.shape), got=shape_text(got.shape))
        raise CheckFailure("wrong_shape", advice=advice, what=what, expected=shape_text(expected.shape), got=shape_text(got.shape))
    if check_dtype and got.dtype != expected.dtype:
        raise CheckFailure("wrong_dtype", what=what, expected=dtype_text(expected.dtype), got=dtype_text(got.dtype))
    values(got, expected, what, rtol=rtol, atol=atol, advice=advice)
    return got


def values(got: torch.Tensor, expected: torch.Tensor, what: str, *, rtol: float, atol: float, advice: str | None = None) -> None:
    """Element-wise closeness, reporting the first differing element."""
    if got.numel() == 0:
        return
    if got.dtype.is_floating_point or expected.dtype.is_floating_point:
        got64, expected64 = got.detach().double(), expected.detach().double()
        close = torch.isclose(got64, expected64, rtol=rtol, atol=atol, equal_nan=False)
    else:
        close = got == expected
    if bool(close.all()):
        return
    wrong = (~close).nonzero()
    first = tuple(int(i) for i in wrong[0].tolist())
    raise CheckFailure(
        "wrong_values",
        advice=advice,
        what=what,
        index=index_text(first),
        expected=number_text(expected[first].item()),
        got=number_text(got[first].item()),
        count=int(wrong.shape[0]),
        total=got.numel(),
    )


def is_tensor(got: Any, what: str) -> torch.Tensor:
    """`got` must be a plain `torch.Tensor` (not a subclass, not a number)."""
    if type(got) is not torch.Tensor:
        if isinstance(got, float | int) and not isinstance(got, bool):
            raise CheckFailure("expected_tensor_got_number", what=what, got=describe(got))
        raise CheckFailure("wrong_type", what=what, expected="torch.Tensor", got=describe(got))
    return got


def trajectory(
    got: Any, expected: torch.Tensor, what: str, *, rtol: float = 1e-5, atol: float = 1e-8, advice: str | None = None
) -> torch.Tensor:
    """Like `tensor`, for iterates stacked along dim 0: names the first iteration that differs."""
    try:
        return tensor(got, expected, what, rtol=rtol, atol=atol, advice=advice)
    except CheckFailure as failure:
        if failure.key != "wrong_values":
            raise
        close = torch.isclose(got.double(), expected.double(), rtol=rtol, atol=atol).reshape(len(expected), -1)
        iteration = int((~close.all(dim=1)).nonzero()[0])
        column = int((~close[iteration]).nonzero()[0])
        raise CheckFailure(
            "trajectory_first_difference",
            advice=advice,
            what=what,
            iteration=iteration,
            index=index_text(tuple(int(i) for i in torch.unravel_index(torch.tensor(column), expected.shape[1:]))) if expected.dim() > 1 else "[]",
            expected=number_text(expected[iteration].reshape(-1)[column].item()),
            got=number_text(got[iteration].reshape(-1)[column].item()),
        ) from None


def detached(got: Any, what: str) -> None:
    """The result must be a plain tensor that carries no autograd history."""
    is_tensor(got, what)
    if getattr(got, "sent_requires_grad", False) or getattr(got, "sent_grad_fn", False):
        raise CheckFailure("not_detached", advice="advice_detach", what=what)


def unchanged(after: Any, before: torch.Tensor, name: str, call: str) -> None:
    """An input tensor must be exactly as it was before the call."""
    if type(after) is not torch.Tensor or after.shape != before.shape or after.dtype != before.dtype:
        raise CheckFailure("input_modified", advice="advice_copy_input", name=name, call=call)
    if not torch.equal(torch.nan_to_num(after), torch.nan_to_num(before)):
        raise CheckFailure("input_modified", advice="advice_copy_input", name=name, call=call)


def number(got: Any, expected: float, what: str, *, rtol: float = 1e-6, atol: float = 1e-9, advice: str | None = None) -> float:
    """`got` must be a Python float (an int is accepted) close to `expected`."""
    if type(got) is torch.Tensor:
        raise CheckFailure("expected_number_got_tensor", advice="advice_item", what=what, got=describe(got))
    if isinstance(got, bool) or not isinstance(got, float | int):
        raise CheckFailure("wrong_type", what=what, expected="float", got=describe(got))
    if not math.isclose(got, expected, rel_tol=rtol, abs_tol=atol):
        raise CheckFailure("wrong_number", advice=advice, what=what, expected=number_text(expected), got=number_text(float(got)))
    return float(got)


def numbers(got: Any, expected: list[float], what: str, *, rtol: float = 1e-6, atol: float = 1e-9, advice: str | None = None) -> None:
    """`got` must be a list of floats as long as `expected`, element-wise close."""
    if type(got) is not list:
        raise CheckFailure("wrong_type", what=what, expected="list of floats", got=describe(got))
    if len(got) != len(expected):
        raise CheckFailure("wrong_length", advice=advice, what=what, expected=len(expected), got=len(got))
    for index, (item, want) in enumerate(zip(got, expected, strict=True)):
        if type(item) is torch.Tensor or isinstance(item, bool) or not isinstance(item, float | int):
            raise CheckFailure("wrong_item_type", what=what, index=index, expected="float", got=describe(item))
        if not math.isclose(item, want, rel_tol=rtol, abs_tol=atol):
            raise CheckFailure(
                "wrong_item", advice=advice, what=what, index=index, expected=number_text(want), got=number_text(float(item))
            )


def sequence(got: Any, length: int, what: str, kinds: tuple[type, ...] = (tuple,)) -> None:
    """`got` must be a tuple (or list) with `length` items."""
    if type(got) not in kinds:
        raise CheckFailure("wrong_type", what=what, expected=" or ".join(k.__name__ for k in kinds), got=describe(got))
    if len(got) != length:
        raise CheckFailure("wrong_length", what=what, expected=length, got=len(got))


def mapping(got: Any, keys: list[str], what: str) -> None:
    """`got` must be a dict with exactly `keys`."""
    if type(got) is not dict:
        raise CheckFailure("wrong_type", what=what, expected="dict", got=describe(got))
    if set(got) != set(keys):
        missing = sorted(set(keys) - set(got))
        extra = sorted(set(got) - set(keys), key=str)
        raise CheckFailure("wrong_keys", what=what, missing=", ".join(map(str, missing)) or "-", extra=", ".join(map(str, extra)) or "-")


def equal(got: Any, expected: Any, what: str, advice: str | None = None) -> None:
    """Plain equality for small exact values (ints, bools, strings, None)."""
    if type(got) is not type(expected) or got != expected:
        raise CheckFailure("wrong_value", advice=advice, what=what, expected=repr(expected), got=repr(got) if not isinstance(got, Opaque) else got.type_name)


def fail(key: str, advice: str | None = None, **params: Any) -> None:
    raise CheckFailure(key, advice=advice, **params)


def oracle(function):
    """An oracle whose arguments name a seeded case is computed once per process.

    Several checks judge the same case; each gets its own copy of the answer,
    so none can disturb another's.
    """
    cached = functools.cache(function)

    @functools.wraps(function)
    def call(*args, **kwargs):
        return copy.deepcopy(cached(*args, **kwargs))

    return call
