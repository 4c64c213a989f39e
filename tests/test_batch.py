"""`grader grade`: batch grading into a gradebook, resumable, and safe against broken or hostile submissions."""

import csv
import fcntl
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
import zipfile
from pathlib import Path

import pytest

import grader.batch as batch
from grader.batch.gradebook import Gradebook
from grader.batch.submissions import files_hash
from grader.export.nbgrader import unit_notebook
from grader.grading import grade
from grader.hidden import hidden_tasks
from grader.paths import CHECKS_DIR
from grader.runner import wall_limit
from tests.conftest import EXERCISES, ROOT, SOLUTIONS, all_mutants, make_submission


def grader(*args, env=None, cwd=ROOT, timeout=600):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=timeout)


def mutant_source(task_id: str) -> tuple[str, str]:
    module, mutant = next((module, mutant) for module, mutant in all_mutants() if mutant.task == task_id)
    return module, textwrap.dedent(mutant.source)


def zip_folder(folder: Path, archive: Path, prefix: str) -> Path:
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.glob("*.py")):
            bundle.write(path, f"{prefix}/{path.name}")
    return archive


def rows(database: Path, query: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return list(connection.execute(query))


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """One batch over every kind of submission: folders, a zip of a cloned repository, broken ones."""
    root = tmp_path_factory.mktemp("batch")
    submissions = root / "submissions"
    make_submission(submissions / "alice")
    shutil.copytree(EXERCISES, submissions / "bob")
    module, source = mutant_source("2.2")
    make_submission(submissions / "dave", {module: source})
    zip_folder(make_submission(root / "carol"), submissions / "carol.zip", "descent-main/exercises")
    (submissions / "erin.zip").write_bytes(b"PK\x03\x04 this is no zip file")
    (submissions / "notes.txt").write_text("not a submission")
    run = grader("grade", str(submissions), "--out", str(root / "results"))
    return root, submissions, root / "results", run


def test_every_submission_gets_a_row_per_task(course, graded):
    _, _, results, run = graded
    assert run.returncode == 1, run.stdout + run.stderr  # erin's zip cannot be read
    assert "Traceback" not in run.stdout + run.stderr
    database = results / "gradebook.sqlite"
    assert rows(database, "PRAGMA integrity_check") == [("ok",)]
    students = dict(rows(database, "SELECT student, status FROM submissions"))
    assert students == {"alice": "graded", "bob": "graded", "carol": "graded", "dave": "graded", "erin": "ungradable"}
    for student in students:
        tasks = rows(database, f"SELECT task FROM grades WHERE student = '{student}'")
        assert sorted(task for (task,) in tasks) == sorted(task.id for task in course.tasks)
    assert "erin.zip cannot be read as a zip file" in run.stdout


def test_points_status_feedback_and_hash_match_the_grader(course, graded):
    root, submissions, results, _ = graded
    database = results / "gradebook.sqlite"
    points = {(s, t): (p, status, feedback, h) for s, t, p, status, feedback, h in rows(database, "SELECT student, task, points, status, feedback, files_hash FROM grades")}
    expected = {result.task.id: result for result in grade(course, submissions / "dave").tasks}
    for task_id, result in expected.items():
        got, status, feedback, digest = points[("dave", task_id)]
        assert got == result.score
        assert feedback.startswith(f"{task_id} ")
    assert points[("dave", "2.2")][1] == "partial" or points[("dave", "2.2")][0] == 0
    assert points[("alice", "1.1")][:2] == (4.0, "passed")
    assert points[("bob", "1.1")][:2] == (0.0, "todo") and "not implemented yet" in points[("bob", "1.1")][2]
    assert points[("erin", "1.1")][1] == "error"
    staged = root / "staged-alice"
    staged.mkdir()
    for path in (submissions / "alice").glob("*.py"):
        shutil.copy(path, staged / path.name)
    assert points[("alice", "1.1")][3] == files_hash(staged)
    assert points[("carol", "1.1")][3] == points[("alice", "1.1")][3]  # the same files, zipped two folders down


def test_csv_and_results_json(course, graded):
    _, _, results, _ = graded
    table = list(csv.reader(io.StringIO((results / "grades.csv").read_text(encoding="utf-8"))))
    assert table[0] == [
        "student", "status", "submitted_at", "days_late", *(task.id for task in course.tasks),
        "raw_total", "late_penalty_percent", "total", "overrides",
    ]  # fmt: skip
    by_student = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert sorted(by_student) == ["alice", "bob", "carol", "dave", "erin"]
    assert by_student["alice"]["total"] == f"{course.max_score:g}" and by_student["bob"]["total"] == "0"
    assert by_student["erin"]["status"] == "ungradable" and by_student["dave"]["status"] == "graded"
    for student in by_student:
        data = json.loads((results / "students" / student / "results.json").read_text(encoding="utf-8"))
        assert float(by_student[student]["total"]) == data["score"]
        assert list(dict.fromkeys(test["number"] for test in data["tests"])) == [task.id for task in course.tasks]
        assert data["stdout_visibility"] == "hidden" and "execution_time" in data
    assert not (results / ".staging").exists()
    assert not [path for path in results.rglob("*.tmp")]


def test_rerun_grades_only_what_changed(graded, tmp_path):
    _, original_submissions, original_results, _ = graded
    # Copies: the other tests of this module read the batch as it was graded.
    submissions = shutil.copytree(original_submissions, tmp_path / "submissions")
    results = shutil.copytree(original_results, tmp_path / "results")
    database = results / "gradebook.sqlite"
    before = dict(rows(database, "SELECT student, graded_at FROM submissions"))
    run = grader("grade", str(submissions), "--out", str(results))
    assert "0 graded, 5 unchanged" in run.stdout, run.stdout
    time.sleep(1.1)  # graded_at has whole seconds
    (submissions / "bob" / "derivatives.py").write_text((SOLUTIONS / "derivatives.py").read_text(encoding="utf-8"))
    run = grader("grade", str(submissions), "--out", str(results))
    assert "1 graded, 4 unchanged" in run.stdout, run.stdout
    after = dict(rows(database, "SELECT student, graded_at FROM submissions"))
    assert [student for student in after if after[student] != before[student]] == ["bob"]
    assert rows(database, "SELECT points FROM grades WHERE student = 'bob' AND task = '1.1'") == [(4.0,)]


def test_nbgrader_submitted_folders(course, tmp_path):
    notebook_course = tmp_path / "course"
    for unit in course.units:
        notebook = unit_notebook(course, unit, (SOLUTIONS / f"{unit.module}.py").read_text(encoding="utf-8"), hidden_tasks(CHECKS_DIR, course.modules))
        target = notebook_course / "submitted" / "frank" / unit.module / f"{unit.module}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(notebook), encoding="utf-8")
    broken = notebook_course / "submitted" / "gina" / "sgd" / "sgd.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{ this is not json")
    run = grader("grade", str(notebook_course), "--out", str(tmp_path / "results"))
    assert "Traceback" not in run.stdout + run.stderr
    scores = dict(rows(tmp_path / "results" / "gradebook.sqlite", "SELECT student, score FROM submissions"))
    assert scores == {"frank": course.max_score, "gina": 0.0}
    assert "sgd.ipynb is not a readable Jupyter notebook" in run.stdout


