"""The lessons on a phone and the interactive parts, in a real headless Chromium:
at 390 px nothing sticks out sideways, wide figures show their stacked version,
the animation pauses and plays, and the learning-rate explorer redraws the
lesson's own loop when a slider moves."""

from __future__ import annotations

import math

import pytest
import torch

pytest_plugins = ["tests.site_fixtures"]

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "zh")


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


@pytest.fixture
def phone(browser, site_url):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url) else route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_lesson_fits_a_390_px_screen(phone, site_url, lang, course):
    for module in course.modules:
        phone.goto(site_url + prefix(lang) + f"units/{module}/", wait_until="load")
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{lang}/{module}: the page is {overflow} px wider than the screen"
        too_wide = phone.evaluate(
            """() => [...document.querySelectorAll('article img, article svg.lr-explorer-plot, article figure svg')]
                .filter(element => element.getBoundingClientRect().width > window.innerWidth + 0.5)
                .map(element => element.getAttribute('src') || element.className.baseVal || element.className)"""
        )
        assert too_wide == [], f"{lang}/{module}: wider than the screen: {too_wide}"
        # A wide formula scrolls inside a box that fits the screen instead of being cut off.
        cut = phone.evaluate(
            """() => [...document.querySelectorAll('article .katex-display')].filter(formula => {
                for (let box = formula; box && box.tagName !== 'ARTICLE'; box = box.parentElement) {
                    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
                    const fits = box.getBoundingClientRect().width <= window.innerWidth + 0.5;
                    if (fits && (scrolls || box.scrollWidth <= box.clientWidth + 1)) return false;
                }
                return true;
            }).length"""
        )
        assert cut == 0, f"{lang}/{module}: {cut} formulas neither fit nor scroll"
        narrow = phone.evaluate(
            "() => [...document.querySelectorAll('article picture img')].map(image => image.currentSrc)"
        )
        assert all(source.endswith(".narrow.svg") for source in narrow), narrow
    assert phone.errors == []


def test_multi_panel_figures_are_stacked_on_a_phone_and_side_by_side_on_a_desktop(browser, site_url):
    for viewport, suffix in (({"width": 1280, "height": 900}, ".svg"), (PHONE, ".narrow.svg")):
        page = browser.new_page(viewport=viewport)
        page.goto(site_url + "units/lr_decay/", wait_until="load")
        sources = page.evaluate("() => [...document.querySelectorAll('article picture img')].map(i => i.currentSrc)")
        page.close()
        assert len(sources) >= 3, sources
        assert all(source.endswith(suffix) for source in sources), sources
        assert all(source.endswith(".narrow.svg") == (suffix == ".narrow.svg") for source in sources)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_animation_pauses_and_plays(phone, site_url, lang):
    phone.goto(site_url + prefix(lang) + "units/sgd/", wait_until="load")
    figure = phone.locator("figure.descent-animation")
    assert figure.count() == 1
    button = figure.locator("button.descent-animation-toggle")
    assert phone.evaluate("() => document.querySelector('figure.descent-animation svg').animationsPaused()") is False
    button.click()
    assert phone.evaluate("() => document.querySelector('figure.descent-animation svg').animationsPaused()") is True
    assert button.get_attribute("aria-pressed") == "true"
    paused_at = phone.evaluate("() => document.querySelector('figure.descent-animation svg').getCurrentTime()")
    phone.wait_for_timeout(300)
    assert phone.evaluate("() => document.querySelector('figure.descent-animation svg').getCurrentTime()") == paused_at
    button.click()
    assert phone.evaluate("() => document.querySelector('figure.descent-animation svg').animationsPaused()") is False
    assert phone.errors == []


def _descend(lr0: float, decay: float, iterations: int) -> list[tuple[float, float]]:
    """The lesson's loop (descend_with_schedule), in float64 as JavaScript computes."""

    def rosenbrock(x):
        return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2

    x = torch.tensor([2.0, 2.0], dtype=torch.float64, requires_grad=True)
    path = [tuple(x.tolist())]
    for i in range(iterations):
        rosenbrock(x).backward()
        with torch.no_grad():
            x -= lr0 / (1 + decay * i) * x.grad
        x.grad = None
        path.append(tuple(x.tolist()))
    return path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_learning_rate_explorer_redraws_the_lessons_loop(phone, site_url, tmp_path, lang):
    phone.goto(site_url + prefix(lang) + "units/lr_decay/", wait_until="load")
    explorer = phone.locator(".lr-explorer")
    assert explorer.count() == 1
    path = explorer.locator("polyline.lr-explorer-path")
    readout = explorer.locator(".lr-explorer-readout")
    before, words_before = path.get_attribute("points"), readout.text_content()
    assert len(before.split()) == 101  # the start and 100 iterates

    explorer.locator('input[name="decay"]').fill("0")
    explorer.locator('input[name="lr0"]').fill("0.1")
    after, words_after = path.get_attribute("points"), readout.text_content()
    assert after != before and words_after != words_before
    assert explorer.locator('output[for="lr0"]').text_content() == "0.1"
    final = _descend(0.1, 0.0, 100)[-1]
    assert f"{final[0]:.4f}" in words_after and f"{final[1]:.4f}" in words_after, words_after

    for lr0, decay in ((0.2, 0.01), (0.175, 0.0), (0.1, 0.0)):
        computed = phone.evaluate(f"() => descentExplorer.trajectory({lr0}, {decay}, 100)")
        expected = _descend(lr0, decay, 100)
        assert len(computed) == len(expected)
        for step in (1, 2, 3, 50, 100):
            assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(computed[step], expected[step], strict=True)), (lr0, decay, step)

    # lr0 = 0.3 without decay blows up: the drawing stops where the iterates leave all bounds.
    explorer.locator('input[name="lr0"]').fill("0.3")
    assert explorer.get_attribute("data-diverged") == "true"
    computed = phone.evaluate("() => descentExplorer.trajectory(0.3, 0, 100)")
    expected = _descend(0.3, 0.0, len(computed) - 1)
    assert 2 < len(computed) < 101
    assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(computed[-1], expected[-1], strict=True))
    phone.screenshot(path=tmp_path / f"explorer-{lang}.png", full_page=False)
    assert explorer.bounding_box()["width"] <= PHONE["width"]
    assert phone.errors == []
