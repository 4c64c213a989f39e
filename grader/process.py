"""Small process facts that differ between operating systems."""

from __future__ import annotations

import ctypes
import signal
import sys
import types
import warnings

PR_SET_PDEATHSIG = 1
# A task's wall-clock limit is extended by the time its processes waited for a CPU on a busy
# machine, up to this many times the limit (a task that lowered its own priority cannot stall a grading).
WAITING_CREDIT = 5.0


def waiting_credit(excused: float, wall: float) -> float:
    """Seconds added to a wall-clock limit of `wall` for `excused` seconds that were not the task's, capped."""
    return min(excused, WAITING_CREDIT * wall)


def import_torch_for_judging() -> types.ModuleType:
    """torch, imported in a judging process without its numpy bridge.

    Where numpy is installed, importing torch imports it too (about 0.1 s, on the
    critical path of `grader check`), only to convert arrays. A judge never
    converts one: results arrive as tensors and Python numbers (`grader.wire`),
    and the oracles stay in torch. numpy itself can still be imported here
    afterwards; only `Tensor.numpy()` and `torch.from_numpy` fail in this process.
    Task processes, where students may use numpy, import torch whole.
    """
    if "torch" in sys.modules:
        return sys.modules["torch"]
    blocked = "numpy" not in sys.modules
    if blocked:
        sys.modules["numpy"] = None  # an import of numpy now fails at once
    # Kept for good: a filter set for the import alone and restored after could undo
    # another thread's own filters (the judge's reader thread often imports torch).
    warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
    try:
        import torch
    finally:
        if blocked and sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
    return torch


_interrupted = False


def remember_interrupts() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual, and is also remembered: code that catches every
    exception (some modules do, while they are imported) cannot make the grader miss it."""

    def handler(signum, frame):
        global _interrupted
        _interrupted = True
        signal.default_int_handler(signum, frame)

    if hasattr(signal, "SIGINT") and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, handler)  # (left alone when whoever started the grader ignores it)


def interrupted() -> bool:
    """Was Ctrl-C pressed since `remember_interrupts`?"""
    return _interrupted


def die_with_parent() -> None:
    """On Linux, end this process when its parent ends (elsewhere, the parent's pipes do it)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def waiting_seconds(pid: int | str) -> float:
    """Seconds process `pid` was ready to run but waited for a CPU: Linux's schedstat (0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0
