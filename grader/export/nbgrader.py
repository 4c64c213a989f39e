"""Export the course as an nbgrader course directory.

    COURSE_DIR/nbgrader_config.py
    COURSE_DIR/source/<module>/<module>.ipynb     one assignment per unit

Each unit's notebook, from the manifest and `solutions/<module>.py`:

- the unit's title and lesson introduction (the module docstring), markdown;
- a read-only setup cell with the module's imports;
- per task: a markdown statement (title, points, the docstring's description,
  the task's three hints, each folded away), a solution cell holding the task's functions with
  `### BEGIN SOLUTION` / `### END SOLUTION` around each answer, and an
  autograder test cell worth the task's points.

`--lang zh` writes the markdown in Chinese: the unit's introduction, each
task's whole statement from `solutions/i18n/` (the solution cell's docstrings
stay English, as in `exercises/`), the instructions and the hints. Code cells are
the same in either language.

The test cell calls `grader.notebook.grade_task`, which grades the notebook's
definitions with the course's own checks and shows the task's points as the
cell's value, nbgrader's partial credit: that is the student's own check, in
their kernel. `nbgrader autograde` never runs it there: the course's
`nbgrader_config.py` replaces nbgrader's `Execute` step with
`grader.export.autograde.SandboxedGrades`, which grades the submitted
definitions in a fresh process, the student's code in the sandboxed runner,
so nothing a solution cell does reaches a verdict. Every task gets the points
`grader check` gives it. A task with hidden checks grades its visible checks
in the student's copy and all of them inside `### BEGIN HIDDEN TESTS`.

The course directory and its `source/` (the answers) are the instructor's
alone: folders 0700, files 0600 from the first byte; the sandboxed task
processes of autograde cannot see the course directory at all.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path

from grader import statements
from grader.hidden import hidden_tasks
from grader.manifest import Course, Task, Unit
from grader.paths import CHECKS_DIR
from grader.stubs import BEGIN, END, stub_source

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
CELL_MARKER = re.compile(r"^# %%.*$")  # jupytext percent cells of the solution files
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
CELL_TIMEOUT = 300  # seconds nbgrader lets one cell run; grading a task takes a few

CONFIG = '''"""nbgrader configuration of the course {name}, written by `grader nbgrader`.

    nbgrader generate_assignment <unit>      # release/<unit>/: what students get
    nbgrader autograde <unit>                # grade submitted/<student>/<unit>/

`nbgrader autograde` runs no cell of a student in a kernel: its `Execute` step is
replaced by `grader.export.autograde.SandboxedGrades`, which reads the notebook's
definitions and grades them with the course's checks in a fresh process, the
student's code in the sandboxed runner only. So nothing a solution cell does can
change a verdict or read this folder (`source/` holds the answers). Python here
must have the course installed (`pip install -e ".[instructor]"` in its repository).
`grader grade COURSE_DIR` grades the same submitted/ notebooks without nbgrader.
"""

from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute

from grader.export.autograde import SandboxedGrades

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = {course_id!r}
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.Execute.timeout = {timeout}
c.Autograde.autograde_preprocessors = [
    SandboxedGrades if step is Execute else step for step in Autograde.class_traits()["autograde_preprocessors"].default()
]
c.SandboxedGrades.lang = {lang!r}
'''


class ExportError(ValueError):
    """The course cannot be exported; the message says why."""


def _lines(text: str) -> list[str]:
    """nbformat keeps a cell's source as its lines, newlines included."""
    return text.splitlines(keepends=True)


def _cell_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)[:64]


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown_cell(grade_id: str, text: str) -> dict:
    return {
        "cell_type": "markdown",
        "id": _cell_id(grade_id),
        "metadata": _nbgrader(grade_id, locked=True),
        "source": _lines(text),
    }


def code_cell(grade_id: str, source: str, **nbgrader: object) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": _cell_id(grade_id),
        "metadata": _nbgrader(grade_id, **nbgrader),
        "outputs": [],
        "source": _lines(source),
    }


def grade_ids(task: Task) -> tuple[str, str, str]:
    """The nbgrader ids of a task's statement, solution and test cells."""
    key = task.id.replace(".", "_")
    return f"statement_{key}", f"solution_{key}", f"test_{key}"


def _clean(text: str) -> str:
    """A piece of the solution file as cell source: no jupytext markers, nbgrader's delimiters."""
    lines = []
    for line in text.splitlines():
        if CELL_MARKER.match(line):
            continue
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if stripped == BEGIN:
            line = indent + "### BEGIN SOLUTION"
        elif stripped == END:
            line = indent + "### END SOLUTION"
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"


