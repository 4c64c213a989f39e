"""CI reports of `grader check`: JUnit XML, a Markdown summary, `--fail-under`, and the students' workflow."""

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree

import pytest
import xmlschema
import yaml  # PyYAML comes with mkdocs (the docs extra)

from grader.paths import PACKAGE_DIR
from tests.conftest import ROOT, all_mutants, make_submission

WORKFLOW = PACKAGE_DIR / "templates" / "grade.yml"
JUNIT_SCHEMA = ROOT / "tests" / "data" / "junit.xsd"  # Jenkins' JUnit schema (junit-10.xsd), as Surefire writes it


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
    assert [root.find(f".//property[@name='points.{task}']").get("value") for task in ("3.1", "4.3")] == ["6", "8"]
    assert [root.find(f".//property[@name='max_points.{task}']").get("value") for task in ("3.1", "4.3")] == ["6", "8"]


def test_junit_is_valid_against_the_common_schema(tmp_path):
    schema = xmlschema.XMLSchema(JUNIT_SCHEMA)
    module, mutant = next((module, mutant) for module, mutant in all_mutants() if mutant.task == "4.3")
    submission = make_submission(tmp_path / "s", {module: textwrap.dedent(mutant.source)})
    junit = tmp_path / "junit.xml"
    run = grader("check", "--submission", str(submission), "1.1", "2.2", "4.3", "6.2", "--junit", str(junit), "--lang", "zh")
    assert run.returncode == 1, run.stdout + run.stderr
    errors = list(schema.iter_errors(str(junit)))
    assert errors == [], "\n".join(str(error) for error in errors[:5])
    root = ElementTree.parse(junit).getroot()
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["Descent.derivatives", "Descent.backprop", "Descent.sgd", "Descent.training_loop"]
    assert all(suite.get("errors") == "0" and suite.find("testcase/properties") is None for suite in suites)
    assert root.get("tests") == "4" and root.get("failures") == "1" and root.get("errors") == "0"
    # The schema is no rubber stamp: the old layout (properties inside a test case, no errors count) fails it.
    broken = ElementTree.fromstring(junit.read_text(encoding="utf-8"))
    for suite in broken.iter("testsuite"):
        del suite.attrib["errors"]
        ElementTree.SubElement(suite.find("testcase"), "properties")
    assert len(list(schema.iter_errors(ElementTree.tostring(broken, encoding="unicode")))) >= 8


def test_partial_credit_is_a_failure_and_the_summary_shows_points(tmp_path):
    module, mutant = next((module, mutant) for module, mutant in all_mutants() if mutant.task == "4.3" and mutant.name == "caches_lr_at_construction")
    submission = make_submission(tmp_path / "s", {module: textwrap.dedent(mutant.source)})
    junit, summary = tmp_path / "junit.xml", tmp_path / "summary.md"
    run = grader("check", "--submission", str(submission), "4.3", "4.1", "--junit", str(junit), "--summary", str(summary), "--lang", "zh")
    assert run.returncode == 1
    failure = ElementTree.parse(junit).getroot().find(".//testcase/failure")
    assert failure is not None and failure.get("type") == "部分正确"
    from grader.grading import grade
    from grader.manifest import course

    (expected,) = grade(course(), submission, ["4.3"]).tasks
    assert 0 < expected.score < 8
    assert "| 4.3 |" in summary.read_text(encoding="utf-8") and f"{expected.score:g}/8" in summary.read_text(encoding="utf-8")


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


WORKFLOWS = [WORKFLOW, *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
PINNED = {
    "actions/checkout": "d23441a48e516b6c34aea4fa41551a30e30af803",  # v6.1.0
    "actions/setup-python": "ece7cb06caefa5fff74198d8649806c4678c61a1",  # v6.3.0
    "actions/upload-artifact": "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",  # v7.0.0
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_pin_actions_by_commit_and_keep_no_credentials(path):
    import re

    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    top = workflow.get("permissions")
    assert top is not None, "no top-level permissions: the token gets the repository's defaults"
    assert top == {} or set(top.values()) == {"read"}, top
    uses = 0
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", top)
        writes = {scope for scope, level in (granted or {}).items() if level == "write"}
        assert writes <= {"pages", "id-token"} and (not writes or name == "deploy"), (name, granted)
        for step in job.get("steps", []):
            action = step.get("uses")
            if action is None:
                continue
            uses += 1
            repository, _, ref = action.partition("@")
            assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned by commit"
            if repository in PINNED:
                assert ref == PINNED[repository], action
            if repository == "actions/checkout":
                assert step.get("with", {}).get("persist-credentials") is False, f"{name}: checkout keeps the token"
    assert uses > 0
