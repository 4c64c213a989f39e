"""Which file of a module is graded: `exercises/<module>.py`, or its notebook `<module>.ipynb`.

A student may work in either. `grader notebooks` writes a notebook for every
module, paired with its `.py` through jupytext (`formats: ipynb,py:percent`),
so that Jupyter with jupytext keeps the two in step. Grading takes whichever
of the two was saved last, turning a notebook into its Python source first; a
notebook without a paired `.py` (made with `jupytext --to ipynb`, say) is
graded too when it is the newer file, with a note that it is not paired.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

PAIRED_FORMATS = "ipynb,py:percent"


@dataclass(frozen=True)
class Choice:
    """The file graded for one module, and why."""

    module: str
    path: Path
    notebook: bool
    paired: bool = False

    @property
    def note_key(self) -> str | None:
        if not self.notebook:
            return None
        return "ui_graded_notebook" if self.paired else "ui_graded_unpaired_notebook"


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("-inf")


def is_paired(notebook: Path) -> bool:
    """Does the notebook's jupytext metadata pair it with a `.py` file?"""
    try:
        metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False
    formats = str(metadata.get("jupytext", {}).get("formats", ""))
    return any(part.split(":")[0].strip(" .") == "py" for part in formats.split(","))


def choose(folder: Path, module: str) -> Choice:
    script, notebook = folder / f"{module}.py", folder / f"{module}.ipynb"
    if notebook.is_file() and _mtime(notebook) > _mtime(script):
        return Choice(module, notebook, True, is_paired(notebook))
    return Choice(module, script, False)


def notebook_source(path: Path) -> str:
    """The Python source of a notebook, as jupytext writes it (percent cells)."""
    import jupytext

    return jupytext.writes(jupytext.read(path), fmt="py:percent")


def prepare(folder: Path, modules: list[str]) -> tuple[Path, list[Choice], Path | None]:
    """The folder to grade: `folder` itself, or a copy whose `.py` files come from the newer notebooks.

    Returns (folder to grade, the choices that took a notebook, a temporary folder to remove or None).
    """
    choices = [choose(folder, module) for module in modules]
    notebooks = [choice for choice in choices if choice.notebook]
    if not notebooks:
        return folder, [], None
    copy = Path(tempfile.mkdtemp(prefix="descent-sources-"))
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink() and path.suffix == ".py":
            shutil.copyfile(path, copy / path.name)
    for choice in notebooks:
        (copy / f"{choice.module}.py").write_text(notebook_source(choice.path), encoding="utf-8")
    return copy, notebooks, copy


def make_notebooks(
    folder: Path, modules: list[str], force: bool = False, lang: str = "en"
) -> list[tuple[Path, bool]]:
    """Write `<module>.ipynb` beside each `<module>.py`, paired; (notebook, written) for each module.

    In a language other than English, each statement in that language is a
    markdown cell above its code: the module's above the first cell, a
    function's or class's above the cell that defines it. Code cells stay as
    they are (their docstrings English), so the notebook's Python source is the
    `.py` file's, and grading reads the same code in either language. The
    statement cells carry `descent: statement` in their metadata: a notebook
    made again, in any language, first drops the ones it finds.
    """
    import jupytext

    done = []
    for module in modules:
        script, notebook = folder / f"{module}.py", folder / f"{module}.ipynb"
        if not script.is_file() or (notebook.exists() and not force):
            done.append((notebook, False))
            continue
        document = jupytext.read(script, fmt="py:percent")
        document.cells = _with_statements(document.cells, module, lang, folder)
        settings = document.metadata.setdefault("jupytext", {})
        settings["formats"] = PAIRED_FORMATS
        # Keep the statement cells' mark in the paired .py, so that they are found again.
        kept = [part for part in str(settings.get("cell_metadata_filter", "-all")).split(",") if part and part != STATEMENT_KEY]
        settings["cell_metadata_filter"] = ",".join([STATEMENT_KEY, *kept])
        document.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
        jupytext.write(document, notebook)
        done.append((notebook, True))
    return done


STATEMENT_KEY = "descent"  # cell metadata `descent: statement` marks a statement cell
STATEMENT_NOTE = {
    "zh": "每个代码单元格里的英文文档字符串，都与它上方的中文说明内容相同；评分只读取代码，与说明使用哪种语言无关。",
}


def _with_statements(cells: list, module: str, lang: str, folder: Path) -> list:
    """`cells` without old statement cells, with one in `lang` above each documented definition."""
    from nbformat.v4 import new_markdown_cell

    from grader import statements

    def text(name: str) -> str | None:
        try:
            return statements.statement(module, name, lang, folder)
        except statements.MissingStatement:
            return None

    cells = [cell for cell in cells if cell.get("metadata", {}).get(STATEMENT_KEY) != "statement"]
    if lang not in statements.TRANSLATED:
        return cells
    found = []
    for cell in cells:
        parts = []
        if cell.cell_type == "code":
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                tree = ast.Module(body=[], type_ignores=[])
            if ast.get_docstring(tree) and (intro := text(statements.MODULE)):
                title, _, rest = intro.partition("\n")
                parts.append(f"# {title}\n\n{statements.markdown(rest, lang)}\n\n*{STATEMENT_NOTE[lang]}*")
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and (own := text(node.name)):
                    parts.append(f"### `{node.name}`\n\n{statements.markdown(own, lang)}")
                    methods = node.body if isinstance(node, ast.ClassDef) else []
                    for method in methods:
                        if isinstance(method, ast.FunctionDef) and (about := text(f"{node.name}.{method.name}")):
                            parts.append(f"#### `{node.name}.{method.name}()`\n\n{statements.markdown(about, lang)}")
        if parts:
            found.append(new_markdown_cell("\n\n".join(parts), metadata={STATEMENT_KEY: "statement"}))
        found.append(cell)
    return found
