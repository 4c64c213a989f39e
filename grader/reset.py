"""Put a task's stub back: `grader reset 4.3`.

Only the task's own functions (or class) are replaced by their stubs; the
rest of the student's file stays. The old file is kept as a backup first.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from grader.manifest import Course, Task
from grader.paths import PACKAGE_DIR, solutions_dir
from grader.report import write_atomically
from grader.stubs import expected_stubs

BACKUPS = Path(".grader") / "backups"


class ResetError(RuntimeError):
    """The original stub cannot be found."""


def pristine_stub(course: Course, task: Task) -> str:
    """The untouched stub file of the task's module.

    Generated from `solutions/` where the course has them; a student release
    ships its stubs in `grader/pristine/` instead.
    """
    if (solutions_dir() / task.file_name).is_file():
        return expected_stubs(course, solutions_dir())[task.file_name]
    shipped = PACKAGE_DIR / "pristine" / task.file_name
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    raise ResetError(task.file_name)


def _span(tree: ast.Module, name: str) -> tuple[int, int] | None:
    """First and last line (1-based) of a top-level definition, decorators included."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            start = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            return start, node.end_lineno or node.lineno
    return None


def replace_definitions(current: str, pristine: str, names: tuple[str, ...]) -> str:
    """`current` with the definitions `names` taken from `pristine`.

    A file that no longer parses is replaced whole.
    """
    try:
        tree = ast.parse(current)
    except SyntaxError:
        return pristine
    pristine_lines = pristine.splitlines(keepends=True)
    pristine_tree = ast.parse(pristine)
    lines = current.splitlines(keepends=True)
    replacements = []
    for name in names:
        source_span = _span(pristine_tree, name)
        if source_span is None:
            continue
        new_text = pristine_lines[source_span[0] - 1 : source_span[1]]
        replacements.append((_span(tree, name), new_text))
    # Replace from the bottom up so that earlier line numbers stay valid.
    for span, new_text in sorted(replacements, key=lambda item: -(item[0] or (10**9, 0))[0]):
        if span is None:
            lines += ["\n", "\n", *new_text]
        else:
            lines[span[0] - 1 : span[1]] = new_text
    return "".join(lines)


def reset_task(course: Course, task: Task, exercises: Path, course_root: Path) -> Path:
    """Restore the task's stub in `exercises/`; returns the backup of the old file."""
    target = exercises / task.file_name
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    restored = replace_definitions(current, pristine_stub(course, task), task.functions)
    backups = course_root / BACKUPS
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    backup = backups / f"{task.module}-{stamp}.py"
    write_atomically(backup, current)
    write_atomically(target, restored)
    return backup
