"""Metadata citations in a real browser, desktop and phone: the stating line highlighted, or the metadata named."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, ask, card, in_view, running_app
from test_metadata_asks import NOTE, PLAN

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus, a plan dated only in its front matter and a note dated in its text."""
    from cityqa.testing import write_tiny_corpus

    root = tmp_path_factory.mktemp("metadata")
    corpus = write_tiny_corpus(root / "corpus")
    (corpus / "ferry-plan.md").write_text(PLAN, encoding="utf-8")
    (corpus / "ferry-note.txt").write_text(NOTE, encoding="utf-8")
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(root / "index"),
           "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"}
    with running_app(env, root / "data") as url:
        yield url


@BOTH
def test_a_date_cited_from_its_date_line_opens_highlighted_in_the_reader(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, "When was the Brightwater Ferry Note published?", "2025-03-12")
    opened = card(page, "body.")
    details = opened.locator("[data-testid='stExpanderDetails']")
    assert "Date: 12 March 2025" in details.inner_text() and "date: 2025" not in details.inner_text()
    href = details.get_by_role("link", name="Open in the reader").get_attribute("href")
    reader = browser.page("/" + href.removeprefix("./"))
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    line = target.locator("span", has_text="Date: 12 March 2025").first
    expect(line).to_be_in_viewport(timeout=10_000)
    assert in_view(line, browser.height)
    assert line.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


@BOTH
def test_a_date_only_the_front_matter_gives_says_it_comes_from_the_metadata(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, "When was the Brightwater Ferry Plan published?", "2025-03-12")
    opened = card(page, "from the document's metadata")
    details = opened.locator("[data-testid='stExpanderDetails']")
    expect(details).to_contain_text("From the document's metadata", timeout=10_000)
    text = details.inner_text()
    assert "2025-03-12" in text and "From the document's metadata" in text and "date:" not in text
    assert opened.get_by_role("link", name="Open in the reader").count() == 0
