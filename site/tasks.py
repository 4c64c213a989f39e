"""The task list at the end of each lesson page, generated in the page's language.

A unit page ends with the line `<!-- descent:tasks -->`; `expand` replaces it
by one block per task of that unit: the id and title and points from
`course.toml`, the signature of each function read from `exercises/<module>.py`
with `ast`, and its statement in the page's language (`grader.statements`): the
docstring on an English page, its translation from `solutions/i18n/` on a
Chinese one. The statement is written once per language and shown here as it is.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable
from pathlib import Path

from grader import statements
from grader.manifest import Course, Task

MARKER = "<!-- descent:tasks -->"

# Words of the generated block around the statements (whose section headings
# come from grader.statements).
WORDS = {
    "en": {
        "points": "{points} points",
        "point": "1 point",
        "file": "in `exercises/{module}.py`",
        "check": "Check your work",
        "check_comment": "grade this task",
        "hint_comment": "stuck? the next of {count} hints, from the idea to near-code",
        "methods": "Methods",
    },
    "zh": {
        "points": "{points} 分",
        "point": "1 分",
        "file": "写在 `exercises/{module}.py` 中",
        "check": "检查你的答案",
        "check_comment": "评测这一题",
        "hint_comment": "卡住时逐级查看提示：从思路到接近代码，共 {count} 级",
        "methods": "方法",
    },
}


class TaskPageError(ValueError):
    """A lesson page and the manifest disagree; the message names the page."""


def anchor(task: Task) -> str:
    """The HTML id of a task's heading: `task-4-3` for task 4.3."""
    return "task-" + task.id.replace(".", "-")


def expand(
    markdown: str,
    module: str | None,
    lang: str,
    course: Course,
    exercises: Path,
    catalogue: Path | None = None,
) -> str:
    """`markdown` with the task marker replaced by the tasks of unit `module`.

    `module` is None for a page that is not a unit page; such a page must not
    carry the marker, and a unit page must carry it exactly once. The
    statements come from `exercises` (English) or `catalogue` (the others;
    `solutions/i18n/` unless given).
    """
    lines = markdown.splitlines()
    markers = _marker_lines(lines)
    count = len(markers)
    if module is None:
        if count:
            raise TaskPageError(f"{MARKER} is only for unit pages (units/<module>.md)")
        return markdown
    unit = next((unit for unit in course.units if unit.module == module), None)
    if unit is None:
        raise TaskPageError(f"units/{module}.md: no unit '{module}' in course.toml")
    if count != 1:
        raise TaskPageError(
            f"units/{module}.md: needs the line {MARKER} exactly once, found {count}"
        )
    source = (exercises / f"{module}.py").read_text(encoding="utf-8")
    definitions = _definitions(ast.parse(source))
    source_lines = source.splitlines()

    def texts(name: str) -> str:
        try:
            return statements.statement(module, name, lang, exercises, catalogue)
        except statements.MissingStatement as error:
            raise TaskPageError(f"units/{module}.md ({lang}): no statement of {name}: {error}") from None

    blocks = [_task_block(task, lang, definitions, source_lines, texts) for task in unit.tasks]
    lines[markers[0]] = "\n\n".join(blocks)
    return "\n".join(lines)


def _marker_lines(lines: list[str]) -> list[int]:
    """Where the marker stands on a line of its own, outside fenced code (which may quote it)."""
    found, fence = [], None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None and stripped == MARKER:
            found.append(number)
    return found


def _definitions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.ClassDef]:
    return {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def _task_block(task: Task, lang: str, definitions: dict, lines: list[str], texts: Callable[[str], str]) -> str:
    words = WORDS[lang]
    points = (
        words["point"] if task.points == 1 else words["points"].format(points=f"{task.points:g}")
    )
    parts = [
        f"### {task.id} · {task.title[lang]} {{#{anchor(task)}}}",
        f"**{points}** · {words['file'].format(module=task.module)}",
    ]
    for name in task.functions:
        node = definitions.get(name)
        if node is None:
            raise TaskPageError(f"task {task.id}: exercises/{task.module}.py defines no '{name}'")
        parts.append(_signature_block(node, lines))
        parts.append(statements.markdown(texts(name), lang))
        if isinstance(node, ast.ClassDef):
            parts.extend(_method_docs(node, lang, texts))
    parts.append(_check_block(task, lang))
    return "\n\n".join(parts)


def _signature_lines(node: ast.FunctionDef | ast.ClassDef, lines: list[str]) -> list[str]:
    """The source lines of the `def`/`class` header (decorators included) as written."""
    start = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    end = node.body[0].lineno - 1
    header = lines[start - 1 : end]
    while header and not header[-1].strip():
        header.pop()
    return textwrap.dedent("\n".join(header)).splitlines()


def _public_methods(node: ast.ClassDef) -> list[ast.FunctionDef]:
    return [
        child
        for child in node.body
        if isinstance(child, ast.FunctionDef)
        and (child.name == "__init__" or not child.name.startswith("_"))
    ]


def _signature_block(node: ast.FunctionDef | ast.ClassDef, lines: list[str]) -> str:
    code = _signature_lines(node, lines)
    if isinstance(node, ast.ClassDef):
        for method in _public_methods(node):
            code.extend("    " + line for line in _signature_lines(method, lines))
            code[-1] += " ..."
    else:
        code[-1] += " ..."
    return "```python\n" + "\n".join(code) + "\n```"


def _method_docs(node: ast.ClassDef, lang: str, texts: Callable[[str], str]) -> list[str]:
    documented = [
        method
        for method in _public_methods(node)
        if method.name != "__init__" and ast.get_docstring(method)
    ]
    if not documented:
        return []
    items = [f"**{WORDS[lang]['methods']}**"]
    for method in documented:
        body = statements.markdown(texts(f"{node.name}.{method.name}"), lang)
        items.append(f"`{node.name}.{method.name}()`\n\n" + textwrap.indent(body, "    "))
    # A definition-list-like layout with plain Markdown: name, then the indented text.
    return [items[0], "\n\n".join(f"- {item}" for item in items[1:])]


def _check_block(task: Task, lang: str) -> str:
    words = WORDS[lang]
    return (
        f'!!! example "{words["check"]}"\n\n'
        "    ```bash\n"
        f"    grader check {task.id}   # {words['check_comment']}\n"
        f"    grader hint {task.id}    # {words['hint_comment'].format(count=len(task.hints))}\n"
        "    ```"
    )