def split_module(source: str, module: str, course: Course) -> tuple[str, str, dict[str, list[str]]]:
    """(module docstring, header code, {task id: source pieces}) of a solution file.

    Top-level code that belongs to no task (a helper, a constant) goes with
    the next task's definitions, or the last task's when nothing follows.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    docstring = ast.get_docstring(tree, clean=True) or ""
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        header_from = body[0].end_lineno or 0
        body = body[1:]
    else:
        header_from = 0
    first_definition = next((i for i, node in enumerate(body) if isinstance(node, ast.FunctionDef | ast.ClassDef)), len(body))
    definitions = body[first_definition:]
    # A piece runs from its statement's first line (decorators included) to the line before the
    # next statement, so the comments that close a body (`# END SOLUTION`) stay with it.
    starts = [min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) for node in definitions]
    header = "\n".join(lines[header_from : (starts[0] - 1) if starts else len(lines)])
    pieces: dict[str, list[str]] = {}
    pending: list[str] = []
    last_task: str | None = None
    for index, node in enumerate(definitions):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines)
        piece = "\n".join(lines[starts[index] - 1 : end])
        task = course.task_for_function(module, node.name) if isinstance(node, ast.FunctionDef | ast.ClassDef) else None
        if task is None:
            pending.append(piece)
            continue
        pieces.setdefault(task.id, []).extend([*pending, piece])
        pending = []
        last_task = task.id
    if pending:
        if last_task is None:
            raise ExportError(f"{module}.py defines none of its tasks' functions")
        pieces[last_task].extend(pending)
    return docstring, _clean(header), {task_id: [_clean(piece) for piece in found] for task_id, found in pieces.items()}


def _description(node: ast.AST) -> str:
    """The docstring's description: everything before its Args/Returns sections."""
    doc = ast.get_docstring(node, clean=True) or ""
    return re.split(r"\n(?:Args|Arguments|Returns|Raises|Yields|Attributes|Example|Examples):\s*\n", doc)[0].strip()


def _statement(task: Task, source: str, lang: str = "en", catalogue: Path | None = None) -> str:
    if lang in statements.TRANSLATED:
        return _translated_statement(task, source, lang, catalogue)
    nodes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    points = f"{task.points:g}"
    parts = [
        f"## Task {task.id} · {task.title['en']} ({points} points)",
        f"**任务 {task.id} · {task.title['zh']}（{points} 分）**",
    ]
    for name in task.functions:
        node = nodes.get(name)
        if node is not None:
            parts.append(f"### `{name}`\n\n{_description(node)}")
    parts.append(
        "Write your answer in the next cell; the cell after it grades it with the course's checks.  \n"
        "在下一个单元格中写出你的答案；再下一个单元格会用课程的检查来评分。"
    )
    count = len(task.hints)
    for level, hint in enumerate(task.hints, 1):
        parts.append(
            f"<details><summary>Hint {level} of {count} · 第 {level} 级提示（共 {count} 级）</summary>\n\n"
            f"{hint['en']}\n\n{hint['zh']}\n\n</details>"
        )
    return "\n\n".join(parts) + "\n"


# The export's own sentences in the translated languages (English and Chinese side by side above).
WORDS = {
    "zh": {
        "task": "## 任务 {task} · {title}（{points} 分）",
        "unit": "# 第 {number} 单元 · {title}",
        "answer": "在下一个单元格中写出你的答案；再下一个单元格会用课程的检查来评分。",
        "run": "请按顺序运行各个单元格。每个任务都有一个写答案的单元格和一个自动评分单元格，后者给出评分和得分。"
        "答案单元格里的英文文档字符串与这里的中文说明内容相同。",
        "hint": "第 {level} 级提示（共 {count} 级）",
    },
}


def _translation(module: str, name: str, lang: str, catalogue: Path | None) -> str:
    try:
        return statements.statement(module, name, lang, catalogue=catalogue)
    except statements.MissingStatement as error:
        raise ExportError(f"no {lang} statement for {module}.{name}: {error}") from None


def _translated_statement(task: Task, source: str, lang: str, catalogue: Path | None) -> str:
    """The statement cell in `lang`: the whole statement of each function, for its docstring is English."""
    words = WORDS[lang]
    nodes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    parts = [words["task"].format(task=task.id, title=task.title[lang], points=f"{task.points:g}")]
    for name in task.functions:
        node = nodes.get(name)
        if node is None:
            continue
        parts.append(f"### `{name}`\n\n" + statements.markdown(_translation(task.module, name, lang, catalogue), lang))
        for method in node.body if isinstance(node, ast.ClassDef) else []:
            if isinstance(method, ast.FunctionDef) and not method.name.startswith("_") and ast.get_docstring(method):
                text = _translation(task.module, f"{name}.{method.name}", lang, catalogue)
                parts.append(f"#### `{name}.{method.name}()`\n\n" + statements.markdown(text, lang))
    parts.append(words["answer"])
    for level, hint in enumerate(task.hints, 1):
        summary = words["hint"].format(level=level, count=len(task.hints))
        parts.append(f"<details><summary>{summary}</summary>\n\n{hint[lang]}\n\n</details>")
    return "\n\n".join(parts) + "\n"


