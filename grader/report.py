"""Reports of a grading run, each written atomically: the Gradescope `results.json`,
JUnit XML (one test case per task) and a Markdown table of tasks and points."""

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
    from grader.grading import GradeResult

# The formats import the feedback (and so torch) when used: `write_atomically` alone stays light.


def gradescope(result: GradeResult, lang: str) -> dict[str, Any]:
    """The Gradescope autograder format: one test per task, `number` = task id."""
    from grader.feedback import task_output

    done = sum(task.passed for task in result.tasks)
    return {
        "score": result.score,
        "max_score": result.max_score,
        "output": text(
            "ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks)
        ),
        "visibility": "visible",
        "tests": [
            {
                "number": task.task.id,
                "name": task.task.title[lang],
                "score": task.score,
                "max_score": task.max_score,
                "status": "passed" if task.passed else "failed",
                "output": task_output(task, lang),
            }
            for task in result.tasks
        ],
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
    """JUnit XML: a test suite per unit, a test case per task; a task short of full
    points is a failure whose message is its first feedback sentence."""
    from grader.feedback import status_word, task_feedback, task_output

    failures = sum(not task.passed for task in result.tasks)
    seconds = sum(task.run.seconds for task in result.tasks)
    root = ElementTree.Element(
        "testsuites", name=suite_name, tests=str(len(result.tasks)), failures=str(failures), time=f"{seconds:.3f}"
    )
    suites: dict[int, ElementTree.Element] = {}
    for task_result in result.tasks:
        task = task_result.task
        suite = suites.get(task.unit)
        if suite is None:
            suite = suites[task.unit] = ElementTree.SubElement(root, "testsuite", name=f"{suite_name}.{task.module}", tests="0", failures="0", time="0")
        suite.set("tests", str(int(suite.get("tests")) + 1))
        suite.set("time", f"{float(suite.get('time')) + task_result.run.seconds:.3f}")
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"{suite_name}.{task.module}", name=_xml_text(f"{task.id} {task.title[lang]}"), time=f"{task_result.run.seconds:.3f}"
        )
        properties = ElementTree.SubElement(case, "properties")
        ElementTree.SubElement(properties, "property", name="score", value=f"{task_result.score:g}")
        ElementTree.SubElement(properties, "property", name="max_score", value=f"{task_result.max_score:g}")
        if not task_result.passed:
            suite.set("failures", str(int(suite.get("failures")) + 1))
            problems = task_feedback(task_result, lang)
            message = problems[0].message if problems else status_word(task_result, lang)
            failure = ElementTree.SubElement(case, "failure", message=_xml_text(message), type=status_word(task_result, lang))
            failure.text = _xml_text(task_output(task_result, lang))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


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
