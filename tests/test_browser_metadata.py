"""Metadata citations in a real browser, desktop and phone: the stating line highlighted, or the metadata named."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, ask, card_details, in_view, open_reader, running_app, shot
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
    details = card_details(page, "body.")
    assert "Date: 12 March 2025" in details.inner_text() and "date: 2025" not in details.inner_text()
    _, target = open_reader(browser, details)
    line = target.locator("span", has_text="Date: 12 March 2025").first
    expect(line).to_be_in_viewport(timeout=10_000)
    assert in_view(line, browser.height)
    assert line.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


@BOTH
def test_a_date_only_the_front_matter_gives_says_it_comes_from_the_metadata(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, "When was the Brightwater Ferry Plan published?", "2025-03-12")
    details = card_details(page, "from the document's metadata")
    expect(details).to_contain_text("From the document's metadata", timeout=10_000)
    text = details.inner_text()
    assert "2025-03-12" in text and "From the document's metadata" in text and "date:" not in text
    assert details.get_by_role("link", name="Open in the reader").count() == 0


CONTRAST = """e => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => {
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const page = rgba(getComputedStyle(document.querySelector('.stApp')).backgroundColor);
  const [r, g, b, a = 1] = rgba(getComputedStyle(e).backgroundColor);
  const shown = [r, g, b].map((c, i) => a * c + (1 - a) * page[i]);
  return {against_page: ratio(shown, page), text: ratio(shown, rgba(getComputedStyle(e).color))};
}"""


@BOTH
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_highlight_stands_out_from_the_page_and_its_text_stays_readable(watched, viewport, scheme):
    browser = watched(viewport)
    page = browser.context.new_page()  # the theme follows the system's colour scheme, set before the app loads
    page.emulate_media(color_scheme=scheme)
    page.on("console", lambda m: browser.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.goto(browser.server)
    page.locator("h1").first.wait_for(timeout=180_000)
    browser.pages.append(page)
    ask(page, "When was the Brightwater Ferry Note published?", "2025-03-12")
    details = card_details(page, "body.")
    span = details.locator(".stMarkdownColoredBackground").first
    span.wait_for()
    for _ in range(20):  # the theme's colours settle a moment after the card opens
        contrast = span.evaluate(CONTRAST)
        if contrast["against_page"] == contrast["against_page"]:
            break
        page.wait_for_timeout(250)
    assert contrast["against_page"] >= 1.3 and contrast["text"] >= 4.5, contrast
    if viewport == "desktop":
        shot(page, f"highlight-{scheme}.png")