def test_source(task: Task, hidden: bool) -> str:
    """The autograder cell of a task: the course's checks, points shown as the cell's value."""
    lines = [
        f"# Autograder · 自动评分: task {task.id} ({task.points:g} points), graded by the course's checks.",
        "from grader.notebook import grade_task",
        "",
    ]
    if hidden:
        lines += [
            f'grade_task("{task.id}", hidden=False)',
            "### BEGIN HIDDEN TESTS",
            f'grade_task("{task.id}", hidden=True)',
            "### END HIDDEN TESTS",
        ]
    else:
        lines.append(f'grade_task("{task.id}")')
    return "\n".join(lines) + "\n"


def unit_notebook(
    course: Course, unit: Unit, source: str, hidden: dict[str, list[str]], lang: str = "en", catalogue: Path | None = None
) -> dict:
    docstring, header, pieces = split_module(source, unit.module, course)
    title, _, intro = docstring.partition("\n")
    if lang in statements.TRANSLATED:
        title, _, intro = _translation(unit.module, statements.MODULE, lang, catalogue).partition("\n")
        words = WORDS[lang]
        introduction = markdown_cell(
            "intro", f"{words['unit'].format(number=unit.number, title=unit.title[lang])}\n\n{intro.strip() or title}\n\n{words['run']}\n"
        )
    else:
        introduction = markdown_cell(
            "intro",
            f"# Unit {unit.number} · {unit.title['en']}\n\n**第 {unit.number} 单元 · {unit.title['zh']}**\n\n"
            f"{intro.strip() or title}\n\n"
            "Run the cells in order. Each task has a cell for your answer and an autograder cell that "
            "grades it and shows its points.  \n"
            "请按顺序运行各个单元格。每个任务都有一个写答案的单元格和一个自动评分单元格，后者给出评分和得分。\n",
        )
    cells = [introduction, code_cell("setup", header, locked=True)]
    for task in unit.tasks:
        if task.id not in pieces:
            raise ExportError(f"{unit.module}.py does not define {', '.join(task.functions)} (task {task.id})")
        statement_id, solution_id, test_id = grade_ids(task)
        cells.append(markdown_cell(statement_id, _statement(task, source, lang, catalogue)))
        cells.append(code_cell(solution_id, "\n\n".join(piece.rstrip("\n") for piece in pieces[task.id]) + "\n", solution=True))
        cells.append(code_cell(test_id, test_source(task, task.id in hidden), grade=True, locked=True, points=task.points))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main(
    course_dir: Path, course: Course, solutions: Path, checks_dir: Path = CHECKS_DIR, lang: str = "en"
) -> list[Path]:
    """Write the nbgrader course directory, its markdown in `lang`; returns the notebooks written."""
    course_dir = Path(course_dir)
    if course_dir.exists() and not course_dir.is_dir():
        raise ExportError(f"{course_dir} exists and is not a directory")
    sources = {}
    for unit in course.units:
        path = solutions / f"{unit.module}.py"
        if not path.is_file():
            raise ExportError(f"{path} is missing")
        text = path.read_text(encoding="utf-8")
        stub_source(text, path, unit.module, course)  # malformed solution regions stop here, with file and line
        sources[unit.module] = text
    hidden = hidden_tasks(checks_dir, course.modules)
    written = []
    for unit in course.units:
        notebook = unit_notebook(course, unit, sources[unit.module], hidden, lang, solutions / "i18n")
        target = course_dir / "source" / unit.module / f"{unit.module}.ipynb"
        for folder in (course_dir, course_dir / "source", target.parent):
            _private_folder(folder)
        _write_private(target, json.dumps(notebook, ensure_ascii=False, indent=1) + "\n")
        written.append(target)
    config = CONFIG.format(name=course.name, course_id=course.name.lower(), code_stub=CODE_STUB, timeout=CELL_TIMEOUT, lang=lang)
    _write_private(course_dir / "nbgrader_config.py", config)
    return written


def _private_folder(folder: Path) -> None:
    """A folder only its owner can enter (the answers live below it)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by its owner alone from the first byte on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older, wider file keeps its mode through O_TRUNC
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def private_jupyter_environment(root: Path) -> dict[str, str]:
    """Environment for running nbgrader offline with a private `python3` kernel: this interpreter.

    Everything Jupyter writes (kernelspec, config, runtime files) stays under `root`.
    """
    kernel = root / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (kernel / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    return {
        **os.environ,
        # nbgrader starts tools of its own (alembic, for its database) by name: this environment's first.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "JUPYTER_PATH": str(root / "jupyter"),
        "JUPYTER_DATA_DIR": str(root / "jupyter"),
        "JUPYTER_CONFIG_DIR": str(root / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(root / "jupyter-runtime"),
        "IPYTHONDIR": str(root / "ipython"),
        "LANG": "en_US.UTF-8",
        "LC_ALL": "",
    }
