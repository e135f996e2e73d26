"""Browser fixtures (a pytest plugin): Debian's chromium and watched contexts on the test module's `server`.

Every watched page fails its test on a traceback, a console error or a failed network request.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, FLAGS, VIEWPORTS


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


class Watched:
    """A browser context whose pages record console errors, failed requests and tracebacks."""

    def __init__(self, browser, server: str, viewport: str = "desktop", locale: str = "en-US"):
        self.server, self.viewport, self.problems = server, viewport, []
        self.context = browser.new_context(locale=locale, accept_downloads=True, **VIEWPORTS[viewport])
        self.context.on("request", self._outside)
        self.context.on("requestfailed", lambda r: self.problems.append(f"failed request {r.url} {r.failure}"))
        self.context.on("response", lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400
                        else None)
        self.pages = []

    def _outside(self, request) -> None:
        if not request.url.startswith((self.server, "data:", "blob:")):
            self.problems.append(f"outbound request {request.url}")

    @property
    def height(self) -> int:
        """The viewport height in CSS pixels."""
        return VIEWPORTS[self.viewport]["viewport"]["height"]

    @property
    def width(self) -> int:
        """The viewport width in CSS pixels."""
        return VIEWPORTS[self.viewport]["viewport"]["width"]

    def page(self, path: str = "/"):
        """Open a page at a path and wait for the app to draw its first heading."""
        page = self.context.new_page()
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error"
                else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        page.goto(self.server + path)
        page.locator("h1").first.wait_for(timeout=180_000)
        self.pages.append(page)
        return page

    def check(self) -> None:
        """Fail on a traceback on any page opened, a console error or a failed request so far."""
        for page in self.pages:
            assert page.locator("[data-testid='stException']").count() == 0, "a traceback reached the page"
            assert "Traceback" not in page.locator("body").inner_text()
        assert self.problems == []


@pytest.fixture
def watched(browser, server):
    """Open watched browser contexts on the module's server; at the end, check every page of each, then close."""
    made = []

    def make(viewport: str = "desktop", locale: str = "en-US") -> Watched:
        made.append(Watched(browser, server, viewport, locale))
        return made[-1]
    yield make
    try:
        for context in made:
            context.check()
    finally:
        for context in made:
            context.context.close()


