"""Batch grading against nbgrader: the same N submissions, graded both ways, in one run.

Each student hands in every unit: the reference solutions, the untouched
release, or a wrong answer from tests/mutants in every task. They are graded

1. by `grader grade SUBMISSIONS --out RESULTS` (folders of modules), and
2. by `nbgrader autograde` on the same code as the notebooks of `grader nbgrader`
   (after `nbgrader generate_assignment`, which is not timed),

from a cold start each. The report gives both wall times, the submissions per
minute and their ratio (the goal: at least 10), and checks that both gave every
student the same total.

    python bench/batch.py [--students 8]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.export import nbgrader as export  # noqa: E402
from grader.manifest import course as load_course  # noqa: E402
from tests.conftest import all_mutants  # noqa: E402


def students(course, count: int) -> dict[str, dict[str, str] | str]:
    """`{student: "reference" | "release" | {task id: wrong answer}}`, `count` of them."""
    by_task: dict[str, list[str]] = {}
    for _, mutant in all_mutants():
        by_task.setdefault(mutant.task, []).append(textwrap.dedent(mutant.source))
    found: dict[str, dict[str, str] | str] = {}
    for number in range(count):
        name = f"student{number:02d}"
        if number % 4 == 0:
            found[name] = "reference"
        elif number % 4 == 1:
            found[name] = "release"
        else:
            found[name] = {task.id: by_task[task.id][number % len(by_task[task.id])] for task in course.tasks}
    return found


def folder_submission(course, kind, target: Path) -> None:
    target.mkdir(parents=True)
    base = ROOT / ("exercises" if kind == "release" else "solutions")
    for unit in course.units:
        source = (base / f"{unit.module}.py").read_text(encoding="utf-8")
        if isinstance(kind, dict):
            source += "".join("\n\n" + kind[task.id] for task in unit.tasks)
        (target / f"{unit.module}.py").write_text(source, encoding="utf-8")


def notebook_submission(course_dir: Path, unit, kind) -> dict:
    folder = "release" if kind == "release" else "source"
    notebook = json.loads((course_dir / folder / unit.module / f"{unit.module}.ipynb").read_text(encoding="utf-8"))
    if isinstance(kind, dict):
        for cell in notebook["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            if grade_id.startswith("solution_"):
                task_id = grade_id.removeprefix("solution_").replace("_", ".")
                cell["source"] = ("".join(cell["source"]) + "\n\n" + kind[task_id]).splitlines(keepends=True)
    return notebook


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:4])} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    arguments = parser.parse_args()
    course = load_course()
    cohort = students(course, arguments.students)
    work = Path(tempfile.mkdtemp(prefix="descent-bench-batch-"))
    try:
        submissions = work / "submissions"
        for name, kind in cohort.items():
            folder_submission(course, kind, submissions / name)
        course_dir = work / "nbgrader"
        export.main(course_dir, course, ROOT / "solutions")
        env = export.private_jupyter_environment(work)
        timed([sys.executable, "-m", "nbgrader", "generate_assignment", "*"], cwd=course_dir, env=env)
        for name, kind in cohort.items():
            for unit in course.units:
                target = course_dir / "submitted" / name / unit.module / f"{unit.module}.ipynb"
                target.parent.mkdir(parents=True)
                target.write_text(json.dumps(notebook_submission(course_dir, unit, kind)), encoding="utf-8")

        batch_seconds = timed([sys.executable, "-m", "grader", "grade", str(submissions), "--out", str(work / "results")], cwd=ROOT)
        nbgrader_seconds = timed([sys.executable, "-m", "nbgrader", "autograde", "*", "--create"], cwd=course_dir, env=env)

        with sqlite3.connect(work / "results" / "gradebook.sqlite") as connection:
            batch_totals = dict(connection.execute("SELECT student, score FROM submissions"))
        with sqlite3.connect(course_dir / "gradebook.db") as connection:
            nbgrader_totals = {
                student: round(score, 2)
                for student, score in connection.execute(
                    "SELECT student.id, SUM(grade.auto_score) FROM grade "
                    "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                    "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                    "JOIN student ON submitted_assignment.student_id = student.id GROUP BY student.id"
                )
            }
        count = len(cohort)
        batch_rate, nbgrader_rate = count / batch_seconds * 60, count / nbgrader_seconds * 60
        print(f"{count} submissions, {len(course.units)} units and {len(course.tasks)} tasks each, {os.cpu_count()} cores")
        print(f"grader grade          {batch_seconds:7.1f} s   {batch_rate:7.1f} submissions/min")
        print(f"nbgrader autograde    {nbgrader_seconds:7.1f} s   {nbgrader_rate:7.1f} submissions/min")
        print(f"ratio                 {batch_rate / nbgrader_rate:7.1f}x   (goal: at least 10x)")
        same = batch_totals == nbgrader_totals
        print(f"same total per student: {'yes' if same else 'NO'}")
        if not same:
            for student in sorted(cohort):
                print(f"  {student}: grader {batch_totals.get(student)}  nbgrader {nbgrader_totals.get(student)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
