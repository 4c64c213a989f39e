"""Where the course's files are.

In a clone (the usual, editable install) the repository root sits just above
this package. A wheel carries its own copy of `course.toml`.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKS_DIR = PACKAGE_DIR / "checks"


def repo_root() -> Path:
    """The course repository: `DESCENT_ROOT`, else the folder above this package."""
    override = os.environ.get("DESCENT_ROOT")
    return Path(override).resolve() if override else PACKAGE_DIR.parent


def manifest_path() -> Path:
    in_repo = repo_root() / "course.toml"
    return in_repo if in_repo.is_file() else PACKAGE_DIR / "course.toml"


def solutions_dir() -> Path:
    return repo_root() / "solutions"


def exercises_dir() -> Path:
    """The student's `exercises/`: the nearest one at or above the working directory
    that sits beside a `course.toml`, else the repository's."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "course.toml").is_file() and (folder / "exercises").is_dir():
            return folder / "exercises"
    return repo_root() / "exercises"
