"""The student's loop: progress, `grader next`, `grader reset`, `grader watch`, stable grades."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.feedback import task_feedback
from grader.grading import grade
from grader.watch import changed_tasks
from tests.conftest import EXERCISES, ROOT, SOLUTIONS, make_submission


def _course_copy(folder: Path, base: Path = SOLUTIONS) -> Path:
    """A student's clone: course.toml and an exercises/ folder (here: a copy of `base`)."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    shutil.copytree(base, folder / "exercises")
    return folder


def _grader(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=folder, capture_output=True, text=True, env=environment, input=stdin, timeout=120
    )


def _stub_of(name: str, module: str) -> str:
    """Replace one function of a copied solution module by the stub's version."""
    from grader.reset import replace_definitions

    return replace_definitions((SOLUTIONS / f"{module}.py").read_text(), (EXERCISES / f"{module}.py").read_text(), (name,))


def test_check_remembers_points_and_first_solved_time(tmp_path):
    folder = _course_copy(tmp_path / "course")
    (folder / "exercises" / "sgd.py").write_text(_stub_of("mse", "sgd"), encoding="utf-8")
    assert _grader(folder, "check", "4.1", "4.2").returncode == 1
    progress = json.loads((folder / ".grader" / "progress.json").read_text())["tasks"]
    assert progress["4.1"]["points"] == 0 and "first_solved" not in progress["4.1"]
    assert progress["4.2"]["points"] == progress["4.2"]["max_points"] == 4
    first = progress["4.2"]["first_solved"]
    time.sleep(1.1)
    _grader(folder, "check", "4.2")
    again = json.loads((folder / ".grader" / "progress.json").read_text())["tasks"]
    assert again["4.2"]["first_solved"] == first
    assert again["4.2"]["last_checked"] >= first


def test_next_names_the_first_unfinished_task_with_its_statement(tmp_path):
    folder = _course_copy(tmp_path / "course")
    (folder / "exercises" / "lr_decay.py").write_text(_stub_of("minimize", "lr_decay"), encoding="utf-8")
    run = _grader(folder, "next")
    assert run.returncode == 1
    assert "Next: task 5.3" in run.stdout
    assert "exercises/lr_decay.py:" in run.stdout
    assert "Gradient descent on `f` from `start`" in run.stdout
    assert "grader check 5.3" in run.stdout


def test_next_when_everything_is_solved(tmp_path):
    run = _grader(_course_copy(tmp_path / "course"), "next")
    assert run.returncode == 0 and "Every task is solved" in run.stdout


def test_reset_restores_one_task_and_keeps_a_backup(tmp_path, course):
    folder = _course_copy(tmp_path / "course")
    solved = (folder / "exercises" / "sgd.py").read_text()
    declined = _grader(folder, "reset", "4.3", stdin="n\n")
    assert declined.returncode == 1 and "Nothing was changed" in declined.stdout
    assert (folder / "exercises" / "sgd.py").read_text() == solved

    run = _grader(folder, "reset", "4.3", "--yes")
    assert run.returncode == 0, run.stderr
    backups = list((folder / ".grader" / "backups").glob("sgd-*.py"))
    assert len(backups) == 1 and backups[0].read_text() == solved
    result = grade(course, folder / "exercises", ["4.2", "4.3"])
    assert [(r.task.id, r.passed, r.not_implemented) for r in result.tasks] == [("4.2", True, False), ("4.3", False, True)]


def test_reset_of_a_file_that_does_not_parse_restores_the_whole_stub(tmp_path):
    folder = _course_copy(tmp_path / "course")
    (folder / "exercises" / "derivatives.py").write_text("def broken(:\n", encoding="utf-8")
    assert _grader(folder, "reset", "1.2", "--yes").returncode == 0
    assert (folder / "exercises" / "derivatives.py").read_text() == (EXERCISES / "derivatives.py").read_text()


def test_changed_tasks_follow_the_edited_function(course):
    source = (SOLUTIONS / "sgd.py").read_text()
    edited = source.replace("return ((y_hat - y) ** 2).mean()", "return ((y_hat - y) ** 2).sum()")
    assert changed_tasks(course, "sgd", source, edited) == ["4.1"]
    assert changed_tasks(course, "sgd", source, "import math\n" + source) == ["4.1", "4.2", "4.3", "4.4"]
    assert changed_tasks(course, "sgd", source, source + "\ndef broken(:\n") == ["4.1", "4.2", "4.3", "4.4"]
    assert changed_tasks(course, "sgd", source, source) == []


def test_watch_checks_the_task_of_a_saved_file(tmp_path):
    folder = _course_copy(tmp_path / "course")
    environment = {**os.environ, "LANG": "en_US.UTF-8", "COLUMNS": "200"}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    try:
        assert "Ctrl+C" in watcher.stdout.readline()
        target = folder / "exercises" / "sgd.py"
        target.write_text(target.read_text().replace("return ((y_hat - y) ** 2).mean()", "return ((y_hat - y) ** 2).sum()"))
        lines = []
        while not any(line.startswith("Score:") for line in lines):
            lines.append(watcher.stdout.readline())
        text = "".join(lines)
        assert "sgd.py saved: checked 4.1" in text
        assert "times too large" in text and "Score: 0 / 3" in text
    finally:
        watcher.terminate()
        watcher.wait(timeout=20)


@pytest.fixture(scope="module")
def flawed_submission(tmp_path_factory):
    """A submission with several kinds of mistakes at once."""
    from tests.conftest import all_mutants

    changes: dict[str, str] = {}
    seen_tasks = set()
    for module, mutant in all_mutants():
        if mutant.task not in seen_tasks:
            seen_tasks.add(mutant.task)
            import textwrap

            changes[module] = changes.get(module, "") + "\n\n" + textwrap.dedent(mutant.source)
    return make_submission(tmp_path_factory.mktemp("flawed"), changes)


def test_regrades_give_identical_points_and_messages(course, flawed_submission, runner):
    """Fresh workers (a new process each time) and one warm worker reused: the same points and words."""

    def snapshot(shared=None):
        result = grade(course, flawed_submission, runner=shared)
        return [
            (r.task.id, r.score, [(f.message, f.advice) for lang in ("en", "zh") for f in task_feedback(r, lang)])
            for r in result.tasks
        ]

    first = snapshot()
    assert any(score < course.task(task_id).points for task_id, score, _ in first)
    assert snapshot() == first
    for _ in range(4):
        assert snapshot(runner) == first
