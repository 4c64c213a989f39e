"""KaTeX, served by the site itself.

The pages must typeset maths with no CDN, so KaTeX comes from the npm
registry at build time (`site/package.json`, pinned by `package-lock.json`)
and its files are copied into the docs folder, where mkdocs publishes them.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
from pathlib import Path

# Only what the pages load: the script, the stylesheet and the woff2 fonts.
# Every browser that runs the site reads woff2, so the older formats the
# stylesheet also lists are never requested.
FILES = ("katex.min.js", "katex.min.css")
FONT_PATTERN = "*.woff2"


class KatexError(RuntimeError):
    """KaTeX could not be installed; the message says what to do."""


def wanted_version(site_root: Path) -> str:
    return json.loads((site_root / "package.json").read_text(encoding="utf-8"))["dependencies"][
        "katex"
    ]


def installed_version(site_root: Path) -> str | None:
    manifest = site_root / "node_modules" / "katex" / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def install(site_root: Path) -> None:
    """`npm ci` in `site/` unless the pinned KaTeX is already there."""
    if installed_version(site_root) == wanted_version(site_root):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise KatexError(
            "The site needs KaTeX from npm, and npm is not installed. "
            "Install Node.js and npm (Debian: apt-get install nodejs npm), or run .ci/setup.d/npm.sh."
        )
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=site_root,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise KatexError(f"`npm ci` in {site_root} failed:\n{result.stdout}{result.stderr}")


def vendor(site_root: Path, target: Path) -> None:
    """Copy KaTeX's files into `target` (a git-ignored folder of the docs)."""
    install(site_root)
    dist = site_root / "node_modules" / "katex" / "dist"
    sources = [dist / name for name in FILES] + sorted((dist / "fonts").glob(FONT_PATTERN))
    for source in sources:
        destination = target / source.relative_to(dist)
        # Copy only what changed: `mkdocs serve` rebuilds whenever a docs file is written.
        if destination.is_file() and filecmp.cmp(source, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
