"""Reports of a grading run, each written atomically: the Gradescope `results.json`,
JUnit XML (one test case per task) and a Markdown table of tasks and points.
(The class report of a batch is `grader.batch.class_report`.)"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.messages import text

if TYPE_CHECKING:
    from grader.grading import GradeResult, TaskResult

# The formats import the feedback (and so torch) when used: `write_atomically` alone stays light.


def _part_status(part: TaskResult, lang: str) -> str:
    from grader.feedback import status_word

    return status_word(part, lang)


def _part_output(task_result: TaskResult, part: TaskResult, score: float, max_score: float, lang: str, with_program_output: bool) -> str:
    """The feedback of some of a task's checks (all, the visible or the hidden ones), as `task_output` writes it."""
    from grader.feedback import task_feedback

    task = task_result.task
    lines = [f"{task.id} {task.title[lang]}: {_part_status(part, lang)} ({score:g}/{max_score:g})"]
    for feedback in task_feedback(part, lang):
        lines.append(f"- {feedback.message}")
        lines.append(f"  {feedback.advice}")
    if with_program_output and task_result.run.output.strip() and not task_result.passed:
        lines.append(text("ui_output", lang))
        lines.append(task_result.run.output.rstrip())
    return "\n".join(lines)


def gradescope_tests(task_result: TaskResult, lang: str) -> list[dict[str, Any]]:
    """A task's Gradescope tests: one, or two when some of its checks are hidden.

    The hidden checks' share of the points, their feedback and their status
    are a test of their own at `after_due_date`, so that nothing of them shows
    before the due date; the visible checks' test is visible at once. The two
    scores add up to the task's.
    """
    from grader.grading import TaskResult

    task = task_result.task
    hidden = [check for check in task_result.checks if check.hidden]
    visible = [check for check in task_result.checks if not check.hidden]
    parts: list[tuple[list, str, str]] = []  # (checks, name, visibility)
    if hidden and visible:
        parts = [(visible, task.title[lang], "visible"), (hidden, text("instructor_hidden_checks_test", lang, title=task.title[lang]), "after_due_date")]
    elif hidden:
        parts = [(hidden, text("instructor_hidden_checks_test", lang, title=task.title[lang]), "after_due_date")]
    else:
        parts = [(task_result.checks, task.title[lang], "visible")]
    total_weight = sum(check.weight for check in task_result.checks)
    tests = []
    score_left, max_left = task_result.score, float(task.points)
    for number, (checks, name, visibility) in enumerate(parts):
        if number == len(parts) - 1:
            score, max_score = round(score_left, 2), round(max_left, 2)  # the last part takes what rounding left
        elif total_weight:
            score = round(task.points * sum(c.weight for c in checks if c.passed) / total_weight, 2)
            max_score = round(task.points * sum(c.weight for c in checks) / total_weight, 2)
        else:
            score, max_score = 0.0, 0.0
        score_left, max_left = score_left - score, max_left - max_score
        part = TaskResult(task, task_result.run, list(checks))
        tests.append(
            {
                "number": task.id,
                "name": name,
                "score": score,
                "max_score": max_score,
                "status": "passed" if part.passed else "failed",
                "output": _part_output(task_result, part, score, max_score, lang, with_program_output=visibility == "visible"),
                "output_format": "text",
                "visibility": visibility,
            }
        )
    return tests


def gradescope(result: GradeResult, lang: str) -> dict[str, Any]:
    """The Gradescope autograder format: a test per task (two for a task with hidden checks, see
    `gradescope_tests`), `number` = task id; the run's own output stays hidden from students."""
    done = sum(task.passed for task in result.tasks)
    seconds = result.timings.get("grading") or sum(task.run.seconds for task in result.tasks)
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(seconds, 2),
        "output": text(
            "ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks)
        ),
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [test for task in result.tasks for test in gradescope_tests(task, lang)],
    }


