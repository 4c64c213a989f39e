"""A submission as graded: the regular files directly in its folder, read once.

The judge copies them into a private folder before any task starts; the worker
runs that copy and the judge reads its sources from it too, so both see the same
files even when the student saves again during grading.
"""

from __future__ import annotations

import os
from pathlib import Path

SUBMISSION_BYTES = 16 << 20  # all files of one submission together


def read_files(folder: Path | str, budget: int = SUBMISSION_BYTES) -> list[tuple[str, bytes]]:
    """(name, bytes) of the regular files directly in `folder`, in name order, up to `budget` bytes."""
    files, total = [], 0
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            with open(entry.path, "rb") as handle:
                data = handle.read(budget - total + 1)
        except OSError:
            continue
        total += len(data)
        if total > budget:
            break
        files.append((entry.name, data))
    return files


def write_files(files: list[tuple[str, bytes]], folder: Path | str) -> None:
    for name, data in files:
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)


def snapshot(folder: Path, into: Path) -> Path:
    """Copy the submission in `folder` to the new folder `into` (private to this user)."""
    into.mkdir(mode=0o700)
    write_files(read_files(folder), into)
    return into
