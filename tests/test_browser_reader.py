"""The source reader in a real browser, desktop and phone: citations open it highlighted, picker, labels, links."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, DONE, ask, card, go_to, highlighted, in_view, running_app, shot

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
GREEN = "Which cities are examples of green finance?"
GREEN_QUOTE = "London, Shenzhen and other international financial centres"
TITLE_ZH = "国际城市发展的新赛道与新维度"


@pytest.fixture(scope="module")
def server(e5_settings, tmp_path_factory):
    """The app over the real corpus and real embedder, shared by this module's tests."""
    with running_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir)}, tmp_path_factory.mktemp("data")) as url:
        yield url


@BOTH
def test_the_cited_sentence_is_highlighted_in_its_card_and_in_the_reader_from_a_fresh_tab(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, GREEN, GREEN_QUOTE)
    opened = card(page, "track05.1")
    details = opened.locator("[data-testid='stExpanderDetails']")
    details.get_by_text(GREEN_QUOTE).first.wait_for()
    assert highlighted(details, GREEN_QUOTE)
    if viewport == "desktop":
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(800)  # the card's opening animation
        shot(page, "chat.png", full_page=True)
    href = details.get_by_role("link", name="Open in the reader").get_attribute("href")
    assert href.startswith("./?") and "p=track05.1" in href
    reader = browser.page("/" + href.removeprefix("./"))  # pasted into a new tab: no 404, no health probe miss
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    assert "伦敦、深圳等国际金融中心城市" in target.inner_text() and highlighted(target, "伦敦、深圳")
    assert highlighted(target, GREEN_QUOTE)
    quote = target.locator("span", has_text="伦敦、深圳").first
    expect(quote).to_be_in_viewport(timeout=10_000)  # the highlighted quote itself, scrolled to after drawing
    assert in_view(quote, browser.height)
    if viewport == "desktop":
        reader.evaluate("document.fonts.ready")
        shot(reader, "reader.png")


@BOTH
def test_the_reader_picks_documents_and_labels_a_bilingual_one_honestly(watched, viewport):
    page = watched(viewport).page()
    go_to(page, 1, "Source reader")
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Chinese and English side by side").wait_for(timeout=60_000)
    assert "unofficial working translation" in main.inner_text()
    page.locator("[data-testid='stSelectbox']").first.click()
    assert TITLE_ZH in page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    view = page.locator(".st-key-reader_view")
    paragraph = page.locator(".st-key-para-track05-1")
    assert "伦敦、深圳" in paragraph.inner_text() and GREEN_QUOTE in paragraph.inner_text()
    view.get_by_role("radio", name="Chinese only").click()
    expect(paragraph).not_to_contain_text(GREEN_QUOTE, timeout=30_000)
    assert "伦敦、深圳" in paragraph.inner_text()
    view.get_by_role("radio", name="English only").click()
    expect(paragraph).not_to_contain_text("伦敦、深圳", timeout=30_000)
    assert GREEN_QUOTE in paragraph.inner_text()


@BOTH
def test_a_paragraph_link_in_the_reader_opens_that_paragraph_in_a_fresh_tab_without_404s(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    go_to(page, 1, "Source reader")
    paragraph = page.locator(".st-key-para-track12-1")
    paragraph.wait_for(timeout=60_000)
    href = paragraph.get_by_role("link", name="¶ track12.1").get_attribute("href")
    assert href.startswith("./?") and "p=track12.1" in href  # the root path: Streamlit probes no /reader/_stcore
    linked = browser.page("/" + href.removeprefix("./"))
    target = linked.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    assert "track12.1" in target.inner_text() and "track11.1" not in target.inner_text()
    expect(target).to_be_in_viewport(timeout=10_000)


@BOTH
def test_a_question_about_the_document_on_the_reader_page_is_answered_in_the_chat(watched, viewport):
    page = watched(viewport).page()
    go_to(page, 1, "Source reader")
    questions = page.locator(".st-key-reader-examples button")
    questions.first.wait_for(timeout=60_000)
    question = questions.first.inner_text()
    questions.first.click()
    page.locator("h1", has_text="cityqa — City Q&A").wait_for(timeout=60_000)
    messages = page.locator("[data-testid='stChatMessage']")
    expect(messages).to_have_count(2, timeout=60_000)
    assert question in messages.first.inner_text()
    expect(page.get_by_text(DONE)).to_have_count(1, timeout=60_000)
    assert "[1]" in messages.last.inner_text() and "/reader" not in page.url
