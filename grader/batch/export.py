"""What a batch writes beside its gradebook, derived from it alone:

    RESULTS_DIR/grades.csv                          one row per student: status, when handed in, days late,
                                                    the points of each task, raw and final totals, overrides
    RESULTS_DIR/students/<student>/results.json     each student's Gradescope-format results

Both apply the instructor's overrides (`grader override`) and the late
policy stored in the gradebook (`grader grade --due ... --late-policy ...`)
to the grades as graded, so that changing either never needs a regrade.
Every file is written through `write_atomically`, so a reader (or a killed
run) sees the old file or the whole new one.

`grades.csv` is safe to open in a spreadsheet: every cell is quoted, and a
cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (a
formula, to Excel, LibreOffice and Google Sheets) starts with a `'` instead,
as OWASP recommends against CSV injection.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.gradebook import Gradebook, Override
from grader.batch.late import Lateness, lateness
from grader.manifest import Course
from grader.messages import text
from grader.report import write_atomically

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LATE_TASK = "late"  # the override of the days late, beside the task ids


def safe_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    cell = str(value)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


@dataclass
class StudentStanding:
    """One student's grades as they stand: graded points, the overrides on them, the late penalty."""

    student: str
    status: str  # graded, error or ungradable
    error: str
    submitted_at: str
    graded: dict[str, float]  # task id -> points as graded
    points: dict[str, float]  # task id -> points counted (overrides applied)
    max_points: dict[str, float]
    overrides: dict[str, Override] = field(default_factory=dict)
    late: Lateness = field(default_factory=lambda: Lateness(0.0, 0.0))
    results_json: str = ""
    lang: str = "en"  # of the feedback in its results.json

    @property
    def raw_total(self) -> float:
        return round(sum(self.points.values()), 2)

    @property
    def max_score(self) -> float:
        return round(sum(self.max_points.values()), 2)

    @property
    def total(self) -> float:
        return round(self.raw_total * (1 - self.late.penalty), 2)


def standings(gradebook: Gradebook, course: Course, student: str | None = None) -> list[StudentStanding]:
    """Every student of the gradebook (or one), by name, with overrides and the late policy applied."""
    settings = gradebook.settings()
    due, policy = settings.get("due"), settings.get("late_policy")
    points = gradebook.points(student)
    overrides = gradebook.overrides(student)
    found = []
    for row in gradebook.submissions(student):
        graded = {task.id: points.get(row.student, {}).get(task.id, 0.0) for task in course.tasks}
        own = overrides.get(row.student, {})
        counted = dict(graded)
        for task_id, override in own.items():
            if task_id in counted:
                counted[task_id] = override.points
        late_override = own.get(LATE_TASK)
        late = lateness(row.submitted_at, due, policy, late_override.points if late_override else None)
        standing = StudentStanding(
            row.student, row.status, row.error, row.submitted_at, graded, counted, {task.id: task.points for task in course.tasks},
            own, late, lang=row.lang,
        )  # fmt: skip
        standing.results_json = adjusted_results(row.results_json, standing)
        found.append(standing)
    return found


def standing_of(gradebook: Gradebook, course: Course, student: str) -> StudentStanding:
    (found,) = standings(gradebook, course, student)
    return found


def _percent(share: float) -> str:
    return f"{share * 100:g}"


def adjusted_results(results_json: str, standing: StudentStanding) -> str:
    """The student's results.json with the overrides and the late penalty applied (unchanged without either)."""
    if not standing.overrides and not standing.late.penalty and not standing.late.excused:
        return results_json
    try:
        results = json.loads(results_json)
    except ValueError:
        return results_json
    lang = standing.lang
    notes = []
    tests = results.get("tests", [])
    for task_id, override in standing.overrides.items():
        if task_id == LATE_TASK:
            continue
        own = [test for test in tests if test.get("number") == task_id]
        task_max = sum(float(test.get("max_score", 0)) for test in own) or standing.max_points.get(task_id, 0.0)
        left = override.points
        for index, test in enumerate(own):
            share = left if index == len(own) - 1 else round(override.points * float(test.get("max_score", 0)) / task_max, 2)
            left = round(left - share, 2)
            test["score"] = round(share, 2)
            note = text("instructor_override_note", lang, points=f"{override.points:g}", reason=override.reason)
            test["output"] = f"{test.get('output', '')}\n{note}".strip()
        notes.append(text("instructor_override_summary", lang, task=task_id, points=f"{override.points:g}", reason=override.reason))
    if standing.late.excused:
        reason = standing.overrides[LATE_TASK].reason
        notes.append(text("instructor_late_excused", lang, days=f"{standing.late.days_late:g}", reason=reason))
    if standing.late.penalty:
        notes.append(
            text("instructor_late_note", lang, days=f"{standing.late.days_late:g}", percent=_percent(standing.late.penalty),
                 raw=f"{standing.raw_total:g}", final=f"{standing.total:g}")
        )  # fmt: skip
    results["score"] = standing.total
    results["output"] = "\n".join([str(results.get("output", "")), *notes]).strip()
    return json.dumps(results, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS_BEFORE = ("student", "status", "submitted_at", "days_late")
CSV_COLUMNS_AFTER = ("raw_total", "late_penalty_percent", "total", "overrides")


def grades_csv(gradebook: Gradebook, course: Course) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    task_ids = [task.id for task in course.tasks]
    writer.writerow([*CSV_COLUMNS_BEFORE, *task_ids, *CSV_COLUMNS_AFTER])
    for standing in standings(gradebook, course):
        overrides = "; ".join(f"{task}: {override.points:g} ({override.reason})" for task, override in standing.overrides.items())
        row = [
            standing.student, standing.status, standing.submitted_at, f"{standing.late.days_late:g}",
            *(f"{standing.points[task_id]:g}" for task_id in task_ids),
            f"{standing.raw_total:g}", _percent(standing.late.penalty), f"{standing.total:g}", overrides,
        ]  # fmt: skip
        writer.writerow([safe_cell(cell) for cell in row])
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
    for standing in standings(gradebook, course):
        path = results_path(out_dir, standing.student)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != standing.results_json:
            write_results(out_dir, standing.student, standing.results_json)
    write_csv(gradebook, course, out_dir)
