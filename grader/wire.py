"""What a task process may send back: plain data, in a format that cannot run code or blow up.

A task encodes whatever the student's code returned into a small tagged binary
format of its own: `None`, booleans, integers, floats, strings, lists, tuples,
dicts with string or integer keys, and plain dense tensors (dtype, shape and
raw bytes). Anything else (a tensor subclass, a model, an object that claims
to equal anything) crosses as an `Opaque`: its type name and a short repr,
never the object itself.

Decoding is the judge's side, and the data is untrusted, so `decode` is
bounded by construction: every length is checked against the bytes that are
really there before anything is allocated (no expansion: a tensor's bytes are
in the frame), nesting is capped, the number of items is capped, and a
deadline is checked as it goes. Malformed data raises `WireError`, nothing else.

Frames carry a nonce chosen per task by the judge: a result is accepted only
under the nonce of the task it answers.
"""

from __future__ import annotations

import ctypes
import math
import struct
import time
from dataclasses import dataclass
from typing import Any

import torch

MAX_DEPTH = 16
MAX_ITEMS = 200_000  # values of any kind in one payload (a tensor counts as one)
MAX_TEXT = 1 << 20  # bytes of one string
MAX_PAYLOAD = 64 << 20  # bytes of one task's encoded results
DECODE_SECONDS = 10.0
MAX_DIMS = 16

FRAME_MAGIC = b"DSCN"
NONCE_BYTES = 16

_NONE, _TRUE, _FALSE, _INT, _BIGINT, _FLOAT = b"N", b"T", b"F", b"I", b"J", b"D"
_TEXT, _LIST, _TUPLE, _DICT, _TENSOR, _OPAQUE = b"S", b"L", b"U", b"M", b"X", b"O"

# Tensor dtypes by code; the order is the format, so only ever append.
DTYPES = (
    torch.float32, torch.float64, torch.float16, torch.bfloat16,
    torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.bool,
    torch.complex64, torch.complex128,
)  # fmt: skip
_DTYPE_CODES = {dtype: code for code, dtype in enumerate(DTYPES)}
_ITEM_SIZES = tuple(dtype.itemsize for dtype in DTYPES)
_SHAPES = tuple(struct.Struct(f"<{dims}q") for dims in range(MAX_DIMS + 1))


class WireError(ValueError):
    """The data is not a well-formed payload within the bounds."""


@dataclass(frozen=True)
class Opaque:
    """Something that is not plain data: only its type name and a short repr cross over."""

    type_name: str
    text: str


def type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "?")
    return kind.__name__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
        if type(text) is not str:
            text = "<unprintable>"
    except BaseException:  # noqa: BLE001 - a student's __repr__ may raise anything
        text = "<unprintable>"
    return text if len(text) <= 200 else text[:197] + "..."


# --- encoding (in the task process) ------------------------------------------------


def _numpy_scalar(value: Any) -> float | int | bool | None:
    """The Python number a numpy scalar holds (`numpy.float32(0.5)` is 0.5), else None."""
    kind = type(value)
    if getattr(kind, "__module__", "") != "numpy" or getattr(value, "shape", None) != ():
        return None
    letter = getattr(getattr(value, "dtype", None), "kind", "")
    try:
        if letter == "f":
            return float(value.item())
        if letter in "iu":
            return int(value.item())
        if letter == "b":
            return bool(value.item())
    except Exception:  # noqa: BLE001 - a value that will not say what it holds is opaque
        return None
    return None


