"""The chat in a real browser, on a desktop and on a 390×844 phone: first screen, streaming, cards, export, feedback."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, DONE, ask, card, running_app, shot

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
GREEN = "Which cities are examples of green finance?"
GREEN_QUOTE = "London, Shenzhen and other international financial centres"
ICONS_DRAWN = """() => [...document.querySelectorAll("[data-testid='stIconMaterial']")]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().width > 0)
    .map(e => [e.innerText, e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)])"""
# Records the last assistant message's text each time it changes, until its grounding line is drawn.
STREAM_PROBE = """() => { window.streamed = new Promise(resolve => {
  const start = document.querySelectorAll("[data-testid='stChatMessage']").length, seen = [], t0 = performance.now();
  const tick = () => {
    const messages = document.querySelectorAll("[data-testid='stChatMessage']");
    const text = messages.length >= start + 2 ? messages[messages.length - 1].innerText : "";
    if (text && text !== seen[seen.length - 1]) seen.push(text);
    if (/(grounding|依据强度) \\d/.test(text) || performance.now() - t0 > 90000) resolve(seen);
    else setTimeout(tick, 15);
  };
  tick();
}); }"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The served app's data folder (feedback lands here)."""
    return tmp_path_factory.mktemp("browser-data")


@pytest.fixture(scope="module")
def server(e5_settings, data_dir):
    """The app over the real corpus and real embedder, shared by this module's tests."""
    with running_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir)}, data_dir) as url:
        yield url


@BOTH
def test_first_screen_offers_the_corpus_and_example_questions_that_answer(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Documents in the corpus:").wait_for()
    assert "New Tracks and New Dimensions of International City Development" in main.inner_text()
    assert "Answers quote the corpus word for word" in main.inner_text()
    examples = page.locator(".st-key-welcome-examples button")
    examples.first.wait_for()
    assert 4 <= examples.count() <= 6
    box = examples.last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= browser.width  # fits a phone
    assert page.get_by_text("Deploy", exact=True).count() == 0
    page.evaluate("document.fonts.ready")
    icons = page.evaluate(ICONS_DRAWN)
    assert icons and all(0.5 < ratio < 1.5 for _, ratio in icons), icons  # glyphs, not names or empty boxes
    if viewport == "phone":
        page.locator("h1").first.scroll_into_view_if_needed()
        shot(page, "phone.png")
    page.get_by_role("button", name=GREEN).click()
    page.get_by_text(GREEN_QUOTE).first.wait_for(timeout=60_000)
    expect(page.locator(".st-key-welcome-examples")).to_have_count(0, timeout=30_000)  # gives way to the answer


@BOTH
def test_an_extractive_answer_arrives_sentence_by_sentence(watched, viewport):
    page = watched(viewport).page()
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill("List the fourteen new tracks.")
    page.evaluate(STREAM_PROBE)
    box.press("Enter")
    seen = page.evaluate("() => window.streamed")
    answer = page.locator("[data-testid='stChatMessage']").last.locator(
        "[data-testid='stMarkdownContainer']", has_text="Core zones of high-end manufacturing").first
    final = " ".join(answer.inner_text().split())
    partial = [" ".join(text.replace("smart_toy", "").replace("▌", "").split()) for text in seen if "▌" in text]
    assert len(partial) >= 4, seen  # several polls saw the text grow before it was complete
    assert all(len(a) < len(b) and b.startswith(a) for a, b in zip(partial, partial[1:])), partial
    assert all(final.startswith(text) and len(text) < len(final) for text in partial), (partial, final)
    assert "▌" not in seen[-1] and any(DONE.search(line) for line in seen[-1].splitlines())
    assert "Data trading centres" in final


FEEDBACK = {"desktop": ("What is DEPA?", "Digital Economy Partnership Agreement"),
            "phone": ("What is track 3?", "commodity trading")}


@BOTH
def test_feedback_is_recorded_once_and_the_send_button_goes_away(watched, data_dir, viewport):
    question, expected = FEEDBACK[viewport]
    page = watched(viewport).page()
    ask(page, question, expected)
    page.locator("[data-testid='stFeedback'] button").first.click()
    send = page.get_by_role("button", name="Send feedback")
    send.wait_for()
    send.click()
    page.get_by_text("Thank you, feedback saved.").wait_for()
    page.wait_for_timeout(1000)  # a second click, if the button were still there, would land now
    assert send.count() == 0 and page.locator("[data-testid='stFeedback']").count() == 0
    records = [json.loads(line) for line in (data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in records].count(question) == 1
    assert next(r for r in records if r["question"] == question)["rating"] == "up"


@BOTH
def test_an_open_source_card_stays_open_through_export_and_rating(watched, viewport, tmp_path):
    page = watched(viewport).page()
    ask(page, "What is track 7?", "Offshore finance nodes")
    ask(page, GREEN, GREEN_QUOTE)
    opened = card(page, "track05.1")
    details = opened.locator("[data-testid='stExpanderDetails']")
    references = details.locator("code").all_text_contents()
    gbt = "苏宁, 屠启宇, 冯佳敏. 国际城市发展的新赛道与新维度[N]. 社会科学报, 2023-03-20(2)."
    assert gbt in references  # GB/T 7714
    with page.expect_download() as download:
        page.get_by_role("button", name="Export conversation (Markdown)").click()
    exported = tmp_path / "conversation.md"
    download.value.save_as(exported)
    text = exported.read_text(encoding="utf-8").replace("\\", "")
    assert f"## Q: {GREEN}" in text and "## Q: What is track 7?" in text and "Exported:" in text
    assert "Corpus:" in text and text.count("## References") == 1
    assert text.count("2023, March 20") == 1  # one reference list at the end, not one per quote
    assert text.index("## References") > text.index(GREEN_QUOTE)
    page.locator("[data-testid='stFeedback']").last.locator("button").last.click()  # thumbs down: a rerun
    page.get_by_role("button", name="Send feedback").wait_for()
    page.wait_for_timeout(1000)
    assert details.is_visible() and details.get_by_text(GREEN_QUOTE).first.is_visible()  # still open


def test_r25_several_browser_sessions_at_once_keep_their_own_history(watched):
    contexts = [watched(viewport) for viewport in ("desktop", "phone", "desktop")]
    pages = [c.page() for c in contexts]
    questions = ["What is track 3?", "What is DEPA?", "Who wrote this article?"]
    expected = ["commodity trading", "Digital Economy Partnership Agreement", "Su Ning"]
    for page, question in zip(pages, questions):  # all three asked before any answer is awaited
        box = page.locator("[data-testid='stChatInputTextArea']")
        box.fill(question)
        box.press("Enter")
    for page, text in zip(pages, expected):
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
        expect(page.get_by_text(DONE)).to_have_count(1, timeout=60_000)
    for page, question in zip(pages, questions):
        body = " ".join(page.locator("[data-testid='stChatMessage']").all_inner_texts())
        assert question in body and all(other not in body for other in questions if other != question)
        assert re.search(r"grounding \d", body)


def test_a_pasted_overlong_question_is_refused_in_words_and_given_back(watched):
    page = watched("desktop").page()
    question = "What does the report say about green finance? " * 107  # 5,029 characters
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(question)
    assert len(box.input_value()) == len(question)  # no max_chars: nothing typed is cut
    box.press("Enter")
    page.get_by_text(f"question too long: {len(question)} characters, the limit is 2000").wait_for(timeout=60_000)
    page.get_by_text("Your question (copy it to shorten it)").click()
    shown = page.locator("[data-testid='stCode']").last.inner_text()
    assert shown.split() == question.split()
