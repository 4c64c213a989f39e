"""Grading inside a Jupyter notebook: what the autograder cells of the nbgrader export call.

A unit's notebook defines its tasks' functions in cells. The autograder cell
of a task runs `grade_task("1.1")`, which

1. gathers the definitions the notebook has run so far: imports, functions,
   classes and plain constants (never scratch code such as calls, prints or
   loops, so trying a function out in a cell costs nothing);
2. writes them to `<module>.py` in a temporary folder;
3. grades the task there with the course's own checks, exactly as
   `grader check 1.1` grades `exercises/<module>.py`;
4. prints the feedback and returns the task's points.

The cell's value is those points: nbgrader takes a number shown by an
autograder cell as the cell's partial credit, so its points per task are the
grader's, partial credit included.
"""

from __future__ import annotations

import ast
import contextlib
import io
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path

from grader.manifest import course as current_course
from grader.messages import detect_language, text

# Autograder cells import this module: that is how they are told apart from the student's cells.
AUTOGRADER_MARK = "grader.notebook"

_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# The feedback each task's cell already showed in its current run, so that its hidden tests add only what is new.
_shown: dict[str, tuple[int, set[str]]] = {}


class NotebookError(RuntimeError):
    """`grade_task` cannot grade (unknown task, not in a notebook); the message is bilingual."""


def _keeps(node: ast.stmt) -> bool:
    if isinstance(node, _DEFINITIONS):
        return True
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        # A constant (`LR = 0.1`, `_Base = SGD`); an assignment that calls something is scratch work.
        return not any(isinstance(inner, ast.Call | ast.Await | ast.Yield | ast.YieldFrom) for inner in ast.walk(node.value))
    return False


def _segment(source: str, lines: list[str], node: ast.stmt) -> str:
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        return "\n".join(lines[decorators[0].lineno - 1 : node.end_lineno])
    return ast.get_source_segment(source, node) or ""


def module_source(cells: Iterable[str]) -> tuple[str, list[str]]:
    """The module that a notebook's code cells (in run order) define.

    Returns the source and the cells left out because they are not valid
    Python (their first line, for a note to the student). Autograder cells
    are left out as well.
    """
    future, body, broken = [], [], []
    for cell in cells:
        if not cell.strip() or AUTOGRADER_MARK in cell:
            continue
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            broken.append(cell.strip().splitlines()[0][:80])
            continue
        lines = cell.splitlines()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                future.append(_segment(cell, lines, node))
            elif _keeps(node):
                body.append(_segment(cell, lines, node))
    return "\n".join(future + ["", *("\n\n" + part for part in body)]).lstrip("\n") + "\n", broken


def notebook_code_cells(notebook: dict) -> list[str]:
    """The sources of a notebook's code cells that are not autograder tests (nbformat 4 JSON)."""
    found = []
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        nbgrader = (cell.get("metadata") or {}).get("nbgrader") or {}
        if nbgrader.get("grade") and not nbgrader.get("solution"):
            continue  # an autograder test cell
        found.append(source)
    return found


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise NotebookError("\n".join(text("error_not_in_notebook", lang) for lang in ("en", "zh")))
    return shell


_warm: list = []  # the kernel's one worker, started at the first graded cell


def _runner():
    """One worker for the kernel's life: every graded cell after the first is quick."""
    from grader.runner import Runner

    if not _warm or not _warm[0].processes:
        import atexit

        _warm[:] = [Runner(units=list(current_course().modules))]
        atexit.register(_warm[0].close)  # its folders go with the kernel
    return _warm[0]


def grade_task(task_id: str, hidden: bool = True, lang: str | None = None) -> float:
    """Grade task `task_id` on what this notebook has defined so far; print feedback; return its points.

    `hidden=False` leaves out the hidden checks (the student's notebook);
    the hidden tests of the nbgrader export call it with `hidden=True`.
    """
    lang = detect_language(lang)
    the_course = current_course()
    try:
        task = the_course.task(task_id)
    except KeyError:
        raise NotebookError("\n".join(text("error_unknown_task", language, task=task_id) for language in ("en", "zh"))) from None
    shell = _shell()
    source, broken = module_source(str(cell) for cell in shell.user_ns.get("In", []))
    with tempfile.TemporaryDirectory(prefix="descent-notebook-") as folder:
        (Path(folder) / task.file_name).write_text(source, encoding="utf-8")
        # nbgrader gives no points to a cell that wrote to stderr: keep the grader's own noise out of it.
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            from grader.feedback import status_word, task_feedback
            from grader.grading import grade

            try:
                (result,) = grade(the_course, Path(folder), [task_id], include_hidden=hidden, runner=_runner()).tasks
            except Exception as error:  # noqa: BLE001 - a sentence, not a traceback into the grader
                detail = f"{type(error).__name__}: {error}"
                raise NotebookError("\n".join(text("error_internal", language, detail=detail) for language in ("en", "zh"))) from None
    run, shown = _shown.get(task_id, (-1, set()))
    again = run == shell.execution_count  # the hidden tests, after the visible ones of the same cell
    if not again:
        shown = set()
        _shown[task_id] = (shell.execution_count, shown)
    print(f"{task.id} {task.title[lang]}: {status_word(result, lang)} ({result.score:g}/{result.max_score:g})")
    for feedback in task_feedback(result, lang):
        if feedback.message not in shown:
            shown.add(feedback.message)
            print(f"- {feedback.message}\n  {feedback.advice}")
    if again:
        return result.score
    if not result.passed:
        print(text("ui_notebook_next", lang, file=task.file_name))
    for first_line in broken:
        print(text("ui_notebook_cell_skipped", lang, line=first_line))
    if result.run.output.strip() and not result.passed:
        print(text("ui_output", lang))
        print(result.run.output.rstrip())
    return result.score