class _Encoder:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.items = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_PAYLOAD:
            raise WireError(f"more than {MAX_PAYLOAD >> 20} MB of results")
        self.parts.append(data)

    def text(self, tag: bytes, value: str) -> None:
        data = value.encode("utf-8", errors="replace")[:MAX_TEXT]
        self.add(tag + struct.pack("<I", len(data)) + data)

    def opaque(self, name: str, text: str) -> None:
        self.add(_OPAQUE)
        self.text(b"", name)
        self.text(b"", text)

    def value(self, value: Any, depth: int) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS} values in the results")
        if depth > MAX_DEPTH:
            self.opaque("nested too deeply", "")
            return
        kind = type(value)
        if value is None:
            self.add(_NONE)
        elif kind is bool:
            self.add(_TRUE if value else _FALSE)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = int.__index__(value)  # a subclass (numpy.int64 is not one; bool is excluded) by its value
            if -(1 << 63) <= number < (1 << 63):
                self.add(_INT + struct.pack("<q", number))
            else:
                self.text(_BIGINT, str(number)[:4000])
        elif isinstance(value, float):
            self.add(_FLOAT + struct.pack("<d", float.__float__(value)))  # numpy.float64 is a float
        elif _numpy_scalar(value) is not None:
            self.value(_numpy_scalar(value), depth)  # numpy.float32, numpy.int64: the number they hold
        elif kind is str:
            self.text(_TEXT, value)
        elif kind is torch.Tensor:
            self.tensor(value)
        elif kind in (list, tuple):
            if self.items + len(value) > MAX_ITEMS:  # each item is one value at least: refuse before walking them
                raise WireError(f"more than {MAX_ITEMS} values in the results")
            self.add((_LIST if kind is list else _TUPLE) + struct.pack("<I", len(value)))
            for item in list(value):
                self.value(item, depth + 1)
        elif kind is dict and all(type(key) in (str, int) for key in value):
            if self.items + 2 * len(value) > MAX_ITEMS:
                raise WireError(f"more than {MAX_ITEMS} values in the results")
            entries = list(value.items())
            self.add(_DICT + struct.pack("<I", len(entries)))
            for key, item in entries:
                self.value(key, depth + 1)
                self.value(item, depth + 1)
        else:
            self.opaque(type_name(value), _safe_repr(value))

    def tensor(self, value: torch.Tensor) -> None:
        if value.layout is not torch.strided or value.is_quantized or value.device.type != "cpu" or value.dtype not in _DTYPE_CODES:
            self.opaque(f"torch.Tensor ({value.layout}, {value.dtype}, {value.device})", "")
            return
        flags = (1 if value.requires_grad else 0) | (2 if value.grad_fn is not None else 0)
        data = value.detach().resolve_conj().resolve_neg().contiguous()
        raw = ctypes.string_at(data.data_ptr(), data.numel() * data.element_size()) if data.numel() else b""
        if data.dim() > MAX_DIMS:
            self.opaque("torch.Tensor (too many dimensions)", "")
            return
        header = struct.pack("<BBB", _DTYPE_CODES[data.dtype], flags, data.dim()) + struct.pack(f"<{data.dim()}q", *data.shape)
        self.add(_TENSOR + header + struct.pack("<Q", len(raw)))
        self.add(raw)


def dumps(value: Any) -> bytes:
    """Encode `value`; raises `WireError` past the size or item budget."""
    encoder = _Encoder()
    encoder.value(value, 0)
    return b"".join(encoder.parts)


# --- decoding (in the judge) -------------------------------------------------------


_U32, _I64, _F64, _U64, _BBB = (struct.Struct(layout) for layout in ("<I", "<q", "<d", "<Q", "<BBB"))
# The tags as the byte values the decoder reads.
_T_NONE, _T_TRUE, _T_FALSE, _T_INT, _T_BIGINT, _T_FLOAT = (tag[0] for tag in (_NONE, _TRUE, _FALSE, _INT, _BIGINT, _FLOAT))
_T_TEXT, _T_LIST, _T_TUPLE, _T_DICT, _T_TENSOR, _T_OPAQUE = (tag[0] for tag in (_TEXT, _LIST, _TUPLE, _DICT, _TENSOR, _OPAQUE))


