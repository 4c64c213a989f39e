"""Write the lesson figures as SVG files, one folder per language.

The files go to `site/docs/<lang>/figures/` (git-ignored), where mkdocs and
the i18n plugin find them like any other page asset, so the pages' links
`../figures/<name>.svg` are checked by `mkdocs build --strict`. Drawing takes
a few seconds, so a folder is redrawn only when something it depends on
changed (its `.inputs` file holds a digest of those inputs).

Text is stored as glyph outlines (matplotlib's `svg.fonttype = "path"`): the
Chinese labels need a CJK font when the figures are drawn, not when they are
viewed.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import torch
from figures import FIGURES, Animation
from matplotlib import font_manager
from svg_animation import animate

SITE = Path(__file__).resolve().parent
REPO = SITE.parent
LANGUAGES = ("en", "zh")

# Fonts with Simplified Chinese glyphs, by where they are usually found:
# Debian (.ci/setup.d/fonts.sh installs the first), macOS, Windows.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)


class FigureError(RuntimeError):
    """A figure cannot be drawn here; the message says what to install."""


def _installed(family: str) -> bool:
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


def cjk_family() -> str:
    found = next((family for family in CJK_FAMILIES if _installed(family)), None)
    if found is None:
        # matplotlib keeps a cached font list: a font installed after it was
        # made (by .ci/setup.d/fonts.sh, say) is not in it until it is added.
        known = {entry.fname for entry in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue  # a file matplotlib cannot read is no candidate anyway
        found = next((family for family in CJK_FAMILIES if _installed(family)), None)
    if found is not None:
        return found
    raise FigureError(
        "The Chinese figures need a font with Chinese glyphs, and none was found "
        f"(looked for {', '.join(CJK_FAMILIES)}). On Debian: apt-get install fonts-wqy-microhei "
        "(or run .ci/setup.d/fonts.sh), then build again."
    )


def _style(lang: str) -> None:
    # Latin text in DejaVu Sans; glyphs it lacks (Chinese) fall back to the CJK font.
    families = ["DejaVu Sans", cjk_family()] if lang == "zh" else ["DejaVu Sans"]
    matplotlib.rcParams.update(
        {
            "font.family": families,
            "font.size": 11,
            "svg.fonttype": "path",
            "svg.hashsalt": "descent",  # stable ids, so unchanged figures give identical files
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.facecolor": "white",
        }
    )


def _inputs_digest(lang: str) -> str:
    """What a language's figures depend on: the drawing code, the solutions, the libraries, the font."""
    digest = hashlib.sha256()
    drawing_code = [SITE / name for name in ("figures.py", "figure_files.py", "svg_animation.py")]
    sources = drawing_code + sorted((REPO / "solutions").glob("*.py"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{matplotlib.__version__} {torch.__version__} {lang}".encode())
    if lang == "zh":
        digest.update(cjk_family().encode())
    return digest.hexdigest()


def _write_if_changed(path: Path, text: str) -> bool:
    # `mkdocs serve` rebuilds whenever a docs file is written: leave equal files alone.
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so that a build reading the folder never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
    return True


# A figure of several panels side by side also gets a narrow version, its
# panels stacked, that phones show instead (site/hooks.py adds a <picture>).
NARROW_SUFFIX = ".narrow"
NARROW_WIDTH = 5.2  # inches: about 12 px per label at 390 px


def _stack(figure) -> bool:
    """Put the panels of a one-row figure under each other, in a narrow figure; False if one panel."""
    panels = [
        axes for axes in figure.axes if axes.get_subplotspec() is not None and axes.get_label() != "<colorbar>"
    ]
    if len(panels) < 2:
        return False
    width, height = figure.get_size_inches()
    rows = figure.add_gridspec(len(panels), 1)
    for row, axes in enumerate(panels):
        axes.set_subplotspec(rows[row])
        axes.tick_params(labelleft=True, labelbottom=True)  # shared axes hid the inner labels
    panel_height = height * NARROW_WIDTH / (width / len(panels)) * 0.75
    figure.set_size_inches(NARROW_WIDTH, min(panel_height, height * 1.15) * len(panels))
    figure.tight_layout()
    return True


def render(name: str, lang: str, narrow: bool = False) -> str | None:
    """The SVG text of figure `name` with labels in `lang`; with `narrow`, its stacked version (None if one panel)."""
    _style(lang)
    drawing = FIGURES[name](lang)
    figure = drawing.figure if isinstance(drawing, Animation) else drawing
    if narrow and (isinstance(drawing, Animation) or not _stack(figure)):
        plt.close(figure)
        return None
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return animate(svg, drawing.durations) if isinstance(drawing, Animation) else svg


def generate(docs_dir: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Draw every figure into `docs_dir/<lang>/figures/` where it is out of date; the files written."""
    written = []
    for lang in languages:
        folder = docs_dir / lang / "figures"
        stamp = folder / ".inputs"
        digest = _inputs_digest(lang)
        complete = all((folder / f"{name}.svg").is_file() for name in FIGURES)
        if complete and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
            continue
        expected = set()
        for name in FIGURES:
            path = folder / f"{name}.svg"
            if _write_if_changed(path, render(name, lang)):
                written.append(path)
            expected.add(path)
            stacked = render(name, lang, narrow=True)
            if stacked is not None:
                path = folder / f"{name}{NARROW_SUFFIX}.svg"
                if _write_if_changed(path, stacked):
                    written.append(path)
                expected.add(path)
        for old in set(folder.glob("*.svg")) - expected:
            old.unlink()  # a figure that was renamed or dropped
        _write_if_changed(stamp, digest + "\n")
    return written


if __name__ == "__main__":
    # Draw the figures without a site build: `python site/figure_files.py`.
    for path in generate(SITE / "docs"):
        print(path.relative_to(REPO))
