"""What a student has done so far, remembered between runs.

A small JSON file in the student's repository (`.grader/progress.json`):
points per task, when it was last checked and when it was first solved.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.grading import GradeResult
from grader.report import write_atomically

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
    path = progress_path(course_root)
    path.parent.mkdir(exist_ok=True)
    write_atomically(path, json.dumps({"tasks": tasks}, indent=2, sort_keys=True) + "\n")
    return tasks
