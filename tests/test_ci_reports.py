"""CI reports of `grader check`: JUnit XML, a Markdown summary, `--fail-under`, and the students' workflow."""

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree

import pytest
import yaml  # PyYAML comes with mkdocs (the docs extra)

from grader.paths import PACKAGE_DIR
from tests.conftest import ROOT, all_mutants, make_submission

WORKFLOW = PACKAGE_DIR / "templates" / "grade.yml"


def grader(*args, env=None, cwd=ROOT):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=300)


def test_junit_has_one_test_case_per_task_and_feedback_as_failure_message(tmp_path):
    junit, summary = tmp_path / "junit.xml", tmp_path / "summary.md"
    run = grader("check", "1.1", "2.2", "--junit", str(junit), "--summary", str(summary))
    assert run.returncode == 1
    suites = ElementTree.parse(junit).getroot()
    cases = suites.findall("./testsuite/testcase")
    assert [case.get("name").split()[0] for case in cases] == ["1.1", "2.2"]
    assert suites.get("tests") == "2" and suites.get("failures") == "2"
    failure = cases[0].find("failure")
    assert failure.get("message").startswith("central_difference is not implemented yet")
    assert "grader check 1.1" in failure.text
    table = summary.read_text(encoding="utf-8")
    assert "| 1.1 | Slopes by central differences | 0/4 |" in table and "Score: 0 / 10" in table


def test_solutions_pass_every_test_case(tmp_path):
    junit = tmp_path / "junit.xml"
    run = grader("check", "--solutions", "3.1", "4.3", "--junit", str(junit))
    assert run.returncode == 0, run.stdout
    root = ElementTree.parse(junit).getroot()
    assert root.get("failures") == "0" and not root.findall(".//failure")
    assert [p.get("value") for p in root.findall(".//property[@name='score']")] == ["6", "8"]


def test_partial_credit_is_a_failure_and_the_summary_shows_points(tmp_path):
    module, mutant = next((module, mutant) for module, mutant in all_mutants() if mutant.task == "4.3" and mutant.name == "caches_lr_at_construction")
    submission = make_submission(tmp_path / "s", {module: textwrap.dedent(mutant.source)})
    junit, summary = tmp_path / "junit.xml", tmp_path / "summary.md"
    run = grader("check", "--submission", str(submission), "4.3", "4.1", "--junit", str(junit), "--summary", str(summary), "--lang", "zh")
    assert run.returncode == 1
    root = ElementTree.parse(junit).getroot()
    failure = root.find(".//testcase/failure")
    assert failure is not None and failure.get("type") == "部分正确"
    score = next(case for case in root.iter("testcase") if "4.3" in case.get("name", "")).find(".//property[@name='score']").get("value")
    assert 0 < float(score) < 8  # partial credit, as the grader computed it
    assert f"| 4.3 | 带动量的 SGD 优化器 | {score}/8 | 🟡 部分正确 |" in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize(("percent", "code"), [("0", 0), ("26.5", 0), ("27", 1), ("100", 1)])
def test_fail_under_sets_the_exit_status(tmp_path, percent, code):
    # 1.1 solved, 4.1, 4.2 and 5.2 not implemented: 4 of 15 points, 26.7 %.
    submission = make_submission(tmp_path / "s")
    for name in ("sgd.py", "lr_decay.py"):
        (submission / name).write_text((ROOT / "exercises" / name).read_text(encoding="utf-8"))
    run = grader("check", "--submission", str(submission), "1.1", "4.1", "4.2", "5.2", "--fail-under", percent)
    assert "Score: 4 / 15" in run.stdout
    assert run.returncode == code, run.stdout


def test_bad_report_path_is_a_bilingual_usage_error():
    run = grader("check", "1.1", "--junit", "/no/such/folder/junit.xml")
    assert run.returncode == 2
    assert "Cannot write the report" in run.stderr and "无法把报告写入" in run.stderr


def test_students_workflow_grades_reports_and_fails_below_the_score(tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["grade"]["steps"]
    grade_step = next(step for step in steps if step.get("name") == "Grade")
    upload = next(step for step in steps if "upload-artifact" in step.get("uses", ""))
    assert upload["if"] == "always()" and {"results.json", "junit.xml"} <= set(upload["with"]["path"].split())
    assert "$GITHUB_STEP_SUMMARY" in grade_step["run"] and "--fail-under" in grade_step["run"]
    assert any("pip install" in step.get("run", "") and "-e ." in step.get("run", "") for step in steps)
    # The Grade step, run here on the stubs as it runs on a student's first push.
    for minimum, expected in (("0", 0), ("50", 1)):
        summary = tmp_path / f"summary-{minimum}.md"
        environment = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "MIN_SCORE": minimum, "FEEDBACK_LANG": "en",
                       "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}  # fmt: skip
        work = tmp_path / f"run-{minimum}"
        work.mkdir()
        for name in ("course.toml", "exercises"):
            os.symlink(ROOT / name, work / name)
        run = subprocess.run(["bash", "-e", "-c", grade_step["run"]], cwd=work, env=environment, capture_output=True, text=True, timeout=300)
        assert run.returncode == expected, run.stdout + run.stderr
        assert "| 6.3 |" in summary.read_text(encoding="utf-8")
        assert (work / "results.json").is_file() and (work / "junit.xml").is_file()