def write_atomically(path: Path, content: str) -> None:
    """Write `content` to `path` through a temporary file and a rename:
    a reader sees the old file or the whole new one, never half of it."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)  # a file written anew keeps its permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new file gets what open() would give it
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_gradescope(result: GradeResult, path: Path, lang: str) -> None:
    write_atomically(path, json.dumps(gradescope(result, lang), ensure_ascii=False, indent=2) + "\n")


# Characters XML 1.0 cannot hold (a student's program may print anything).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def junit_xml(result: GradeResult, lang: str, suite_name: str = "Descent") -> str:
    """JUnit XML: a test suite per unit, a test case per task.

    Valid against the common JUnit schemas (Jenkins' junit-10.xsd, which
    pytest's own tests use, and the stricter Apache Ant one): the points are
    properties of each suite (`points.<task>`, `max_points.<task>`), a task
    short of full points is a `failure` whose message is its first feedback
    sentence, and a task whose checks themselves broke is an `error`.
    """
    import socket
    from datetime import datetime

    from grader.feedback import status_word, task_feedback, task_output

    failures_in_all = sum(1 for t in result.tasks if not t.passed and not _grader_broke(t))
    errors_in_all = sum(1 for t in result.tasks if _grader_broke(t))
    root = ElementTree.Element(
        "testsuites", name=suite_name, tests=str(len(result.tasks)), failures=str(failures_in_all), errors=str(errors_in_all),
        time=f"{sum(t.run.seconds for t in result.tasks):.3f}",
    )  # fmt: skip
    timestamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
    hostname = socket.gethostname() or "localhost"
    by_unit: dict[int, list] = {}
    for task_result in result.tasks:
        by_unit.setdefault(task_result.task.unit, []).append(task_result)
    for number, (_unit, task_results) in enumerate(by_unit.items()):
        module = task_results[0].task.module
        failures = sum(1 for t in task_results if not t.passed and not _grader_broke(t))
        errors = sum(1 for t in task_results if _grader_broke(t))
        suite = ElementTree.SubElement(
            root, "testsuite", name=f"{suite_name}.{module}", package=suite_name, id=str(number), timestamp=timestamp, hostname=hostname,
            tests=str(len(task_results)), failures=str(failures), errors=str(errors), skipped="0",
            time=f"{sum(t.run.seconds for t in task_results):.3f}",
        )  # fmt: skip
        properties = ElementTree.SubElement(suite, "properties")
        ElementTree.SubElement(properties, "property", name="points", value=f"{sum(t.score for t in task_results):g}")
        ElementTree.SubElement(properties, "property", name="max_points", value=f"{sum(t.max_score for t in task_results):g}")
        for task_result in task_results:
            ElementTree.SubElement(properties, "property", name=f"points.{task_result.task.id}", value=f"{task_result.score:g}")
            ElementTree.SubElement(properties, "property", name=f"max_points.{task_result.task.id}", value=f"{task_result.max_score:g}")
        for task_result in task_results:
            task = task_result.task
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{suite_name}.{task.module}", name=_xml_text(f"{task.id} {task.title[lang]}"),
                time=f"{task_result.run.seconds:.3f}",
            )  # fmt: skip
            if not task_result.passed:
                problems = task_feedback(task_result, lang)
                message = problems[0].message if problems else status_word(task_result, lang)
                kind = "error" if _grader_broke(task_result) else "failure"
                failure = ElementTree.SubElement(case, kind, message=_xml_text(message), type=status_word(task_result, lang))
                failure.text = _xml_text(task_output(task_result, lang))
        ElementTree.SubElement(suite, "system-out").text = ""
        ElementTree.SubElement(suite, "system-err").text = ""
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _grader_broke(task_result: TaskResult) -> bool:
    """Did the checks themselves fail (a grader error), rather than the submission?"""
    return any(check.failure is not None and check.failure.key == "grader_error" for check in task_result.failures)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown_summary(result: GradeResult, lang: str, title: str = "Descent") -> str:
    """A Markdown table of tasks and points, for a CI job summary."""
    from grader.feedback import status_word

    done = sum(task.passed for task in result.tasks)
    score = text("ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks))
    lines = [
        f"### {title}: {score}",
        "",
        "| " + " | ".join(text(key, lang) for key in ("ui_column_task", "ui_column_title", "ui_column_points", "ui_column_status")) + " |",
        "| --- | --- | ---: | --- |",
    ]
    for task_result in result.tasks:
        mark = "✅" if task_result.passed else ("🟡" if task_result.score > 0 else "❌")
        lines.append(
            f"| {task_result.task.id} | {_cell(task_result.task.title[lang])} | {task_result.score:g}/{task_result.max_score:g} "
            f"| {mark} {_cell(status_word(task_result, lang))} |"
        )
    return "\n".join(lines) + "\n"


def write_junit(result: GradeResult, path: Path, lang: str) -> None:
    write_atomically(path, junit_xml(result, lang))


def write_summary(result: GradeResult, path: Path, lang: str) -> None:
    write_atomically(path, markdown_summary(result, lang))
