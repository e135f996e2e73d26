"""The interface language in a real browser, desktop and phone: the switch, and no string of the other language."""
from __future__ import annotations

import re

import pytest

from browser_helpers import BOTH, ask, card, close_sidebar, go_to, highlighted, running_app, sidebar, visible_text
from cityqa.i18n import TEXT

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Streamlit's own English widget text, which the Chinese interface must not show
STREAMLIT_ENGLISH = ["Deploy", "Upload", "per file", "Drag and drop", "Stop", "Running", "Press Enter",
                     "extractive", "score "]


@pytest.fixture(scope="module")
def server(e5_settings, tmp_path_factory):
    """The app over the real corpus and real embedder, shared by this module's tests."""
    with running_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir)}, tmp_path_factory.mktemp("data")) as url:
        yield url


def chosen(switch, name: str) -> bool:
    """Whether the language switch shows this option as the selected one."""
    return switch.get_by_role("radio", name=name, checked=True).count() == 1


@BOTH
def test_the_language_switch_keeps_the_conversation_and_a_reader_link_keeps_the_language(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, "What is track 7?", "Offshore finance nodes")
    switch = sidebar(page).locator(".st-key-language_switch")
    switch.get_by_role("radio", name="English").click()  # the option that is already selected
    page.wait_for_timeout(1500)
    assert page.locator("h1").first.inner_text() == "cityqa — City Q&A" and chosen(switch, "English")
    assert page.get_by_text("What is track 7?").count() == 1
    switch.get_by_role("radio", name="中文").click()
    page.get_by_role("heading", name="城市问答 cityqa").wait_for()
    switch.get_by_role("radio", name="中文").click()  # again: nothing changes, nothing breaks
    page.wait_for_timeout(1500)
    assert page.locator("h1").first.inner_text() == "城市问答 cityqa" and chosen(switch, "中文")
    messages = page.locator("[data-testid='stChatMessage']")
    assert messages.count() == 2 and "Offshore finance nodes" in messages.last.inner_text()
    assert "出处" in messages.last.inner_text()  # the earlier answer redrawn in the new language
    close_sidebar(page, viewport)
    ask(page, "新赛道三是什么？", "大宗商品交易中心")
    href = card(page, "track03.1").get_by_role("link", name="在原文中查看").get_attribute("href")
    reader = browser.page("/" + href.removeprefix("./"))  # a fresh tab of an English browser
    reader.get_by_role("heading", name="原文阅读").wait_for()
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    assert highlighted(target, "大宗商品交易")


def ui_strings(language: str) -> list[str]:
    """Fixed fragments of every UI string in one language (placeholders cut out)."""
    index = 0 if language == "zh" else 1
    fragments = []
    for pair in TEXT.values():
        fragments += [f.strip(" ·:：（）()…") for f in re.split(r"\{[^}]*\}", pair[index])]
    other = {"zh": {"cityqa"}, "en": {"cityqa", "cityqa — City Q&A"}}[language]
    # long enough to be UI text, not a word the other language's document text could hold
    return sorted({f for f in fragments if (len(f) >= 4 if language == "zh" else " " in f) and f not in other})


@BOTH
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_visible_string_is_in_the_interface_language(watched, language, viewport):
    page = watched(viewport, "zh-CN" if language == "zh" else "en-US").page()
    index = 0 if language == "zh" else 1
    foreign = ui_strings("en" if language == "zh" else "zh") + (STREAMLIT_ENGLISH if language == "zh" else [])
    ask(page, "新赛道三是什么？" if language == "zh" else "What is track 3?", "track03.1")
    card(page, "track03.1")
    page.locator("[data-testid='stFeedback'] button").last.click()
    page.get_by_role("button", name=TEXT["send"][index]).wait_for()
    sidebar(page)
    texts = {"chat": visible_text(page)}
    for number, name in ((1, "reader"), (2, "evaluation")):
        go_to(page, number, TEXT[name][index])
        page.wait_for_timeout(1500)
        sidebar(page)
        texts[name] = visible_text(page)
    found = {name: [f for f in foreign if f in text] for name, text in texts.items()}
    assert found == {"chat": [], "reader": [], "evaluation": []}