HOSTILE = {
    # Loops forever when imported: every task of the module times out.
    "derivatives": "while True:\n    pass\n",
    # Floods its output, tries to write over the gradebook and to stop the grader.
    "backprop": textwrap.dedent(
        """
        import glob, os, signal, sys
        # Where a gradebook would be: the temporary folders and the folder above this one (walking
        # the whole file system would use up the task's CPU seconds before the rest of the attack).
        places = ["/tmp", "/var/tmp"] + [os.path.dirname(os.getcwd())] * (os.path.dirname(os.getcwd()) != "/")
        for path in [found for place in places for found in glob.glob(place + "/**/gradebook.sqlite", recursive=True)][:5]:
            try:
                open(path, "wb").write(b"owned")
            except OSError:
                pass
        try:
            os.kill(os.getppid(), signal.SIGKILL)
        except OSError:
            pass
        sys.stdout.write("x" * (4 << 20))
        """
    ),
    # Ends its process at import.
    "sgd": "import os\nos._exit(3)\n",
}


def test_a_hostile_submission_costs_only_its_own_row(course, tmp_path):
    submissions = tmp_path / "submissions"
    make_submission(submissions / "good")
    make_submission(submissions / "hostile", HOSTILE)
    with zipfile.ZipFile(submissions / "sneaky.zip", "w") as bundle:
        bundle.writestr("../../escaped.py", "print('outside')")
        bundle.writestr("/abs/derivatives.py", "x = 1")
        for path in sorted(SOLUTIONS.glob("*.py")):
            bundle.write(path, f"work/{path.name}")
    run = grader("grade", str(submissions), "--out", str(tmp_path / "results"), "--timeout", "1")
    assert "Traceback" not in run.stdout + run.stderr
    database = tmp_path / "results" / "gradebook.sqlite"
    assert rows(database, "PRAGMA integrity_check") == [("ok",)]
    scores = dict(rows(database, "SELECT student, score FROM submissions"))
    assert scores["good"] == scores["sneaky"] == course.max_score
    hostile = dict(rows(database, "SELECT task, points FROM grades WHERE student = 'hostile'"))
    for task in course.tasks:
        if task.module in HOSTILE:
            assert hostile[task.id] == 0, task.id
        else:
            assert hostile[task.id] == task.points, task.id
    assert not list(tmp_path.rglob("escaped.py"))


# A stand-in worker: hangs on one student, dies on another, grades the rest like the real one.
STAND_IN_WORKER = """
import json, os, sys, time
from pathlib import Path
from grader.batch.worker import grade_folder
from grader.grading import load_checks
from grader.manifest import course
from grader.runner import Runner
import torch

torch.set_num_threads(1)  # as the real worker (grader.batch.worker.WarmGrader)
runner = Runner(units=list(course().modules), workers=1)  # warm before it says so, as the real worker is
load_checks(course())
print(json.dumps({"ready": True, "mode": runner.mode, "contained": runner.contained}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if request["student"] == "hangs":
        time.sleep(3600)
    if request["student"] == "dies":
        os._exit(1)
    print(json.dumps(grade_folder(Path(request["folder"]), "en", None, runner)), flush=True)
"""


