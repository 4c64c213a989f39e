"""Catalogued answers (wrong ones in tests/mutants/, correct ones in tests/alternatives/), graded in batches.

Each answer's `source` is appended to a copy of the reference solution, so its
definitions replace the reference ones of the same name. Grading every answer
on its own would start the grader hundreds of times; instead the session
grades them in batches with one warm runner: one answer per module in each
submission (an answer may call the other functions of its module, which stay
the reference ones), only the answers' tasks graded.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from pathlib import Path

from grader.grading import TaskResult, grade
from grader.manifest import Course
from grader.runner import Runner

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def grade_answers(course: Course, runner: Runner, answers: list) -> dict[str, TaskResult]:
    """`{answer.id: its task's result}` for answers with `task`, `source` and `id`."""
    results: dict[str, TaskResult] = {}
    pending = list(answers)
    folder = Path(tempfile.mkdtemp(prefix="descent-answers-"))
    try:
        number = 0
        while pending:
            batch: dict[str, object] = {}
            for answer in list(pending):
                module = course.task(answer.task).module
                if module not in batch:
                    batch[module] = answer
                    pending.remove(answer)
            submission = folder / f"batch-{number}"
            number += 1
            submission.mkdir()
            for path in SOLUTIONS.glob("*.py"):
                shutil.copy(path, submission / path.name)
            for module, answer in batch.items():
                target = submission / f"{module}.py"
                target.write_text(target.read_text(encoding="utf-8") + "\n\n" + textwrap.dedent(answer.source), encoding="utf-8")
            graded = grade(course, submission, [answer.task for answer in batch.values()], runner=runner)
            by_task = {result.task.id: result for result in graded.tasks}
            for answer in batch.values():
                results[answer.id] = by_task[answer.task]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results
