"""Reports of a grading run: the Gradescope `results.json`, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from grader.feedback import task_output
from grader.grading import GradeResult
from grader.messages import text


def gradescope(result: GradeResult, lang: str) -> dict[str, Any]:
    """The Gradescope autograder format: one test per task, `number` = task id."""
    done = sum(task.passed for task in result.tasks)
    return {
        "score": result.score,
        "max_score": result.max_score,
        "output": text(
            "ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks)
        ),
        "visibility": "visible",
        "tests": [
            {
                "number": task.task.id,
                "name": task.task.title[lang],
                "score": task.score,
                "max_score": task.max_score,
                "status": "passed" if task.passed else "failed",
                "output": task_output(task, lang),
            }
            for task in result.tasks
        ],
    }


def write_atomically(path: Path, content: str) -> None:
    """Write `content` to `path` through a temporary file and a rename:
    a reader sees the old file or the whole new one, never half of it."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_gradescope(result: GradeResult, path: Path, lang: str) -> None:
    write_atomically(path, json.dumps(gradescope(result, lang), ensure_ascii=False, indent=2) + "\n")
