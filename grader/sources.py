"""Which file of a module is graded: `exercises/<module>.py`, or its notebook `<module>.ipynb`.

A student may work in either. `grader notebooks` writes a notebook for every
module, paired with its `.py` through jupytext (`formats: ipynb,py:percent`),
so that Jupyter with jupytext keeps the two in step. Grading takes whichever
of the two was saved last, turning a notebook into its Python source first; a
notebook without a paired `.py` (made with `jupytext --to ipynb`, say) is
graded too when it is the newer file, with a note that it is not paired.
"""

from __future__ import annotations

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


def make_notebooks(folder: Path, modules: list[str], force: bool = False) -> list[tuple[Path, bool]]:
    """Write `<module>.ipynb` beside each `<module>.py`, paired; (notebook, written) for each module."""
    import jupytext

    done = []
    for module in modules:
        script, notebook = folder / f"{module}.py", folder / f"{module}.ipynb"
        if not script.is_file() or (notebook.exists() and not force):
            done.append((notebook, False))
            continue
        document = jupytext.read(script, fmt="py:percent")
        document.metadata.setdefault("jupytext", {})["formats"] = PAIRED_FORMATS
        document.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
        jupytext.write(document, notebook)
        done.append((notebook, True))
    return done
