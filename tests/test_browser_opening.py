"""Where pages open in a real browser: the phone first screen at its title, a reader link at its highlighted quote."""
from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, DONE, ask, in_view, running_app
from conftest import CORPUS
from test_loaders import HEADINGS_ALIKE, headings_docx

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
TITLES = {"en-US": "cityqa — City Q&A", "zh-CN": "城市问答 cityqa"}
SCROLLED = """() => [window, ...document.querySelectorAll('*')]
    .filter(e => (e.scrollY ?? e.scrollTop) > 0)
    .map(e => `${e.dataset?.testid ?? "window"} ${e.scrollY ?? e.scrollTop}`)"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the real corpus and an uploaded-like .docx (一、… 四、 headings), on the fakes."""
    root = tmp_path_factory.mktemp("opening")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "plan.docx").write_bytes(headings_docx(HEADINGS_ALIKE))
    env = {"CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index"),
           "CITYQA_EMBEDDING": "fake", "CITYQA_STORE": "memory"}
    with running_app(env, root / "data") as url:
        yield url


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_phone_first_screen_opens_at_its_title_in_both_interface_languages(watched, locale):
    page = watched("phone", locale).page()
    page.locator(".st-key-welcome-examples button").last.wait_for(timeout=60_000)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(1500)  # Streamlit's stick-to-bottom scrolling, were it on, has happened by now
    title = page.locator("h1").first
    assert title.inner_text() == TITLES[locale]
    assert title.bounding_box()["y"] >= 0 and page.evaluate(SCROLLED) == []  # nothing scrolled
    expect(page.locator("[data-testid='stChatInputTextArea']")).to_be_in_viewport()  # still at hand, pinned


def test_the_question_box_keeps_working_once_it_leaves_the_first_screen(watched):
    page = watched("phone").page()
    for question in ["What is track 7?", "What is track 3?"]:  # the first from st.bottom, the next from the chat's
        ask(page, question, question)
    assert page.get_by_text(DONE).count() == 2


@BOTH
def test_a_reader_link_opens_scrolled_to_its_highlighted_quote(watched, viewport):
    browser = watched(viewport)
    quote = "这一段说明四、实施步骤。"  # a later section: below the fold on a desktop and on a phone
    link = {"lang": "en", "doc": "plan", "p": "四-实施步骤.1", "q": quote}
    page = browser.page("/?" + urlencode(link))
    target = page.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    marked = target.locator("span", has_text=quote).first
    expect(marked).to_be_in_viewport(timeout=10_000)
    page.wait_for_timeout(1000)  # still there once the rest of the page has settled
    assert in_view(marked, browser.height)
