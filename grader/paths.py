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


class NotInCourse(LookupError):
    """The working directory is not inside a course folder; `args[0]` is the folder found, if any."""


def exercises_dir() -> Path:
    """The student's `exercises/`: the one beside the nearest `course.toml` at or above the working directory.

    Outside any course folder, the installed course's, but only from inside its
    repository: a command run elsewhere (another clone, a home folder) must not
    grade some other clone's work without saying so.
    """
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "course.toml").is_file():
            if (folder / "exercises").is_dir():
                return folder / "exercises"
            raise NotInCourse(folder)
    root = repo_root()
    if here == root or root in here.parents:
        return root / "exercises"
    raise NotInCourse(None)
