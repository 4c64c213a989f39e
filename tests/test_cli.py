"""The `grader` command as a student and CI use it: output, exit codes, reports."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOLUTIONS, all_alternatives, make_submission


def grader(*args, env=None, cwd=ROOT):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=120
    )


def test_stubs_show_not_implemented_and_exit_1():
    run = grader("check", "1.1", "2.2")
    assert run.returncode == 1
    assert "central_difference is not implemented yet" in run.stdout
    assert "linear_backward is not implemented yet" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert "Score: 0 / 10" in run.stdout


def test_solutions_exit_0():
    run = grader("check", "--solutions", "1.1", "5.2")
    assert run.returncode == 0, run.stdout
    assert "Score: 8 / 8" in run.stdout


def test_chinese_from_flag_and_from_locale():
    flag = grader("check", "1.1", "--lang", "zh")
    assert "central_difference 还没有实现" in flag.stdout
    locale = grader("check", "1.1", env={"LANG": "zh_CN.UTF-8"})
    assert "还没有实现" in locale.stdout
    english = grader("check", "1.1", "--lang", "en", env={"LANG": "zh_CN.UTF-8"})
    assert "not implemented yet" in english.stdout


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (("check", "9.9"), "Unknown task 9.9", "未知的任务 9.9"),
        (("check", "--submission", "/no/such/folder"), "does not exist", "不存在"),
        (("check", "--submission", str(SOLUTIONS / "sgd.py")), "is not a directory", "不是一个文件夹"),
        (("hint", "0.1"), "Unknown task 0.1", "未知的任务"),
        (("check", "--report", "/no/such/folder/results.json"), "Cannot write the report", "无法把报告写入"),
    ],
)
def test_usage_errors_exit_2_in_both_languages(args, english, chinese):
    run = grader(*args)
    assert run.returncode == 2
    assert english in run.stderr and chinese in run.stderr
    assert "Traceback" not in run.stderr


def test_report_is_gradescope_results_json(tmp_path, course):
    report = tmp_path / "results.json"
    run = grader("check", "--report", str(report))
    assert run.returncode == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["score"] == 0 and data["max_score"] == course.max_score
    # A test per task, and a second one at `after_due_date` for a task's hidden checks.
    assert list(dict.fromkeys(test["number"] for test in data["tests"])) == [task.id for task in course.tasks]
    for test in data["tests"]:
        assert set(test) >= {"number", "name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] == "failed" and test["score"] == 0
        if test["visibility"] == "visible":
            assert "not implemented yet" in test["output"]
        else:
            assert test["visibility"] == "after_due_date"
    assert not [p for p in tmp_path.iterdir() if p.name != "results.json"], "temporary files left behind"


def test_report_of_solutions_is_full(tmp_path, course):
    report = tmp_path / "results.json"
    run = grader("check", "--solutions", "--report", str(report))
    assert run.returncode == 0, run.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["score"] == data["max_score"] == course.max_score
    assert {test["status"] for test in data["tests"]} == {"passed"}


def test_an_answer_using_numpy_keeps_every_point_from_the_command_line(tmp_path):
    """The judge imports torch without its numpy bridge (grader.process); the task's process has it whole."""
    answer = next(alternative for _, alternative in all_alternatives() if alternative.name == "data_update_and_numpy_losses")
    submission = make_submission(tmp_path / "s", {"sgd": textwrap.dedent(answer.source)})
    run = grader("check", "--submission", str(submission), answer.task)
    assert run.returncode == 0, run.stdout
    assert "NumPy" not in run.stdout + run.stderr


def test_a_judge_without_the_numpy_bridge_can_still_import_numpy():
    probe = (
        "import sys; from grader.process import import_torch_for_judging; import_torch_for_judging(); "
        "assert 'numpy' not in sys.modules, 'numpy was imported with torch'; "
        "import numpy, torch; print(torch.tensor([1.5]).tolist(), numpy.float64(2.5) + 1)"
    )
    run = subprocess.run([sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["[1.5]", "3.5"]
    assert run.stderr == ""


def test_syntax_error_costs_only_that_module(tmp_path):
    submission = make_submission(tmp_path / "s", {"backprop": "def broken(:\n    pass\n"})
    run = grader("check", "--submission", str(submission), "2.1", "2.2", "1.1")
    assert run.returncode == 1
    assert "backprop.py cannot be imported: SyntaxError" in run.stdout
    assert "1.1 Slopes by central differences  4/4" in run.stdout
    assert "Traceback" not in run.stdout


def test_missing_function_and_missing_file(tmp_path):
    submission = make_submission(tmp_path / "s", {"derivatives": "del central_difference\n"})
    (submission / "sgd.py").unlink()
    run = grader("check", "--submission", str(submission), "1.1", "1.2", "4.1")
    assert run.returncode == 1
    assert "derivatives.py defines no central_difference" in run.stdout
    assert "The submission has no file sgd.py" in run.stdout
    assert "1.2 Gradients from autograd  4/4" in run.stdout


def test_hint_in_both_languages(course, tmp_path):
    task = course.task("2.2")
    folder = make_submission(tmp_path / "course" / "exercises", base=ROOT / "exercises").parent
    (folder / "course.toml").write_text((ROOT / "course.toml").read_text(encoding="utf-8"), encoding="utf-8")
    english = grader("hint", "2.2", cwd=folder)
    assert english.returncode == 0 and task.hints[0]["en"][:40] in english.stdout.replace("\n", " ")
    chinese = grader("hint", "2.2", "--lang", "zh", cwd=folder)
    assert task.title["zh"] in chinese.stdout and task.hints[1]["zh"][:20] in chinese.stdout


def test_list_shows_every_task(course):
    run = grader("list")
    assert run.returncode == 0
    for task in course.tasks:
        assert task.id in run.stdout
    assert "not implemented yet" in run.stdout


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "grader"
    run = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and "grader" in run.stdout


def test_sync_check_reports_no_drift():
    run = grader("dev", "sync", "--check")
    assert run.returncode == 0, run.stderr
