"""The grade office of `grader grade`: status, safe CSV, submission times, due dates and late
policy, one student's regrade, overrides that survive regrades, and entries that are reported,
never silently skipped (dot-names, a folder called `submitted`)."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.batch.export import safe_cell
from grader.batch.gradebook import Gradebook
from grader.batch.late import LateError, lateness, parse_policy
from tests.conftest import EXERCISES, ROOT, make_submission
from tests.test_batch import mutant_source

DUE = "2026-11-20T23:59+00:00"
ON_TIME = datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp()
TWO_DAYS_LATE = datetime(2026, 11, 22, 12, 0, tzinfo=UTC).timestamp()  # 1.5 days: two started days
FORMULA_STUDENT = "=HYPERLINK(\"x\",\"y\")"


def grader(*args, cwd=ROOT):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=900)


def touch_all(folder: Path, moment: float) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (moment, moment))


def table(results: Path) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO((results / "grades.csv").read_text(encoding="utf-8"))))
    return {row["student"]: row for row in rows}


@pytest.fixture(scope="module")
def office(course, tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    submissions = root / "submissions"
    make_submission(submissions / "alice")
    touch_all(submissions / "alice", ON_TIME)
    make_submission(submissions / "late_lee")
    touch_all(submissions / "late_lee", TWO_DAYS_LATE)
    module, source = mutant_source("2.2")
    make_submission(submissions / "dave", {module: source})
    touch_all(submissions / "dave", ON_TIME)
    make_submission(submissions / FORMULA_STUDENT, base=EXERCISES)
    make_submission(submissions / "submitted", base=EXERCISES)  # a student of that name, not nbgrader's folder
    make_submission(submissions / ".hidden_hank")
    (submissions / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (submissions / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    results = root / "results"
    run = grader("grade", str(submissions), "--out", str(results), "--due", DUE, "--late-policy", "10%/day,cap=50%")
    return root, submissions, results, run


def test_every_entry_is_graded_or_reported(office):
    _, _, results, run = office
    assert run.returncode == 1, run.stdout + run.stderr  # a hidden entry may be someone's work
    assert "Traceback" not in run.stdout + run.stderr
    assert ".hidden_hank: its name starts with a dot" in run.stdout
    assert "may be students' work were not graded" in run.stdout
    students = set(table(results))
    assert students == {"alice", "late_lee", "dave", "'" + FORMULA_STUDENT, "submitted", "broken"}
    with Gradebook(results / "gradebook.sqlite") as gradebook:
        skipped = {entry: key for entry, key, _ in gradebook.skipped()}
    assert skipped == {".hidden_hank": "batch_skipped_hidden", ".DS_Store": "batch_skipped_system"}


def test_status_tells_an_error_from_a_zero(course, office):
    _, _, results, _ = office
    rows = table(results)
    assert rows["alice"]["status"] == "graded" and rows["alice"]["total"] == f"{course.max_score:g}"
    assert rows["submitted"]["status"] == "graded" and rows["submitted"]["total"] == "0"
    assert rows["broken"]["status"] == "ungradable" and rows["broken"]["total"] == "0"
    header = (results / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith('"student","status","submitted_at","days_late",')
    assert header.endswith('"raw_total","late_penalty_percent","total","overrides"')


def test_no_cell_is_a_formula(office):
    _, _, results, _ = office
    raw = (results / "grades.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(raw)) for cell in row]
    assert "'" + FORMULA_STUDENT in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("alice") == "alice" and safe_cell("2.5") == "2.5"


def test_submission_times_due_date_and_late_penalty(course, office):
    _, _, results, _ = office
    rows = table(results)
    assert rows["alice"]["submitted_at"] == "2026-11-20T12:00:00+00:00" and rows["alice"]["days_late"] == "0"
    lee = rows["late_lee"]
    assert lee["submitted_at"] == "2026-11-22T12:00:00+00:00" and lee["days_late"] == "1.51"
    assert lee["raw_total"] == f"{course.max_score:g}" and lee["late_penalty_percent"] == "20"
    assert float(lee["total"]) == round(course.max_score * 0.8, 2)
    data = json.loads((results / "students" / "late_lee" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == float(lee["total"])
    assert "20% of the points are taken off" in data["output"]


def test_late_policy_arithmetic():
    policy = parse_policy("10%/day,cap=25%,grace=30m")
    assert policy.text() == "10%/day,cap=25%,grace=30m"
    due = "2026-11-20T23:59+00:00"
    assert lateness("2026-11-21T00:20:00+00:00", due, policy.text()).penalty == 0.0  # within the grace
    assert lateness("2026-11-21T01:00:00+00:00", due, policy.text()).penalty == pytest.approx(0.1)
    assert lateness("2026-11-30T00:00:00+00:00", due, policy.text()).penalty == pytest.approx(0.25)  # the cap
    assert lateness("2026-11-20T00:00:00+00:00", due, policy.text()).days_late == 0.0
    for bad in ("10", "10%/week", "10%/day,cap=0%", "10%/day,color=red"):
        with pytest.raises(LateError):
            parse_policy(bad)


def test_bad_due_date_is_a_bilingual_usage_error(office, tmp_path):
    _, submissions, _, _ = office
    run = grader("grade", str(submissions), "--out", str(tmp_path / "out"), "--due", "next friday")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--due" in run.stderr and "无法识别" in run.stderr


def test_override_survives_a_regrade_and_one_student_is_regraded_alone(course, office, tmp_path):
    import shutil

    _, original_submissions, original_results, _ = office
    submissions = shutil.copytree(original_submissions, tmp_path / "submissions", symlinks=True)
    results = shutil.copytree(original_results, tmp_path / "results")
    run = grader("override", str(results), "dave", "2.2", "2", "--reason", "office hours: the idea was right")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "dave, task 2.2: 2 of" in run.stdout
    run = grader("override", str(results), "late_lee", "late", "0", "--reason", "illness")
    assert run.returncode == 0, run.stdout + run.stderr
    rows = table(results)
    assert rows["dave"]["2.2"] == "2" and "office hours" in rows["dave"]["overrides"]
    assert rows["late_lee"]["total"] == f"{course.max_score:g}" and rows["late_lee"]["days_late"] == "0"

    database = results / "gradebook.sqlite"
    with sqlite3.connect(database) as connection:
        before = dict(connection.execute("SELECT student, graded_at FROM submissions"))
    run = grader("grade", str(submissions), "--out", str(results), "--student", "dave")
    assert "1 graded, 0 unchanged" in run.stdout, run.stdout + run.stderr
    with sqlite3.connect(database) as connection:
        after = dict(connection.execute("SELECT student, graded_at FROM submissions"))
        graded_points = connection.execute("SELECT points FROM grades WHERE student = 'dave' AND task = '2.2'").fetchone()[0]
    assert [student for student in after if after[student] != before[student]] == ["dave"]
    assert graded_points != 2  # the grade as graded is kept apart from the override
    assert table(results)["dave"]["2.2"] == "2"
    results_json = json.loads((results / "students" / "dave" / "results.json").read_text(encoding="utf-8"))
    assert "office hours: the idea was right" in results_json["output"]

    run = grader("grade", str(submissions), "--out", str(results), "--force")
    assert table(results)["dave"]["2.2"] == "2" and table(results)["late_lee"]["days_late"] == "0"
    run = grader("override", str(results), "dave", "2.2", "--remove")
    assert run.returncode == 0 and table(results)["dave"]["2.2"] == f"{graded_points:g}"

    run = grader("grade", str(submissions), "--out", str(results), "--student", "nobody")
    assert run.returncode == 2 and "nobody" in run.stderr and "没有这个名字的提交" in run.stderr
    run = grader("override", str(results), "dave", "2.2", "99", "--reason", "x")
    assert run.returncode == 2 and "满分为" in run.stderr


def test_a_real_nbgrader_submitted_folder_is_graded_and_the_rest_reported(course, tmp_path):
    """nbgrader's course folder: submitted/<student>/<unit>/<unit>.ipynb, and a stray student beside it."""
    from grader.export.nbgrader import unit_notebook
    from grader.hidden import hidden_tasks
    from grader.paths import CHECKS_DIR
    from tests.conftest import SOLUTIONS

    course_dir = tmp_path / "course"
    unit = course.units[0]
    notebook = unit_notebook(course, unit, (SOLUTIONS / f"{unit.module}.py").read_text(encoding="utf-8"), hidden_tasks(CHECKS_DIR, course.modules))
    target = course_dir / "submitted" / "frank" / unit.module / f"{unit.module}.ipynb"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(notebook), encoding="utf-8")
    (target.parent / "timestamp.txt").write_text("2026-11-19 08:30:00.000000 UTC")
    (course_dir / "nbgrader_config.py").write_text("c = get_config()\n")
    make_submission(course_dir / "stray")  # beside submitted/: not where nbgrader's students are
    run = grader("grade", str(course_dir), "--out", str(tmp_path / "results"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "stray: it sits beside nbgrader's submitted/ folder" in run.stdout
    rows = table(tmp_path / "results")
    assert set(rows) == {"frank"}
    assert rows["frank"]["submitted_at"] == "2026-11-19T08:30:00+00:00"
    assert float(rows["frank"][unit.tasks[0].id]) == unit.tasks[0].points


SCHEMA_1 = """
CREATE TABLE submissions (student TEXT PRIMARY KEY, source TEXT NOT NULL, files_hash TEXT NOT NULL, grader_hash TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', results_json TEXT NOT NULL,
    graded_at TEXT NOT NULL);
CREATE TABLE grades (student TEXT NOT NULL REFERENCES submissions (student) ON DELETE CASCADE, task TEXT NOT NULL, points REAL NOT NULL,
    max_points REAL NOT NULL, status TEXT NOT NULL, feedback TEXT NOT NULL, files_hash TEXT NOT NULL, PRIMARY KEY (student, task));
INSERT INTO submissions VALUES ('old_olga', 'folder:old_olga', 'abc', 'def', 4, 4, 'graded', '', '{"score": 4}', '2026-01-01T00:00:00+00:00');
INSERT INTO grades VALUES ('old_olga', '1.1', 4, 4, 'passed', '1.1 ...: passed (4/4)', 'abc');
PRAGMA user_version=1;
"""


def test_an_older_gradebook_is_migrated_in_place(course, tmp_path):
    path = tmp_path / "gradebook.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(SCHEMA_1)
    with Gradebook(path) as gradebook:
        assert gradebook.points() == {"old_olga": {"1.1": 4.0}}
        (row,) = gradebook.submissions()
        assert (row.student, row.status, row.submitted_at, row.lang) == ("old_olga", "graded", "", "en")
        assert gradebook.check_rows() == []
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        columns = {name for _, name, *_ in connection.execute("PRAGMA table_info(grades)")}
    assert "seconds" in columns


def test_the_instructor_s_chinese_messages_are_chinese():
    import re

    from grader.messages.instructor import MESSAGES
    from tests.chinese import english_outside_code

    for key, entry in MESSAGES.items():
        sentence = re.sub(r"\{[^{}]*\}", "", entry["zh"])
        assert english_outside_code(sentence) == [], (key, entry["zh"])
