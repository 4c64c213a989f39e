"""What a student has done so far, remembered between runs.

A small JSON file in the student's repository (`.grader/progress.json`):
points per task, when it was last checked and when it was first solved, and
how many of its hints the student has seen (`hints_seen`, 0 to the ladder's
length: `grader hint` shows the next one).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.report import write_atomically

if TYPE_CHECKING:  # grading imports torch: `grader hint` and `grader next` need neither
    from grader.grading import GradeResult

PROGRESS_FILE = Path(".grader") / "progress.json"


def progress_path(course_root: Path) -> Path:
    return course_root / PROGRESS_FILE


def load(course_root: Path) -> dict[str, dict[str, Any]]:
    """Progress by task id; empty when there is none (or it cannot be read)."""
    try:
        data = json.loads(progress_path(course_root).read_text(encoding="utf-8"))
        tasks = data.get("tasks", {})
        return tasks if isinstance(tasks, dict) else {}
    except (OSError, ValueError):
        return {}


def record(course_root: Path, result: GradeResult, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Add a grading run to the progress file and return the new progress."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    tasks = load(course_root)
    for task_result in result.tasks:
        entry = tasks.setdefault(task_result.task.id, {})
        entry.update(points=task_result.score, max_points=task_result.max_score, last_checked=stamp)
        if task_result.passed and not entry.get("first_solved"):
            entry["first_solved"] = stamp
    _write(course_root, tasks)
    return tasks


def hints_seen(tasks: dict[str, dict[str, Any]], task_id: str) -> int:
    """How many of the task's hints the student has seen (0 when none, or the file says nonsense)."""
    value = tasks.get(task_id, {}).get("hints_seen", 0)
    return value if isinstance(value, int) and value > 0 else 0


def see_hints(course_root: Path, task_id: str, level: int) -> dict[str, dict[str, Any]]:
    """Remember that hints 1 to `level` of the task have been seen (never fewer than before)."""
    tasks = load(course_root)
    entry = tasks.setdefault(task_id, {})
    entry["hints_seen"] = max(level, hints_seen(tasks, task_id))
    _write(course_root, tasks)
    return tasks


def forget_hints(course_root: Path, task_id: str) -> dict[str, dict[str, Any]]:
    """Start the task's ladder of hints again: the next `grader hint` shows hint 1."""
    tasks = load(course_root)
    if task_id in tasks:
        tasks[task_id].pop("hints_seen", None)
        if not tasks[task_id]:
            del tasks[task_id]
        _write(course_root, tasks)
    return tasks


def _write(course_root: Path, tasks: dict[str, dict[str, Any]]) -> None:
    path = progress_path(course_root)
    path.parent.mkdir(exist_ok=True)
    write_atomically(path, json.dumps({"tasks": tasks}, indent=2, sort_keys=True) + "\n")