class _Decoder:
    def __init__(self, data: bytes, seconds: float) -> None:
        self.data = memoryview(data)
        self.size = len(data)
        self.position = 0
        self.items = 0
        self.deadline = time.monotonic() + seconds

    def take(self, count: int) -> memoryview:
        if count < 0 or self.position + count > self.size:
            raise WireError("truncated results")
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk

    def fixed(self, layout: struct.Struct) -> tuple:
        end = self.position + layout.size
        if end > self.size:
            raise WireError("truncated results")
        values = layout.unpack_from(self.data, self.position)
        self.position = end
        return values

    def text(self) -> str:
        (length,) = self.fixed(_U32)
        if length > MAX_TEXT:
            raise WireError("string too long")
        return str(self.take(length), "utf-8", "replace")

    def count(self) -> int:
        (length,) = self.fixed(_U32)
        if length > self.size - self.position:  # every item takes at least one byte
            raise WireError("more items announced than sent")
        return length

    def value(self, depth: int) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS or depth > MAX_DEPTH + 1:
            raise WireError("results nested too deeply or too many values")
        if self.items % 1024 == 0 and time.monotonic() > self.deadline:
            raise WireError("decoding took too long")
        if self.position >= self.size:
            raise WireError("truncated results")
        tag = self.data[self.position]
        self.position += 1
        if tag == _T_FLOAT:
            return self.fixed(_F64)[0]
        if tag == _T_TENSOR:
            return self.tensor()
        if tag == _T_LIST or tag == _T_TUPLE:
            items = [self.value(depth + 1) for _ in range(self.count())]
            return items if tag == _T_LIST else tuple(items)
        if tag == _T_TEXT:
            return self.text()
        if tag == _T_INT:
            return self.fixed(_I64)[0]
        if tag == _T_NONE:
            return None
        if tag == _T_TRUE:
            return True
        if tag == _T_FALSE:
            return False
        if tag == _T_DICT:
            result = {}
            for _ in range(self.count()):
                key = self.value(depth + 1)
                if type(key) not in (str, int):
                    raise WireError("malformed dict key")
                result[key] = self.value(depth + 1)
            return result
        if tag == _T_BIGINT:
            digits = self.text()
            if len(digits) > 4000 or not digits.lstrip("-").isdigit():
                raise WireError("malformed integer")
            return int(digits)
        if tag == _T_OPAQUE:
            return Opaque(self.text(), self.text())
        raise WireError(f"unknown tag {bytes([tag])!r}")

    def tensor(self) -> torch.Tensor:
        code, flags, dims = self.fixed(_BBB)
        if code >= len(DTYPES) or dims > MAX_DIMS:
            raise WireError("malformed tensor")
        shape = self.fixed(_SHAPES[dims])
        (size,) = self.fixed(_U64)
        dtype = DTYPES[code]
        if any(extent < 0 for extent in shape):
            raise WireError("malformed tensor shape")
        numel = math.prod(shape)
        if numel * _ITEM_SIZES[code] != size or size > self.size - self.position:
            raise WireError("tensor bytes do not match its shape")
        raw = bytearray(self.take(size))
        flat = torch.frombuffer(raw, dtype=torch.uint8) if size else torch.empty(0, dtype=torch.uint8)
        tensor = flat.view(dtype).reshape(shape) if size else torch.empty(shape, dtype=dtype)
        tensor.sent_requires_grad = bool(flags & 1)
        tensor.sent_grad_fn = bool(flags & 2)
        return tensor


def loads(data: bytes, seconds: float = DECODE_SECONDS) -> Any:
    """Decode untrusted bytes within the bounds above; raises `WireError` otherwise.

    Tensors come back as plain, detached `torch.Tensor`s carrying two flags as
    attributes: `sent_requires_grad` and `sent_grad_fn`.
    """
    if len(data) > MAX_PAYLOAD:
        raise WireError("results too large")
    decoder = _Decoder(data, seconds)
    try:
        value = decoder.value(0)
    except (struct.error, RecursionError, OverflowError, MemoryError, RuntimeError) as error:
        raise WireError(f"malformed results ({type(error).__name__})") from None
    if decoder.position != len(decoder.data):
        raise WireError("trailing bytes after the results")
    return value


# --- frames ------------------------------------------------------------------------


def frame(nonce: bytes, payload: bytes) -> bytes:
    """A task's result as it writes it: magic, its nonce, the length, the payload."""
    return FRAME_MAGIC + nonce + struct.pack("<Q", len(payload)) + payload


def frame_size(data: bytes | bytearray, nonce: bytes) -> int | None:
    """The size of the frame under `nonce` at the head of `data` (None: its head has not all arrived)."""
    head = len(FRAME_MAGIC) + NONCE_BYTES + 8
    if len(data) < head:
        return None
    if data[: len(FRAME_MAGIC)] != FRAME_MAGIC or data[len(FRAME_MAGIC) : head - 8] != nonce:
        raise WireError("no result frame under this nonce")
    return head + struct.unpack("<Q", data[head - 8 : head])[0]


def unframe(data: bytes, nonce: bytes) -> bytes:
    """The payload of a task's frame, if it is one whole frame under `nonce`."""
    head = len(FRAME_MAGIC) + NONCE_BYTES + 8
    if len(data) < head or data[: len(FRAME_MAGIC)] != FRAME_MAGIC:
        raise WireError("no result frame")
    if data[len(FRAME_MAGIC) : len(FRAME_MAGIC) + NONCE_BYTES] != nonce:
        raise WireError("a result frame under another nonce")
    (length,) = struct.unpack("<Q", data[head - 8 : head])
    if length != len(data) - head:
        raise WireError("a result frame of the wrong length")
    return data[head:]
