"""Generate the student stubs in `exercises/` from the reference `solutions/`.

Each answer in a solution file sits between two whole-line markers,
`# BEGIN SOLUTION` and `# END SOLUTION`. The stub keeps everything else
(signatures, docstrings, helpers) and replaces each answer by a
`raise NotImplementedError(...)` that names its task.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from grader.manifest import Course

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_NEAR_MISS = re.compile(r"^\s*#\s*(BEGIN|END)\W*SOLUTION", re.IGNORECASE)


class MarkerError(ValueError):
    """A malformed solution region; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class _Definition:
    name: str  # "SGD.step" for a method
    top_level: str  # "SGD"
    start: int
    end: int


def _definitions(tree: ast.Module) -> list[_Definition]:
    found = []

    def visit(node: ast.AST, prefix: str, top: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                owner = top or child.name
                found.append(_Definition(name, owner, child.lineno, child.end_lineno or child.lineno))
                visit(child, f"{name}.", owner)

    visit(tree, "", None)
    return found


def _innermost(definitions: list[_Definition], line: int) -> _Definition | None:
    around = [d for d in definitions if d.start <= line <= d.end]
    return max(around, key=lambda d: d.start, default=None)


def stub_source(source: str, path: Path, module: str, course: Course) -> str:
    """The stub for one solution file. Raises `MarkerError` on a malformed region."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise MarkerError(path, error.lineno or 0, f"not valid Python: {error.msg}") from None
    definitions = _definitions(tree)
    output: list[str] = []
    region_start: int | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if region_start is not None:
                raise MarkerError(path, number, f"'{BEGIN}' inside the region opened at line {region_start}; close it first with '{END}'")
            region_start = number
            indent = line[: len(line) - len(line.lstrip())]
            output.append(indent + _raise_statement(path, number, module, definitions, course) + "\n")
        elif stripped == END:
            if region_start is None:
                raise MarkerError(path, number, f"'{END}' without an opening '{BEGIN}'")
            region_start = None
        elif _NEAR_MISS.match(line):
            raise MarkerError(path, number, f"malformed marker {stripped!r}: write exactly '{BEGIN}' or '{END}' on a line of its own")
        elif region_start is None:
            output.append(line)
    if region_start is not None:
        raise MarkerError(path, region_start, f"the region opened here is never closed with '{END}'")
    return "".join(output)


def _raise_statement(path: Path, line: int, module: str, definitions: list[_Definition], course: Course) -> str:
    inside = _innermost(definitions, line)
    if inside is None:
        raise MarkerError(path, line, "a solution region must sit inside a function or class")
    task = course.task_for_function(module, inside.top_level)
    if task is None:
        raise MarkerError(path, line, f"the region is inside {inside.top_level}, which no task of course.toml lists for module {module!r}")
    message = f"Task {task.id}: write {inside.name} here, then run `grader check {task.id}`."
    return f"raise NotImplementedError(\"{message}\")"


def expected_stubs(course: Course, solutions: Path) -> dict[str, str]:
    """`{file name: stub text}` for every module of the course."""
    stubs = {}
    for module in course.modules:
        path = solutions / f"{module}.py"
        if not path.is_file():
            raise MarkerError(path, 0, "the course lists this module, but the file is missing")
        stubs[path.name] = stub_source(path.read_text(encoding="utf-8"), path, module, course)
    unlisted = sorted(
        p.name for p in solutions.glob("*.py") if p.stem not in course.modules and not p.name.startswith("_")
    )
    if unlisted:
        raise MarkerError(solutions / unlisted[0], 0, "this module is not listed in course.toml")
    return stubs


def sync(course: Course, solutions: Path, exercises: Path, *, write: bool) -> list[str]:
    """Compare (and with `write`, rewrite) `exercises/` against the stubs.

    Returns the names of the files that differ (before writing).
    """
    drifted = []
    for name, text in expected_stubs(course, solutions).items():
        target = exercises / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            drifted.append(name)
            if write:
                exercises.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return drifted
