"""The built lesson site in a real headless Chromium: pages load cleanly, the
language switcher, maths, figures and search all work, offline."""

from __future__ import annotations

import pytest

# The fixtures: one strict build per session, served to a real Chromium.
pytest_plugins = ["tests.site_fixtures"]

LANGUAGES = ("en", "zh")


def prefix(lang: str) -> str:
    """The path of a language's pages below the site's base URL."""
    return "" if lang == "en" else f"{lang}/"


def open_page(page, url: str) -> None:
    # "load" waits for the images and for the scripts at the end of the body
    # (Material's interface, the KaTeX typesetting).
    page.goto(url, wait_until="load")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_loads_without_errors(page, site_url, screenshots, lang):
    open_page(page, site_url + prefix(lang))
    assert page.locator("html").get_attribute("lang").startswith(lang)
    assert page.locator("article h1").first.is_visible()
    page.screenshot(path=screenshots / f"home-{lang}.png")
    assert page.problems == []


def test_language_switcher_moves_between_the_two_versions_of_a_lesson(page, site_url):
    open_page(page, site_url + "units/sgd/")
    for target in ("zh", "en"):
        page.locator(".md-header__option .md-select").first.hover()
        page.locator(f'a.md-select__link[hreflang="{target}"]').click()
        page.wait_for_url(site_url + prefix(target) + "units/sgd/", wait_until="load")
        assert page.locator("html").get_attribute("lang").startswith(target)
    assert page.problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_maths_is_typeset(page, site_url, lang, course):
    for module in course.modules:
        open_page(page, site_url + prefix(lang) + f"units/{module}/")
        maths = page.locator(".arithmatex").count()
        typeset = page.locator(".arithmatex .katex").count()
        assert maths > 0, f"{lang}/{module}: no maths on the page"
        assert typeset == maths, (
            f"{lang}/{module}: {maths - typeset} of {maths} formulas not typeset"
        )
        assert page.locator(".katex-error").count() == 0, (
            f"{lang}/{module}: KaTeX could not read a formula"
        )
    assert page.problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_image_on_the_lesson_pages_loads(page, site_url, lang, course):
    figures = 0
    for module in course.modules:
        open_page(page, site_url + prefix(lang) + f"units/{module}/")
        images = page.locator("article img")
        sources = [images.nth(i).get_attribute("src") for i in range(images.count())]
        broken = page.evaluate(
            "() => [...document.querySelectorAll('article img')]"
            ".filter(image => !image.complete || image.naturalWidth === 0).map(image => image.src)"
        )
        assert broken == [], f"{lang}/{module}: images that did not load: {broken}"
        figures += sum("figures/" in source for source in sources)
    assert figures >= 11, f"{lang}: only {figures} figures on the lesson pages"
    assert page.problems == []


@pytest.mark.parametrize(("lang", "query"), [("zh", "梯度"), ("en", "gradient")])
def test_search_finds_lesson_pages(page, site_url, lang, query):
    open_page(page, site_url + prefix(lang))
    page.locator("input.md-search__input").click()
    # Typed, as a person would: Material searches on key events. Characters
    # outside the keyboard (梯度) arrive as text input without key events,
    # as from an input method, so one key press follows.
    page.keyboard.type(query)
    page.keyboard.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    links = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("units/" in link for link in links), f"searching {query} found {links}"
    # Each language searches its own pages only.
    assert all(("/zh/" in link) == (lang == "zh") for link in links), links
    assert page.problems == []
