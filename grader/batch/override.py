"""`grader override RESULTS_DIR STUDENT TASK POINTS --reason TEXT`: an instructor's word on one task.

An override is stored in the gradebook's `overrides` table, apart from the
grades, so a regrade (a changed submission, a new grader, `--force`)
replaces the grades and keeps the override. It counts instead of the graded
points of that task everywhere: `grades.csv` (with the reason in its
`overrides` column), the student's `results.json` (the reason in the task's
feedback) and the class report. `TASK` may also be `late`: `POINTS` is then
the number of days late to count (`0` excuses a late submission). `--remove`
takes an override back.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from grader.batch import GRADEBOOK, BatchError, export, open_gradebook
from grader.manifest import Course


@dataclass(frozen=True)
class OverrideDone:
    student: str
    task: str
    points: float | None  # None: removed
    max_points: float | None
    reason: str
    existed: bool = True


def main(out_dir: Path, course: Course, student: str, task: str, points: float | None, reason: str, remove: bool = False) -> OverrideDone:
    out_dir = Path(out_dir).resolve()
    if not (out_dir / GRADEBOOK).is_file():
        raise BatchError("instructor_no_gradebook", path=str(out_dir))
    known = {t.id: t for t in course.tasks}
    if task != export.LATE_TASK and task not in known:
        raise BatchError("instructor_unknown_task", task=task)
    if not remove:
        if not reason.strip():
            raise BatchError("instructor_override_needs_reason")
        if points is None:
            raise BatchError("instructor_unknown_task", task=task)
        if task == export.LATE_TASK and points < 0:
            raise BatchError("instructor_days_out_of_range")
        if task in known and not 0 <= points <= known[task].points:
            raise BatchError("instructor_points_out_of_range", task=task, max_points=f"{known[task].points:g}")
    lock = os.open(out_dir / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchError("error_batch_running", path=str(out_dir)) from None
        gradebook = open_gradebook(out_dir)
        try:
            if student not in gradebook.current():
                raise BatchError("instructor_unknown_student", student=student, path=str(out_dir))
            if remove:
                existed = gradebook.remove_override(student, task)
                done = OverrideDone(student, task, None, None, "", existed)
            else:
                gradebook.set_override(student, task, float(points), reason.strip())
                done = OverrideDone(student, task, float(points), known[task].points if task in known else None, reason.strip())
            old_umask = os.umask(0o077)
            try:
                export.write_all(gradebook, course, out_dir)
            finally:
                os.umask(old_umask)
            return done
        finally:
            gradebook.close()
    finally:
        os.close(lock)
