"""MkDocs hooks: the glue between a site build and what the site generates.

- before the files are collected: KaTeX into `site/docs/vendor/katex/` and the
  figures into `site/docs/<lang>/figures/` (both git-ignored, both redone
  only when out of date);
- for every page: each python block of a unit page gets its real output under
  it (site/code_blocks.py), and the task marker of a unit page becomes its
  task list.

mkdocs-static-i18n runs the whole build once per language, so each hook
runs once per language too; the generators are cheap when nothing changed.
A problem is reported as a warning, which `mkdocs build --strict` turns
into a failed build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

# mkdocs puts this file's folder on sys.path only while it loads this file:
# the neighbours must be imported now, and import what they need now too.
import code_blocks
import figure_files
import katex_assets
import tasks
from mkdocs.plugins import event_priority, get_plugin_logger

from grader.manifest import load_course

SITE = Path(__file__).resolve().parent
REPO = SITE.parent
log = get_plugin_logger("descent")
_HREFLANG_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
_BASE = re.compile(r'("base":\s*")([^"]*)(")')
_SWITCH = re.compile(r'(<a href=")[^"]*(" hreflang="(en|zh)" class="md-select__link">)')
# LaTeX as arithmatex leaves it in the text: \( … \), \[ … \], $$ … $$ (search snippets show it raw).
_MATHS = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$", re.DOTALL)
HTML_LANG = {"en": "en", "zh": "zh-CN"}
# A figure image as Markdown writes it, alone in its paragraph or not.
_FIGURE_IMAGE = re.compile(
    r'(?P<open><p>)?(?P<image><img alt="(?P<alt>[^"]*)" src="(?P<folder>[^"]*figures/)(?P<name>[\w-]+)\.svg" />)(?P<close></p>)?'
)
# Animated figures are put in the page itself, where a button can pause them (an <img> cannot be).
ANIMATED = {"regression-fit"}
ANIMATION_WORDS = {"en": ("Pause", "Play"), "zh": ("暂停", "播放")}
# Below this width a figure of several panels shows its stacked version (figure_files.NARROW_SUFFIX).
NARROW_MEDIA = "(max-width: 40em)"


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
    if is_unit:
        try:
            # Each python block runs alone; its real output goes under it (cached by code).
            markdown = code_blocks.render(markdown, lang, page.file.src_uri)
        except code_blocks.BlockError as error:
            log.warning(str(error))
    try:
        # Read at every page, not once: `mkdocs serve` picks up edits to the manifest and stubs.
        return tasks.expand(
            markdown, module, lang, load_course(REPO / "course.toml"), REPO / "exercises"
        )
    except tasks.TaskPageError as error:
        log.warning(f"{page.file.src_uri}: {error}")
        return markdown


def on_page_content(html, page, config, files):
    """Figures for every screen: a stacked version of a wide figure for phones, animations that pause."""
    parts = PurePosixPath(page.file.src_uri).parts
    lang = parts[0] if parts and parts[0] in tasks.WORDS else "en"
    folder = Path(config.docs_dir) / lang / "figures"

    def figure(match: re.Match) -> str:
        name = match["name"]
        if name in ANIMATED:
            svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
            svg = svg[svg.index("<svg") :]  # without the XML declaration and doctype
            svg = svg.replace("<svg ", f'<svg role="img" aria-label="{match["alt"]}" ', 1)
            pause, play = ANIMATION_WORDS[lang]
            button = (
                f'<button type="button" class="md-button descent-animation-toggle" '
                f'data-pause="{pause}" data-play="{play}" aria-pressed="false">{pause}</button>'
            )
            return f'<figure class="descent-animation">{svg}{button}</figure>'
        narrow = folder / f"{name}{figure_files.NARROW_SUFFIX}.svg"
        if not narrow.is_file():
            return match[0]
        source = f'<source media="{NARROW_MEDIA}" srcset="{match["folder"]}{narrow.name}" />'
        return f'{match["open"] or ""}<picture class="descent-figure">{source}{match["image"]}</picture>{match["close"] or ""}'

    return _FIGURE_IMAGE.sub(figure, html)


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


def _language(config) -> str:
    return "zh" if str(config.theme.get("language", "en")).startswith("zh") else "en"


def _localise(output: str, lang: str) -> str:
    """The page's language as browsers and screen readers want it, and its own search index."""
    output = re.sub(r'<html lang="[^"]*"', f'<html lang="{HTML_LANG[lang]}"', output, count=1)
    if lang == "zh":
        # Material fetches `<base>/search/search_index.json`: for a Chinese page, the Chinese index.
        # (A folder's address ends in a slash: Material resolves the index and the results against it.)
        output = _BASE.sub(lambda match: f"{match.group(1)}{(match.group(2) or '.').rstrip('/')}/zh/{match.group(3)}", output, count=1)
    return output


def on_post_page(output, page, config):
    # Material fetches `sitemap.xml` beside every <link rel="alternate"> of the
    # head, expecting one site per language; the i18n plugin's links point at
    # pages, so each fetch is a 404 and a console error. The language switcher
    # links straight to the twin page without them, and sitemap.xml still
    # lists every page's twin for search engines.
    return _localise(_HREFLANG_LINK.sub("", output), _language(config))


def on_post_template(output, template_name, config):
    """The 404 page: in the build's language, its switcher to each language's home page.

    (A 404 page is served at any missing address, so its links start at the site's root.)
    """
    if template_name != "404.html":
        return output
    root = urlparse(config.site_url or "/").path or "/"
    homes = {"en": root, "zh": f"{root.rstrip('/')}/zh/"}
    output = _SWITCH.sub(lambda match: f"{match.group(1)}{homes[match.group(3)]}{match.group(2)}", output)
    lang = _language(config)
    _NOT_FOUND[lang] = _localise(_HREFLANG_LINK.sub("", output), lang)
    return _NOT_FOUND[lang]


# The i18n plugin builds the other language inside the default one, and both
# write 404.html at the root: each is kept here and put where it belongs.
_NOT_FOUND: dict[str, str] = {}


@event_priority(-100)  # after the search plugin wrote its index
def on_post_build(config):
    site = Path(config.site_dir)
    for lang, page in _NOT_FOUND.items():
        target = site / "404.html" if lang == "en" else site / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    _split_search_index(site)


def _split_search_index(site: Path) -> None:
    """One search index per language: English pages at the root, Chinese pages under zh/.

    Results never cross languages, Chinese text is segmented (jieba) only in the
    Chinese index, and snippets carry no raw LaTeX.
    """
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = data.get("docs", [])
    if not any(doc["location"].startswith("zh/") for doc in docs):
        return
    for lang, target in (("en", index), ("zh", site / "zh" / "search" / "search_index.json")):
        own = [
            {**doc, "location": doc["location"].removeprefix("zh/"), "text": _MATHS.sub(" ", doc.get("text", "")), "title": _MATHS.sub(" ", doc.get("title", ""))}
            for doc in docs
            if doc["location"].startswith("zh/") == (lang == "zh")
        ]
        target.parent.mkdir(parents=True, exist_ok=True)
        config = {**data.get("config", {}), "lang": [lang]}
        target.write_text(json.dumps({"config": config, "docs": own}, ensure_ascii=False), encoding="utf-8")
