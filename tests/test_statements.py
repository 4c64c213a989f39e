"""Task statements in both languages: one Chinese entry per English docstring, made from it as it is now.

The English statement is the docstring in exercises/; the Chinese one is in
solutions/i18n/<module>.zh.toml with the hash of the English it translates
(grader/statements.py). Every docstring has its translation, none is stale,
each reads as Chinese (code and maths aside) with the English's structure, and
the Chinese is what the Chinese lesson pages, `grader next`, `grader hint`, the
notebooks and the nbgrader export show.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from grader import sources, statements
from grader.export import nbgrader as export
from grader.manifest import course as load_course
from tests.chinese import english_outside_code
from tests.conftest import EXERCISES, ROOT, SOLUTIONS

sys.path.insert(0, str(ROOT / "site"))
import tasks  # noqa: E402 - site/tasks.py, as the site build imports it

CATALOGUE = SOLUTIONS / "i18n"
# People's names that Chinese text keeps in Latin letters, as the glossary does (Nesterov 动量).
NAMES = {"Nesterov", "Rosenbrock"}
MATHS = re.compile(r"\$\$.*?\$\$|\$[^$]+\$", re.DOTALL)
CODE = re.compile(r"`([^`]+)`")


EVERY_STATEMENT = statements.needed(load_course())
EVERY_ID = [f"{module}.{name}" for module, name in EVERY_STATEMENT]


def maths(text: str) -> set[str]:
    """The formulas of a statement, spacing normalised and the words of `\\text{…}` left out."""
    return {re.sub(r"\\text\{[^}]*\}", r"\\text{}", " ".join(formula.split())) for formula in MATHS.findall(text)}


def code(text: str) -> set[str]:
    return {" ".join(span.split()) for span in CODE.findall(MATHS.sub(" ", text))}


def prose(text: str) -> str:
    """A statement without its maths, its section headings and the parameter names that open its Args lines."""
    lines = []
    for line in MATHS.sub(" ", text).splitlines():
        if re.fullmatch(r"(Args|Returns|Raises):\s*", line):
            continue
        lines.append(re.sub(r"^\s+\w+:", " ", line))
    return "\n".join(lines)


def latin_words(text: str) -> list[str]:
    return [word for word in english_outside_code(prose(text)) if word not in NAMES]


# ---- the catalogue against the English


def test_every_docstring_has_a_chinese_statement_made_from_the_english_as_it_is_now(course):
    problems = statements.stale_or_missing(course)
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_every_shown_docstring_needs_a_statement(course):
    needed = statements.needed(course)
    assert ("sgd", "__module__") in needed and ("sgd", "SGD.step") in needed and ("sgd", "SGD.zero_grad") in needed
    for task in course.tasks:
        for name in task.functions:
            assert (task.module, name) in needed, name
    assert len(needed) == 31


@pytest.fixture
def copies(tmp_path):
    """Copies of exercises/ and of the catalogue, to break."""
    exercises, catalogue = tmp_path / "exercises", tmp_path / "i18n"
    shutil.copytree(EXERCISES, exercises)
    shutil.copytree(CATALOGUE, catalogue)
    return exercises, catalogue


def _kinds(course, exercises, catalogue) -> list[tuple[str, str, str]]:
    return [(problem.module, problem.name, problem.kind) for problem in statements.stale_or_missing(course, exercises, catalogue)]


def _drop_entry(catalogue: Path, module: str, key: str) -> None:
    path = catalogue / f"{module}.zh.toml"
    header = f'["{key}"]' if "." in key else f"[{key}]"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n{header}\n")
    end = text.find("\n[", start + 1)
    path.write_text(text[:start] + (text[end:] if end != -1 else "\n"), encoding="utf-8")


def test_a_docstring_without_its_translation_fails(course, copies):
    exercises, catalogue = copies
    _drop_entry(catalogue, "sgd", "SGD.step")
    _drop_entry(catalogue, "derivatives", "__module__")
    assert _kinds(course, exercises, catalogue) == [
        ("derivatives", "__module__", "no_translation"),
        ("sgd", "SGD.step", "no_translation"),
    ]


def _definition(source: str, name: str) -> ast.FunctionDef | ast.ClassDef:
    return next(node for node in ast.parse(source).body if getattr(node, "name", None) == name)


def _drop_docstring(path: Path, name: str) -> None:
    source = path.read_text(encoding="utf-8")
    docstring = _definition(source, name).body[0]
    lines = source.splitlines(keepends=True)
    del lines[docstring.lineno - 1 : docstring.end_lineno]
    path.write_text("".join(lines), encoding="utf-8")


def test_a_translation_without_its_docstring_fails(course, copies):
    exercises, catalogue = copies
    with (catalogue / "lr_decay.zh.toml").open("a", encoding="utf-8") as file:
        file.write("\n[linear_warmup]\nenglish_sha256 = \"\"\ntext = '''预热。'''\n")
    _drop_docstring(exercises / "backprop.py", "sigmoid_backward")
    assert _kinds(course, exercises, catalogue) == [
        ("backprop", "sigmoid_backward", "no_english"),
        ("lr_decay", "linear_warmup", "translation_of_nothing"),
    ]


def test_an_english_docstring_changed_after_its_translation_fails(course, copies):
    exercises, catalogue = copies
    path = exercises / "sgd.py"
    path.write_text(path.read_text(encoding="utf-8").replace("Predictions, any shape.", "Predictions, any shape; float."), encoding="utf-8")
    problems = statements.stale_or_missing(course, exercises, catalogue)
    assert [(problem.module, problem.name, problem.kind) for problem in problems] == [("sgd", "mse", "stale")]
    assert problems[0].english_sha256 == statements.sha256(statements.statement("sgd", "mse", "en", exercises))
    assert problems[0].english_sha256 in str(problems[0]) and "sgd.zh.toml [mse]" in str(problems[0])


def test_the_hash_is_of_the_cleaned_docstring_in_utf8(course):
    import hashlib
    import inspect

    english = ast.get_docstring(_definition((EXERCISES / "backprop.py").read_text(encoding="utf-8"), "layer_gradients"), clean=False)
    stored = tomllib.loads((CATALOGUE / "backprop.zh.toml").read_text(encoding="utf-8"))["layer_gradients"]["english_sha256"]
    assert stored == hashlib.sha256(inspect.cleandoc(english).encode("utf-8")).hexdigest()


# ---- the Chinese text itself


@pytest.mark.parametrize(("module", "name"), EVERY_STATEMENT, ids=EVERY_ID)
def test_a_chinese_statement_holds_no_english_prose_outside_code(module, name):
    assert latin_words(statements.statement(module, name, "zh")) == []


@pytest.mark.parametrize(("module", "name"), EVERY_STATEMENT, ids=EVERY_ID)
def test_a_chinese_statement_keeps_the_structure_code_and_maths_of_the_english(module, name):
    english, chinese = statements.statement(module, name, "en"), statements.statement(module, name, "zh")
    assert [title for title, _ in statements.split_sections(chinese)[1]] == [title for title, _ in statements.split_sections(english)[1]]
    assert statements.argument_names(chinese) == statements.argument_names(english)
    assert maths(chinese) == maths(english)
    assert code(english) <= code(chinese), code(english) - code(chinese)
    assert statements.summary(chinese), "a summary line first"
    for paragraph in statements.description(chinese).split("\n\n"):
        if not paragraph.startswith("$$"):
            assert "\n" not in paragraph, f"a Chinese paragraph is one line (a line break shows as a space): {paragraph!r}"


def test_the_finder_of_english_prose_sees_through_code_and_maths():
    assert latin_words("均方误差 $\\frac{1}{N}\\sum_n (\\hat y_n - y_n)^2$。\n\nArgs:\n    y_hat: 预测值。") == []
    assert latin_words("把 `x` 的副本 detach 之后再用。") == ["detach"]


# ---- where the Chinese is shown


def test_the_chinese_lesson_pages_show_the_chinese_statements(course):
    for unit in course.units:
        page = (ROOT / "site" / "docs" / "zh" / "units" / f"{unit.module}.md").read_text(encoding="utf-8")
        blocks = tasks.expand(page, unit.module, "zh", course, EXERCISES)
        shown = blocks[blocks.index("### ") :]
        for module, name in statements.needed(course):
            if module != unit.module or name == statements.MODULE:
                continue
            chinese, english = statements.statement(module, name, "zh"), statements.statement(module, name, "en")
            assert statements.description(chinese) in shown, f"{module}.{name}"
            assert statements.summary(english) not in shown, f"{module}.{name}: the English statement is on the Chinese page"
        assert "**参数**" in shown and "**返回值**" in shown and "Args" not in shown and "Returns" not in shown
        assert "文档字符串（英文）" not in blocks
        without_code = re.sub(r"```.*?```|\{#[^}]*\}|^\s*!!!.*$", " ", shown, flags=re.DOTALL | re.MULTILINE)
        assert [word for word in english_outside_code(MATHS.sub(" ", without_code)) if word not in NAMES] == [], unit.module


def test_the_english_lesson_pages_still_show_the_docstrings(course):
    page = (ROOT / "site" / "docs" / "en" / "units" / "sgd.md").read_text(encoding="utf-8")
    blocks = tasks.expand(page, "sgd", "en", course, EXERCISES)
    assert statements.description(statements.statement("sgd", "SGD", "en")) in blocks
    assert "**Arguments**" in blocks and "`SGD.zero_grad()`" in blocks


def test_a_lesson_page_without_a_chinese_statement_is_an_error(course, copies):
    _, catalogue = copies
    _drop_entry(catalogue, "sgd", "SGD.zero_grad")
    page = (ROOT / "site" / "docs" / "zh" / "units" / "sgd.md").read_text(encoding="utf-8")
    with pytest.raises(tasks.TaskPageError, match="SGD.zero_grad"):
        tasks.expand(page, "sgd", "zh", course, EXERCISES, catalogue)


def _grader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "400"}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True, env=environment, timeout=300)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_grader_next_in_chinese_prints_the_chinese_statement(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    shutil.copytree(EXERCISES, folder / "exercises")
    run = _grader("next", "--lang", "zh", cwd=folder)
    assert run.returncode == 1, run.stdout + run.stderr
    shown = _squeezed(run.stdout)
    chinese = statements.statement("derivatives", "central_difference", "zh")
    assert _squeezed(statements.plain(chinese, "zh")) in shown
    assert "参数：" in run.stdout and "返回值：" in run.stdout
    assert _squeezed(statements.summary(statements.statement("derivatives", "central_difference", "en"))) not in shown


def test_grader_next_shows_a_class_with_its_methods(tmp_path):
    from grader.reset import replace_definitions

    folder = tmp_path / "course"
    (folder / "exercises").mkdir(parents=True)
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    for module in ("derivatives", "backprop", "manual_update"):
        shutil.copy(SOLUTIONS / f"{module}.py", folder / "exercises")
    for module in ("lr_decay", "training_loop"):
        shutil.copy(EXERCISES / f"{module}.py", folder / "exercises")
    solved = (SOLUTIONS / "sgd.py").read_text(encoding="utf-8")
    (folder / "exercises" / "sgd.py").write_text(replace_definitions(solved, (EXERCISES / "sgd.py").read_text(encoding="utf-8"), ("SGD",)), encoding="utf-8")
    run = _grader("next", "--lang", "zh", cwd=folder)
    assert "任务 4.3" in run.stdout, run.stdout + run.stderr
    shown = _squeezed(run.stdout)
    for name in ("SGD", "SGD.step", "SGD.zero_grad"):
        assert _squeezed(statements.plain(statements.statement("sgd", name, "zh"), "zh")) in shown, name
    assert "defstep(self,closure=None):" in shown


def test_grader_hint_shows_the_first_line_of_the_statement_in_its_language(course, tmp_path):
    folder = tmp_path / "course"  # `grader hint` keeps the level reached in the course's progress
    folder.mkdir()
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    shutil.copytree(EXERCISES, folder / "exercises")
    chinese = _grader("hint", "2.2", "--lang", "zh", cwd=folder)
    assert chinese.returncode == 0, chinese.stderr
    assert _squeezed("linear_backward：" + statements.summary(statements.statement("backprop", "linear_backward", "zh"))) in _squeezed(chinese.stdout)
    english = _grader("hint", "2.2", "--lang", "en", cwd=folder)
    assert _squeezed("linear_backward: " + statements.summary(statements.statement("backprop", "linear_backward", "en"))) in _squeezed(english.stdout)
    lines = chinese.stdout.splitlines()
    starts = [hint["zh"][:8] for hint in course.task("2.2").hints]  # whichever level of the ladder is shown
    hint_line = next(line for line in lines if any(line.startswith(start) for start in starts))
    assert lines.index(next(line for line in lines if line.startswith("linear_backward"))) < lines.index(hint_line)


def test_chinese_notebooks_hold_the_statements_and_the_same_code(course, tmp_path):
    import jupytext

    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder)
    made = sources.make_notebooks(folder, list(course.modules), lang="zh")
    assert all(written for _, written in made)
    for module in course.modules:
        notebook = jupytext.read(folder / f"{module}.ipynb")
        script = (folder / f"{module}.py").read_text(encoding="utf-8")
        assert ast.dump(ast.parse(sources.notebook_source(folder / f"{module}.ipynb"))) == ast.dump(ast.parse(script)), module
        code_cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        assert code_cells == [cell.source for cell in jupytext.reads(script, fmt="py:percent").cells if cell.cell_type == "code"]
        notes = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
        assert all(cell.metadata.get("descent") == "statement" for cell in notes)
        text = "\n".join(cell.source for cell in notes)
        for owner, name in statements.needed(course):
            if owner == module:
                assert statements.description(statements.statement(module, name, "zh")).split("\n")[-1] in text, name
        # The statement of a definition stands right above its code.
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and cell.source.startswith("def "):
                name = cell.source.split("(")[0].removeprefix("def ")
                assert f"### `{name}`" in notebook.cells[index - 1].source


def test_notebooks_made_again_after_a_save_keep_one_statement_cell_per_definition(course, tmp_path):
    import jupytext

    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder)
    sources.make_notebooks(folder, ["sgd"], lang="zh")
    # Jupyter with jupytext saves the paired .py: the statement cells go into it as comments.
    jupytext.write(jupytext.read(folder / "sgd.ipynb"), folder / "sgd.py", fmt="py:percent")
    assert 'descent="statement"' in (folder / "sgd.py").read_text(encoding="utf-8")
    sources.make_notebooks(folder, ["sgd"], force=True, lang="zh")
    again = jupytext.read(folder / "sgd.ipynb")
    # The module's cell and each definition's: every code cell has exactly one statement cell above it.
    assert [cell.cell_type for cell in again.cells] == ["markdown", "code"] * (len(again.cells) // 2)
    sources.make_notebooks(folder, ["sgd"], force=True, lang="en")
    english = jupytext.read(folder / "sgd.ipynb")
    assert [cell.cell_type for cell in english.cells] == ["code"] * len(english.cells)


def test_the_nbgrader_export_in_chinese_changes_the_markdown_only(course, tmp_path):
    english = export.main(tmp_path / "en", course, SOLUTIONS)
    chinese = export.main(tmp_path / "zh", course, SOLUTIONS, lang="zh")
    for english_path, chinese_path in zip(english, chinese, strict=True):
        english_cells = json.loads(english_path.read_text(encoding="utf-8"))["cells"]
        chinese_cells = json.loads(chinese_path.read_text(encoding="utf-8"))["cells"]
        assert [cell for cell in chinese_cells if cell["cell_type"] == "code"] == [cell for cell in english_cells if cell["cell_type"] == "code"]
        assert [cell["metadata"] for cell in chinese_cells] == [cell["metadata"] for cell in english_cells]
        for cell in chinese_cells:
            if cell["cell_type"] == "markdown":
                # The hint is course.toml's (its own tests); the rest is this export's and the catalogue's.
                text = re.sub(r"<details>.*?</details>", " ", "".join(cell["source"]), flags=re.DOTALL)
                assert [word for word in english_outside_code(prose(text)) if word not in NAMES] == [], text
    sgd = "".join("".join(cell["source"]) for cell in json.loads(chinese[3].read_text(encoding="utf-8"))["cells"])
    for name in ("SGD", "SGD.step", "SGD.zero_grad", "mse"):
        assert statements.description(statements.statement("sgd", name, "zh")) in sgd


def test_grader_nbgrader_takes_the_language(tmp_path):
    run = _grader("nbgrader", str(tmp_path / "course"), "--lang", "zh", cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    notebook = (tmp_path / "course" / "source" / "sgd" / "sgd.ipynb").read_text(encoding="utf-8")
    assert "任务 4.3" in notebook and "Task 4.3" not in notebook


# ---- a course installed from its wheel


def test_the_wheel_carries_the_catalogue_and_the_grader_finds_it_there(tmp_path, monkeypatch):
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert "solutions/i18n" in wheel["only-include"] and wheel["sources"]["solutions/i18n"] == "grader/i18n"
    monkeypatch.setenv("DESCENT_ROOT", str(tmp_path))  # an installed course: no solutions/ above the package
    assert statements.catalogue_dir() == statements.PACKAGE_DIR / "i18n"
    monkeypatch.setenv("DESCENT_ROOT", str(ROOT))
    assert statements.catalogue_dir() == CATALOGUE
