"""The student copy of the course: `grader release OUT_DIR`.

What students get, and nothing that gives an answer away:

- `exercises/`: the stubs, generated afresh from `solutions/`;
- `grader/`: the grader, with its hidden checks taken out of the check modules;
- `site/docs/`: the lessons;
- `README.md` (without its "For instructors" and "Running the tests" sections), `course.toml`,
  `pyproject.toml`, `.gitignore`;
- `.github/workflows/grade.yml`: grades every push (see `grader/templates/`).

Never `solutions/`, `tests/` (its wrong answers are near-answers), `bench/`,
`.ci/` or the git history. The checks stay: they hold independent oracles
(autograd, `torch.optim.SGD`, trajectories they recompute), written for the
checks, never copied from `solutions/`. Before anything is written, every
multi-line solution region is looked for in the whole copy; one that appears
stops the release.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.hidden import strip_hidden
from grader.manifest import Course
from grader.paths import PACKAGE_DIR
from grader.stubs import BEGIN, END, expected_stubs

TEMPLATES = PACKAGE_DIR / "templates"
TOP_FILES = ("README.md", "course.toml", "pyproject.toml", ".gitignore", "LICENSE")
SKIPPED = {"__pycache__", ".pytest_cache", ".ruff_cache", "node_modules", "vendor"}  # caches, third-party build assets
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".yml", ".yaml", ".json", ".cfg", ".ini", ".js", ".css", ".html", ".sh", ""}
# README sections that are no use without solutions/ and tests/.
INSTRUCTOR_SECTIONS = re.compile(r"^## (?:For instructors|Running the tests)\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)


class ReleaseError(ValueError):
    """The release cannot be written; the message says why."""


@dataclass(frozen=True)
class Region:
    """The answer between one pair of solution markers, as normalised lines."""

    file: str
    line: int
    lines: tuple[str, ...]


def normalise(line: str) -> str:
    return " ".join(line.split())


def significant(lines: list[str]) -> list[str]:
    """Normalised lines that carry code: no blanks, no comments."""
    found = [normalise(line) for line in lines]
    return [line for line in found if line and not line.startswith("#")]


def solution_regions(solutions: Path) -> list[Region]:
    regions = []
    for path in sorted(solutions.glob("*.py")):
        inside: list[str] | None = None
        start = 0
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() == BEGIN:
                inside, start = [], number
            elif line.strip() == END and inside is not None:
                regions.append(Region(path.name, start, tuple(significant(inside))))
                inside = None
            elif inside is not None:
                inside.append(line)
    return regions


def _text_files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix in TEXT_SUFFIXES:
            yield path


def find_leaks(folder: Path, regions: list[Region], min_lines: int = 2) -> list[tuple[str, Region]]:
    """(file, region) for each solution region of at least `min_lines` lines found whole in a file of `folder`."""
    wanted = [region for region in regions if len(region.lines) >= min_lines]
    leaks = []
    for path in _text_files(folder):
        text = "\n" + "\n".join(significant(path.read_text(encoding="utf-8", errors="replace").splitlines())) + "\n"
        for region in wanted:
            if "\n" + "\n".join(region.lines) + "\n" in text:
                leaks.append((str(path.relative_to(folder)), region))
    return leaks


def _copy_tree(source: Path, target: Path, transform=None) -> None:
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part in SKIPPED for part in relative.parts) or path.suffix == ".pyc" or path.is_symlink():
            continue
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = transform(relative, path) if transform else None
        if text is SKIP:
            continue
        if text is None:
            shutil.copyfile(path, destination)
        else:
            destination.write_text(text, encoding="utf-8")


SKIP = object()  # a transform's answer for a file the copy leaves out


def _grader_file(relative: Path, path: Path):
    """Check modules lose their hidden checks, hidden scenarios are left out; the rest is copied as it is."""
    if relative.parts[0] == "checks" and relative.name.startswith("test_") and relative.suffix == ".py":
        return strip_hidden(path.read_text(encoding="utf-8"))
    if relative.parts[:2] == ("scenarios", "hidden") and relative.name != "__init__.py":
        return SKIP
    return None


def main(out_dir: Path, course: Course, root: Path) -> list[Path]:
    """Write the student copy of the course in `root` to `out_dir`; returns the files written."""
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ReleaseError(f"{out_dir} is not an empty folder")
    solutions = root / "solutions"
    stubs = expected_stubs(course, solutions)  # a malformed region stops here, with its file and line
    staging = out_dir.parent / f".{out_dir.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        exercises = staging / "exercises"
        exercises.mkdir()
        for name, text in stubs.items():
            (exercises / name).write_text(text, encoding="utf-8")
        _copy_tree(root / "grader", staging / "grader", _grader_file)
        if (root / "site" / "docs").is_dir():
            _copy_tree(root / "site" / "docs", staging / "site" / "docs")
        for name in TOP_FILES:
            if (root / name).is_file():
                shutil.copyfile(root / name, staging / name)
        readme = staging / "README.md"
        if readme.is_file():
            readme.write_text(INSTRUCTOR_SECTIONS.sub("", readme.read_text(encoding="utf-8")), encoding="utf-8")
        workflow = staging / ".github" / "workflows" / "grade.yml"
        workflow.parent.mkdir(parents=True)
        shutil.copyfile(TEMPLATES / "grade.yml", workflow)
        leaks = find_leaks(staging, solution_regions(solutions))
        if leaks:
            where = "; ".join(f"{file} holds the answer of {region.file}:{region.line}" for file, region in leaks[:5])
            raise ReleaseError(f"an answer would leak: {where}")
        if out_dir.exists():  # empty: fill it (it may be someone's working directory)
            for child in staging.iterdir():
                child.rename(out_dir / child.name)
            staging.rmdir()
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(path for path in out_dir.rglob("*") if path.is_file())
