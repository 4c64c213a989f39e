"""MkDocs hooks: the glue between a site build and what the site generates.

- before the files are collected: KaTeX into `site/docs/vendor/katex/` and the
  figures into `site/docs/<lang>/figures/` (both git-ignored, both redone
  only when out of date);
- for every page: the task marker of a unit page becomes its task list.

mkdocs-static-i18n runs the whole build once per language, so each hook
runs once per language too; the generators are cheap when nothing changed.
A problem is reported as a warning, which `mkdocs build --strict` turns
into a failed build.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

# mkdocs puts this file's folder on sys.path only while it loads this file:
# the neighbours must be imported now, and import what they need now too.
import figure_files
import katex_assets
import tasks
from mkdocs.plugins import event_priority, get_plugin_logger

from grader.manifest import load_course

SITE = Path(__file__).resolve().parent
REPO = SITE.parent
log = get_plugin_logger("descent")
_HREFLANG_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_config(config):
    docs = Path(config.docs_dir)
    katex_assets.vendor(SITE, docs / "vendor" / "katex")
    written = figure_files.generate(docs)
    if written:
        log.info(f"drew {len(written)} figure file(s)")
    return config


def on_page_markdown(markdown, page, config, files):
    parts = PurePosixPath(page.file.src_uri).parts
    lang = parts[0] if parts and parts[0] in tasks.WORDS else "en"
    is_unit = len(parts) == 3 and parts[1] == "units"
    module = PurePosixPath(parts[2]).stem if is_unit else None
    try:
        # Read at every page, not once: `mkdocs serve` picks up edits to the manifest and stubs.
        return tasks.expand(
            markdown, module, lang, load_course(REPO / "course.toml"), REPO / "exercises"
        )
    except tasks.TaskPageError as error:
        log.warning(f"{page.file.src_uri}: {error}")
        return markdown


@event_priority(-100)  # after the i18n plugin has set the links of this page
def on_page_context(context, page, config, nav):
    # The i18n plugin points the language switcher of the home pages at "/" and
    # "/zh/", absolute paths that miss when the site is served from a sub-path
    # (a GitHub Pages project site). Relative to the site root they work anywhere.
    # (The plugin sets the attribute `extra.alternate`, which templates read first.)
    for alternate in getattr(config.extra, "alternate", None) or []:
        link = alternate.get("link", "")
        if link.startswith("/") and not link.startswith("//"):
            alternate["link"] = link.lstrip("/") or "./"
    return context


def on_post_page(output, page, config):
    # Material fetches `sitemap.xml` beside every <link rel="alternate"> of the
    # head, expecting one site per language; the i18n plugin's links point at
    # pages, so each fetch is a 404 and a console error. The language switcher
    # links straight to the twin page without them, and sitemap.xml still
    # lists every page's twin for search engines.
    return _HREFLANG_LINK.sub("", output)
