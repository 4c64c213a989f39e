"""Fixtures of the lesson-site tests: one strict build per session, a local server, a real Chromium.

A test module asks for them with `pytest_plugins = ["tests.site_fixtures"]`
(a plain import of the fixture names would be shadowed by the test parameters);
pytest then shares the session-scoped ones between the modules.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The site is served under a sub-path, as a GitHub Pages project site is:
# a link that only works at the root of a domain fails the tests.
SUB_PATH = "descent"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    # This machine has no network but the package registries: without these,
    # Chromium's own background connections fail noisily.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once with `mkdocs build --strict` into a temporary folder."""
    target = tmp_path_factory.mktemp("site") / SUB_PATH
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`mkdocs build --strict` failed:\n{result.stdout}\n{result.stderr}", pytrace=False
        )
    return target


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The base URL of the built site, served by Python's http.server on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (whose own browser download cannot work here)."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and it is missing. "
            "Install it with `bash .ci/setup.d/chromium.sh` (Debian's chromium package), then run the tests again.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots are kept as build artefacts (git-ignored), for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Problems(list):
    """What went wrong while a page was open: console errors, script errors, failed or outside requests."""


@pytest.fixture
def page(browser, site_url):
    """A fresh browser page that records its problems in `page.problems` and may load nothing from outside."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems = Problems()

    def only_local(route):
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            problems.append(f"request outside the site: {route.request.url}")
            route.abort()

    context.route("**/*", only_local)
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    new_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def request_failed(request):
        # Leaving a page cancels what it was still loading (the search worker's
        # files): that is not a fault. A missing file is a 404, a console error.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"failed request: {request.url} ({request.failure})")

    new_page.on("requestfailed", request_failed)
    new_page.problems = problems
    yield new_page
    context.close()
