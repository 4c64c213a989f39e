"""What a task's process may send back: plain data, nothing that runs code.

The child encodes whatever the student's code returned into tagged tuples of
plain tensors and primitives; `torch.save` ships them and the parent reads
them with `torch.load(weights_only=True)`, which cannot run code. Anything
else (a tensor subclass, a model, an object that claims to equal anything)
arrives as an `Opaque` description, never as the object itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import torch

_TENSOR, _LIST, _TUPLE, _DICT, _PRIMITIVE, _OPAQUE = "t", "l", "u", "d", "p", "o"
MAX_DEPTH = 12
MAX_ITEMS = 100_000


@dataclass(frozen=True)
class Opaque:
    """Something that is not plain data: only its type name and a short repr cross over."""

    type_name: str
    text: str


def _type_name(value: Any) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # noqa: BLE001 - a student's __repr__ may raise anything
        text = "<unprintable>"
    return text if len(text) <= 200 else text[:197] + "..."


def encode(value: Any, depth: int = 0) -> tuple:
    """Runs in the child: turn a result into tagged plain data."""
    if depth > MAX_DEPTH:
        return (_OPAQUE, "nested too deeply", "")
    kind = type(value)
    if kind is torch.Tensor:
        return (
            _TENSOR,
            value.detach().clone().contiguous(),
            bool(value.requires_grad),
            value.grad_fn is not None,
        )
    if value is None or kind in (bool, int, float, str):
        return (_PRIMITIVE, value)
    if kind in (list, tuple) and len(value) <= MAX_ITEMS:
        items = [encode(item, depth + 1) for item in value]
        return (_LIST if kind is list else _TUPLE, items)
    if kind is dict and len(value) <= MAX_ITEMS and all(type(k) in (str, int) for k in value):
        return (_DICT, [(key, encode(item, depth + 1)) for key, item in value.items()])
    return (_OPAQUE, _type_name(value), _safe_repr(value))


def decode(node: Any) -> Any:
    """Runs in the parent: rebuild plain Python values from tagged data.

    Tensors come back as plain, detached `torch.Tensor`s carrying two flags as
    attributes: `sent_requires_grad` and `sent_grad_fn`.
    """
    if not isinstance(node, tuple) or not node:
        raise ValueError("malformed result")
    tag = node[0]
    if tag == _TENSOR:
        _, tensor, requires_grad, has_grad_fn = node
        if type(tensor) is not torch.Tensor:
            raise ValueError("malformed tensor")
        tensor.sent_requires_grad = bool(requires_grad)
        tensor.sent_grad_fn = bool(has_grad_fn)
        return tensor
    if tag == _PRIMITIVE:
        value = node[1]
        if value is not None and type(value) not in (bool, int, float, str):
            raise ValueError("malformed primitive")
        return value
    if tag in (_LIST, _TUPLE):
        items = [decode(item) for item in node[1]]
        return items if tag == _LIST else tuple(items)
    if tag == _DICT:
        return {key: decode(item) for key, item in node[1]}
    if tag == _OPAQUE:
        return Opaque(str(node[1]), str(node[2]) if len(node) > 2 else "")
    raise ValueError(f"unknown tag {tag!r}")


def dumps(payload: Any) -> bytes:
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    return torch.load(io.BytesIO(data), weights_only=True)
