"""The lesson site builds strictly, in both languages, with every task and figure, from local files only."""

from __future__ import annotations

import html as html_lib
import importlib.util
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The fixtures: one strict build per session, served to a real Chromium.
pytest_plugins = ["tests.site_fixtures"]

DOCS = ROOT / "site" / "docs"
LANGUAGES = ("en", "zh")
PAGES = ("index", "setup", "instructor", "glossary")
# The figure names the lesson pages are written against (site/figures.py draws them).
FIGURES = (
    "slope-arrows",
    "convex-nonconvex",
    "gradient-descent-steps",
    "network-16-8-4-2",
    "one-weight-fit",
    "regression-fit",
    "loss-curves",
    "rosenbrock-trajectories",
    "rosenbrock-quiver",
    "rosenbrock-stability",
    "lr-schedules",
    "training-curves",
)


def language_root(site: Path, lang: str) -> Path:
    """English is built at the site root, Chinese under zh/."""
    return site if lang == "en" else site / lang


def lesson_html(site: Path, lang: str, module: str) -> str:
    return (language_root(site, lang) / "units" / module / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The text of some HTML: tags dropped (code highlighting splits code into spans), entities decoded."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_the_strict_build_makes_both_home_pages(built_site):
    for lang in LANGUAGES:
        assert (language_root(built_site, lang) / "index.html").is_file(), lang


def test_every_page_has_its_twin_in_the_other_language():
    sources = {
        lang: {path.relative_to(DOCS / lang) for path in (DOCS / lang).rglob("*.md")}
        for lang in LANGUAGES
    }
    assert sources["en"] - sources["zh"] == set(), "English pages without a Chinese twin"
    assert sources["zh"] - sources["en"] == set(), "Chinese pages without an English twin"


def test_every_page_of_the_course_is_built_in_both_languages(built_site, course):
    expected = [f"{name}/index.html" for name in PAGES if name != "index"] + ["index.html"]
    expected += [f"units/{module}/index.html" for module in course.modules]
    for lang in LANGUAGES:
        missing = [
            page for page in expected if not (language_root(built_site, lang) / page).is_file()
        ]
        assert missing == [], f"{lang}: not built: {missing}"


def test_every_task_appears_on_its_lesson_page_in_both_languages(built_site, course):
    for lang in LANGUAGES:
        for unit in course.units:
            html = lesson_html(built_site, lang, unit.module)
            text = text_of(html)
            assert "descent:tasks" not in html, (
                f"{lang}/{unit.module}: the task marker was not replaced"
            )
            for task in unit.tasks:
                heading = re.search(
                    rf'<h3 id="task-{task.id.replace(".", "-")}">(.*?)</h3>', html, re.S
                )
                assert heading, f"{lang}/{unit.module}: no heading for task {task.id}"
                assert f"{task.id} · {task.title[lang]}" in text_of(heading.group(1))
                assert f"grader check {task.id}" in text and f"grader hint {task.id}" in text
                for function in task.functions:
                    assert re.search(rf"\b(def|class) {function}\b", text), (
                        f"{lang}/{unit.module}: the signature of {function} is missing"
                    )


def test_task_statements_come_from_the_stub_docstrings(built_site):
    # A phrase of the docstring of exercises/derivatives.py::gradient_descent, and its maths;
    # the Chinese page shows its translation (solutions/i18n/derivatives.zh.toml) instead.
    english, chinese = lesson_html(built_site, "en", "derivatives"), lesson_html(built_site, "zh", "derivatives")
    assert "stacked into a tensor" in english and "stacked into a tensor" not in chinese
    assert "堆叠而成的张量" in chinese
    for html in (english, chinese):
        assert r"x_{t+1} = x_t - \mathrm{lr}\cdot\nabla f(x_t)" in html


def test_every_figure_is_built_for_both_languages(built_site):
    for name in FIGURES:
        drawings = {}
        for lang in LANGUAGES:
            path = language_root(built_site, lang) / "figures" / f"{name}.svg"
            assert path.is_file(), f"{lang}: figure {name} is missing"
            root = ElementTree.parse(path).getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg", path
            drawings[lang] = path.read_bytes()
        assert drawings["en"] != drawings["zh"], (
            f"{name}: the Chinese figure has the English labels"
        )


def test_figures_of_several_panels_have_a_stacked_version_for_phones(built_site):
    for lang in LANGUAGES:
        folder = language_root(built_site, lang) / "figures"
        for name in ("convex-nonconvex", "loss-curves", "rosenbrock-stability", "lr-schedules", "training-curves"):
            wide, narrow = (ElementTree.parse(folder / f"{name}{suffix}.svg").getroot() for suffix in ("", ".narrow"))
            width = lambda root: float(root.get("width").removesuffix("pt"))  # noqa: E731
            height = lambda root: float(root.get("height").removesuffix("pt"))  # noqa: E731
            assert width(narrow) < width(wide) and height(narrow) > height(wide), (lang, name)
        html = lesson_html(built_site, lang, "lr_decay")
        assert '<source media="(max-width: 40em)" srcset="../../figures/rosenbrock-stability.narrow.svg" />' in html


def test_the_regression_figure_is_animated(built_site):
    svg = (built_site / "figures" / "regression-fit.svg").read_text(encoding="utf-8")
    assert svg.count("<animate ") >= 10


class _Resources(HTMLParser):
    """Every URL a page loads by itself: scripts, stylesheets, icons, images, frames."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attributes.get("src"):
            self.urls.append(attributes["src"])
        # A canonical link names the page's own address; the browser loads nothing from it.
        if tag == "link" and attributes.get("href") and attributes.get("rel") != "canonical":
            self.urls.append(attributes["href"])


def _is_external(url: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I))


def test_pages_load_nothing_from_other_hosts(built_site):
    html_files = sorted(built_site.rglob("*.html"))
    assert len(html_files) >= 2 * (len(PAGES) + 6)
    external = []
    for path in html_files:
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        external += [
            f"{path.relative_to(built_site)}: {url}" for url in parser.urls if _is_external(url)
        ]
    for path in sorted(built_site.rglob("*.css")):
        css = path.read_text(encoding="utf-8")
        external += [
            f"{path.relative_to(built_site)}: {url}"
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
            if _is_external(url)
        ]
        external += [
            f"{path.relative_to(built_site)}: @import" for _ in re.findall(r"@import\s", css)
        ]
    assert external == []


def test_the_maths_library_is_served_by_the_site(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'src="vendor/katex/katex.min.js"' in html
    assert (built_site / "vendor" / "katex" / "katex.min.js").is_file()
    fonts = list((built_site / "vendor" / "katex" / "fonts").glob("*.woff2"))
    assert fonts, "KaTeX's fonts are missing"


@pytest.mark.parametrize(("lang", "word"), [("zh", "梯度"), ("en", "gradient")])
def test_each_language_has_a_search_index_of_its_own(built_site, lang, word):
    """Results never cross languages; Chinese is segmented for search; snippets carry no raw LaTeX."""
    index = json.loads((language_root(built_site, lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    lessons = {doc["location"].split("#")[0] for doc in index["docs"] if word in doc["text"]}
    assert any(location.startswith("units/") for location in lessons), f"no {lang} lesson page mentions {word}"
    assert not any(doc["location"].startswith("zh/") for doc in index["docs"])
    texts = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "\\(" not in texts and "\\frac" not in texts and "$$" not in texts
    if lang == "zh":
        assert "\u200b" in texts  # jieba's word boundaries, for Chinese only
        page = (built_site / "zh" / "units" / "sgd" / "index.html").read_text(encoding="utf-8")
        assert re.search(r'"base":\s*"[^"]*/zh/"', page), "a Chinese page must search the Chinese index"



def test_pages_declare_their_language(built_site):
    assert '<html lang="en"' in (built_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in (built_site / "zh" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_has_its_404_page_with_a_working_switcher(built_site, lang):
    page = (language_root(built_site, lang) / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    switcher = dict((hreflang, href) for href, hreflang in re.findall(r'<a href="([^"]*)" hreflang="(en|zh)" class="md-select__link"', page))
    assert switcher == {"en": "/", "zh": "/zh/"}, switcher


def test_the_sitemap_has_absolute_addresses(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert locations and all(location.startswith(("http://", "https://")) for location in locations), locations[:3]
    assert "None" not in sitemap


def _site_module(name: str):
    """A module of site/ (not a package: mkdocs loads site/hooks.py by path)."""
    spec = importlib.util.spec_from_file_location(
        f"descent_site_{name}", ROOT / "site" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_unit_page_needs_the_task_marker_exactly_once(course):
    tasks = _site_module("tasks")
    for page in ("# Unit\n", "# Unit\n\n<!-- descent:tasks -->\n\n<!-- descent:tasks -->\n"):
        with pytest.raises(tasks.TaskPageError, match="exactly once"):
            tasks.expand(page, "sgd", "en", course, ROOT / "exercises")


def test_the_task_marker_belongs_to_unit_pages_only_but_may_be_quoted_in_code(course):
    tasks = _site_module("tasks")
    with pytest.raises(tasks.TaskPageError, match="only for unit pages"):
        tasks.expand("# Setup\n\n<!-- descent:tasks -->\n", None, "en", course, ROOT / "exercises")
    quoted = "# Instructors\n\n```markdown\n<!-- descent:tasks -->\n```\n"
    assert tasks.expand(quoted, None, "en", course, ROOT / "exercises") == quoted
