"""`grader gradescope`: the autograder bundle, run locally the way Gradescope runs it.

Gradescope unpacks the bundle into /autograder/source, runs setup.sh once,
copies run_autograder to /autograder/run_autograder and runs it for each
submission, which it puts in /autograder/submission. Here the root is a
temporary folder (AUTOGRADER_ROOT) and the Python is this interpreter
(AUTOGRADER_PYTHON) instead of the virtual environment setup.sh builds.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import zipfile

import pytest

from grader.grading import grade
from tests.conftest import ROOT, SOLUTIONS, all_mutants, make_submission


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    run = subprocess.run(
        [sys.executable, "-m", "grader", "gradescope", str(path)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": ""}, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return path


def run_autograder(bundle, root, submission_files: dict[str, str] | None = None, submission_dir=None):
    """Lay out an autograder root like Gradescope's, run run_autograder, return results.json."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        path = root / "source" / name
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    if submission_dir is not None:
        shutil.copytree(submission_dir, root / "submission")
    else:
        (root / "submission").mkdir()
        for name, text in (submission_files or {}).items():
            (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "submission" / name).write_text(text, encoding="utf-8")
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable, "LANG": "C.UTF-8", "LC_ALL": ""}
    environment.pop("PYTHONPATH", None)
    run = subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, env=environment, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_bundle_holds_the_scripts_and_the_course_without_answers(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "course.toml", "pyproject.toml", "grader/cli.py", "grader/checks/test_sgd.py"} <= names
    assert not [name for name in names if name.startswith(("solutions/", "tests/", "exercises/")) or "__pycache__" in name]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    with zipfile.ZipFile(bundle) as archive:
        setup = archive.read("setup.sh").decode()
    assert subprocess.run(["bash", "-n", "-c", setup]).returncode == 0
    assert "AUTOGRADER_ROOT" in setup


def test_correct_submission_gets_full_points(course, bundle, tmp_path):
    files = {path.name: path.read_text(encoding="utf-8") for path in SOLUTIONS.glob("*.py")}
    results = run_autograder(bundle, tmp_path / "autograder", files)
    assert results["score"] == results["max_score"] == course.max_score
    assert list(dict.fromkeys(test["number"] for test in results["tests"])) == [task.id for task in course.tasks]
    assert {test["status"] for test in results["tests"]} == {"passed"}
    assert_gradescope_fields(course, results)


def assert_gradescope_fields(course, results):
    """The fields Gradescope documents: run time, formats, the program's output hidden, hidden checks after the due date."""
    from grader.hidden import hidden_tasks
    from grader.paths import CHECKS_DIR

    assert isinstance(results["execution_time"], int | float) and results["execution_time"] > 0
    assert results["output_format"] == results["test_output_format"] == "text"
    assert results["stdout_visibility"] == "hidden" and results["visibility"] == "visible"
    hidden = set(hidden_tasks(CHECKS_DIR, course.modules))
    assert hidden
    later = {test["number"] for test in results["tests"] if test["visibility"] == "after_due_date"}
    assert later == hidden
    assert {test["visibility"] for test in results["tests"]} == {"visible", "after_due_date"}
    for task in course.tasks:
        own = [test for test in results["tests"] if test["number"] == task.id]
        assert len(own) == (2 if task.id in hidden else 1)
        assert round(sum(test["max_score"] for test in own), 2) == task.points
        assert all(test["output_format"] == "text" for test in own)


def test_wrong_submission_gets_the_grader_s_points_and_feedback(course, bundle, tmp_path):
    module, mutant = next((module, mutant) for module, mutant in all_mutants() if mutant.task == "3.1")
    # Submitted as a cloned repository: the modules sit in exercises/.
    repository = tmp_path / "repository"
    make_submission(repository / "exercises", {module: textwrap.dedent(mutant.source)})
    (repository / "README.md").write_text("my work")
    results = run_autograder(bundle, tmp_path / "autograder", submission_dir=repository)
    expected = grade(course, repository / "exercises")
    assert results["score"] == expected.score < course.max_score
    for task_result in expected.tasks:
        own = [test for test in results["tests"] if test["number"] == task_result.task.id]
        assert round(sum(test["score"] for test in own), 2) == task_result.score
    wrong = [test for test in results["tests"] if test["number"] == "3.1"]
    assert "failed" in {test["status"] for test in wrong}
    assert mutant.feedback.lower() in " ".join(test["output"] for test in wrong).lower()
    assert_gradescope_fields(course, results)


def test_empty_submission_still_writes_results(bundle, tmp_path):
    results = run_autograder(bundle, tmp_path / "autograder", {"notes.txt": "I forgot my files"})
    assert results["score"] == 0
    assert "No module of the course" in results["output"] and "没有找到课程的任何模块" in results["output"]
