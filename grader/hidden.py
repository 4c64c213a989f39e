"""Hidden checks: the checks marked `@pytest.mark.task(..., hidden=True)`.

They grade like every other check. Two tools treat them apart: the student
release leaves them out of its copy of the grader, and the nbgrader export
runs them inside `### BEGIN HIDDEN TESTS`. Both read the check files as
source (no torch needed), through this module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HiddenCheck:
    name: str
    task_id: str
    start: int  # first line, decorators included (1-based)
    end: int  # last line


def _task_mark(decorator: ast.expr) -> ast.Call | None:
    """The `pytest.mark.task(...)` call of a decorator, if it is one."""
    if not isinstance(decorator, ast.Call):
        return None
    names = []
    node = decorator.func
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return decorator if list(reversed(names))[-2:] == ["mark", "task"] else None


def hidden_checks(source: str) -> list[HiddenCheck]:
    """The hidden checks of a check module, in file order."""
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            mark = _task_mark(decorator)
            if mark is None or not mark.args or not isinstance(mark.args[0], ast.Constant):
                continue
            hidden = any(
                keyword.arg == "hidden" and isinstance(keyword.value, ast.Constant) and bool(keyword.value.value)
                for keyword in mark.keywords
            )
            if hidden:
                start = min(d.lineno for d in node.decorator_list)
                found.append(HiddenCheck(node.name, str(mark.args[0].value), start, node.end_lineno or node.lineno))
    return found


def hidden_tasks(checks_dir: Path, modules: tuple[str, ...]) -> dict[str, list[str]]:
    """`{task id: names of its hidden checks}` over the units' check modules."""
    tasks: dict[str, list[str]] = {}
    for module in modules:
        path = checks_dir / f"test_{module}.py"
        if path.is_file():
            for check in hidden_checks(path.read_text(encoding="utf-8")):
                tasks.setdefault(check.task_id, []).append(check.name)
    return tasks


def strip_hidden(source: str) -> str:
    """The check module without its hidden checks (and the blank lines after each)."""
    lines = source.splitlines(keepends=True)
    drop: set[int] = set()
    for check in hidden_checks(source):
        drop.update(range(check.start - 1, check.end))
        after = check.end
        while after < len(lines) and not lines[after].strip():
            drop.add(after)
            after += 1
    return "".join(line for number, line in enumerate(lines) if number not in drop)