def test_a_worker_that_hangs_or_dies_costs_only_that_student(course, tmp_path, monkeypatch):
    submissions = tmp_path / "submissions"
    for student in ("dies", "hangs", "zeta"):
        make_submission(submissions / student)
    stand_in = tmp_path / "worker.py"
    stand_in.write_text(STAND_IN_WORKER)
    monkeypatch.setattr(batch, "WORKER_COMMAND", [sys.executable, str(stand_in)])
    # A 15 s budget per submission: the honest one takes a second or two, even on a busy machine.
    monkeypatch.setattr(batch, "BUDGET_MARGIN", 15.0 - len(course.tasks) * wall_limit(1.0))
    umask = os.umask(0o022)
    try:
        report = batch.main(submissions, tmp_path / "results", course, workers=1, timeout=1.0)
        assert os.umask(0o022) == 0o022, "the batch left its private umask in the caller's process"
    finally:
        os.umask(umask)
    assert sorted(student for student, _ in report.errors) == ["dies", "hangs"], report.errors
    assert "longer than 15 s" in dict(report.errors)["hangs"]
    with Gradebook(tmp_path / "results" / "gradebook.sqlite") as gradebook:
        statuses = {student: status for student, status, _ in gradebook.students()}
        points = gradebook.points()
    assert statuses == {"dies": "error", "hangs": "error", "zeta": "graded"}
    assert sum(points["zeta"].values()) == course.max_score and sum(points["hangs"].values()) == 0


def _workers_marked(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_killed_mid_run_loses_nothing_and_resumes(course, tmp_path):
    submissions = tmp_path / "submissions"
    for number in range(8):
        module, source = mutant_source(f"1.{number % 3 + 1}")
        make_submission(submissions / f"student{number}", {module: source} if number % 2 else None)
    results = tmp_path / "results"
    database = results / "gradebook.sqlite"
    marker = f"DESCENT_BATCH_TEST={uuid.uuid4()}"
    name, value = marker.split("=")
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", name: value}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", str(submissions), "--out", str(results), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    recorded = 0
    while time.monotonic() < deadline and process.poll() is None:
        if database.exists():
            try:
                recorded = rows(database, "SELECT count(*) FROM submissions")[0][0]
            except sqlite3.Error:
                recorded = 0
            if recorded >= 2:
                break
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    for _ in range(100):  # the workers die with the batch
        if not _workers_marked(marker):
            break
        time.sleep(0.05)
    assert _workers_marked(marker) == []
    assert rows(database, "PRAGMA integrity_check") == [("ok",)]
    kept = dict(rows(database, "SELECT student, graded_at FROM submissions"))
    assert 2 <= len(kept) < 8
    for student in kept:  # each recorded student is complete
        assert rows(database, f"SELECT count(*) FROM grades WHERE student = '{student}'") == [(len(course.tasks),)]

    run = grader("grade", str(submissions), "--out", str(results))
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{8 - len(kept)} graded, {len(kept)} unchanged" in run.stdout
    after = dict(rows(database, "SELECT student, graded_at FROM submissions"))
    assert len(after) == 8 and all(after[student] == kept[student] for student in kept)
    table = (results / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(table) == 9


@pytest.mark.parametrize(
    ("arguments", "english", "chinese"),
    [
        (("grade", "/no/such/folder", "--out", "{tmp}/out"), "does not exist or cannot be read", "不存在或无法读取"),
        (("grade", "{tmp}/subs", "--out", "{tmp}/subs/out"), "is inside the submissions folder", "位于提交文件夹之内"),
        (("grade", "{tmp}/subs", "--out", "{tmp}/file.txt"), "Cannot write the results", "无法把结果写入"),
        (("grade", "{tmp}/subs", "--out", "{tmp}/badbook"), "cannot be used as the gradebook", "不能用作成绩册"),
    ],
)
def test_bad_input_is_a_bilingual_usage_error(tmp_path, arguments, english, chinese):
    make_submission(tmp_path / "subs" / "someone")
    (tmp_path / "file.txt").write_text("a file")
    (tmp_path / "badbook").mkdir()
    (tmp_path / "badbook" / "gradebook.sqlite").write_bytes(b"this is not a database" * 100)
    run = grader(*(argument.format(tmp=tmp_path) for argument in arguments))
    assert run.returncode == 2, run.stdout + run.stderr
    assert english in run.stderr and chinese in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "subs" / "out").exists()


def test_two_batches_never_write_the_same_results_at_once(course, tmp_path):
    make_submission(tmp_path / "subs" / "someone")
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = grader("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert "Another `grader grade` is writing" in run.stderr and "另一个 `grader grade` 正在写入" in run.stderr
