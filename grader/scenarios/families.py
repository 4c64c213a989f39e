"""Input families: the same values, passed the ways real callers pass them.

A scenario builds its seeded inputs once and then calls the student's
function again with each variant that may matter for the task:

- `transposed(t)`, `strided(t)`, `expanded(row, rows)`: non-contiguous views
  with the same values (a result must not depend on the memory layout);
- `leaf(t)`: a copy that requires grad, as a caller in the middle of training
  passes it (the result must still be detached, the caller's tensor untouched);
- `call(function, arguments, style)`: positional, keyword or mixed calls with
  the contract's parameter names;
- `caller_view(t)`: what the caller sees of its tensor after the call (values,
  `requires_grad`, `.grad`, version counter), to prove nothing was touched.

Everything here runs in the task process, like every scenario: plain torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch


def transposed(t: torch.Tensor) -> torch.Tensor:
    """`t`'s values in a transposed (non-contiguous) view of a contiguous copy."""
    if t.dim() < 2:
        return strided(t)
    return t.transpose(-1, -2).contiguous().transpose(-1, -2)


def strided(t: torch.Tensor) -> torch.Tensor:
    """`t`'s values as every other row of a tensor twice as long."""
    if t.dim() == 0:
        return t.clone()
    base = torch.zeros((2 * t.shape[0], *t.shape[1:]), dtype=t.dtype)
    base[::2] = t
    return base[::2]


def expanded(row: torch.Tensor, rows: int) -> torch.Tensor:
    """`rows` copies of `row` that share its memory (`expand`, not `repeat`)."""
    return row.reshape(1, *row.shape).expand(rows, *row.shape)


def leaf(t: torch.Tensor) -> torch.Tensor:
    """A copy of `t` that requires grad, as a caller's parameter would."""
    return t.detach().clone().requires_grad_(True)


def caller_view(t: torch.Tensor) -> dict[str, Any]:
    """What the caller sees of its tensor after a call: nothing of it may have changed."""
    return {
        "values": t.detach().clone(),
        "requires_grad": bool(t.requires_grad),
        "grad": None if t.grad is None else t.grad.detach().clone(),
        "version": int(t._version),
        "is_leaf": bool(t.is_leaf),
    }


STYLES = ("positional", "keywords", "mixed")


def call(function: Callable[..., Any], arguments: list[tuple[str, Any]], style: str = "positional") -> Any:
    """Call `function` with `arguments` (contract names, in order) positionally, by keyword, or half and half."""
    if style == "positional":
        return function(*(value for _, value in arguments))
    if style == "keywords":
        return function(**dict(arguments))
    half = len(arguments) // 2
    return function(*(value for _, value in arguments[:half]), **dict(arguments[half:]))


def call_text(name: str, arguments: list[tuple[str, Any]], style: str = "positional") -> str:
    """How `call` called it, as code for feedback: `mse(y_hat=y_hat, y=y)`."""
    if style == "positional":
        parts = [key for key, _ in arguments]
    elif style == "keywords":
        parts = [f"{key}={key}" for key, _ in arguments]
    else:
        half = len(arguments) // 2
        parts = [key for key, _ in arguments[:half]] + [f"{key}={key}" for key, _ in arguments[half:]]
    return f"{name}({', '.join(parts)})"
