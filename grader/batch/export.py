"""What a batch writes beside its gradebook, derived from it alone:

    RESULTS_DIR/grades.csv                          one row per student, one column per task, the total
    RESULTS_DIR/students/<student>/results.json     each student's Gradescope-format results

Every file is written through `write_atomically`, so a reader (or a killed
run) sees the old file or the whole new one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.batch.gradebook import Gradebook
from grader.manifest import Course
from grader.report import write_atomically


def grades_csv(gradebook: Gradebook, course: Course) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    task_ids = [task.id for task in course.tasks]
    writer.writerow(["student", *task_ids, "total"])
    table = gradebook.points()
    for student in sorted(table):
        row = table[student]
        writer.writerow([student, *(f"{row.get(task_id, 0.0):g}" for task_id in task_ids), f"{round(sum(row.values()), 2):g}"])
    return buffer.getvalue()


def write_csv(gradebook: Gradebook, course: Course, out_dir: Path) -> Path:
    path = out_dir / "grades.csv"
    write_atomically(path, grades_csv(gradebook, course))
    return path


def results_path(out_dir: Path, student: str) -> Path:
    return out_dir / "students" / student / "results.json"


def write_results(out_dir: Path, student: str, results_json: str) -> Path:
    path = results_path(out_dir, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, results_json)
    return path


def write_all(gradebook: Gradebook, course: Course, out_dir: Path) -> None:
    """Bring grades.csv and every results.json in line with the gradebook."""
    for student, _, results_json in gradebook.students():
        path = results_path(out_dir, student)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != results_json:
            write_results(out_dir, student, results_json)
    write_csv(gradebook, course, out_dir)
