"""Real browser end to end: Debian's chromium, driven by Playwright, against a Streamlit server on loopback.

Every page visit fails the test on a traceback, a console error or a failed network request.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from cityqa.i18n import TEXT
from cityqa.settings import PROJECT_ROOT
from conftest import free_port, wait_until_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "browser"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
GREEN = "Which cities are examples of green finance?"
GREEN_QUOTE = "London, Shenzhen and other international financial centres"
# Streamlit's own English widget text, which the Chinese interface must not show
STREAMLIT_ENGLISH = ["Deploy", "Upload", "per file", "Drag and drop", "Stop", "Running", "Press Enter",
                     "extractive", "score "]


@contextmanager
def running_app(env_settings: dict, data_dir: Path):
    """Run `streamlit run app.py` on a free loopback port with the given CITYQA_ settings; yield its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITYQA_", "STREAMLIT_"))} | {
        "CITYQA_DATA_DIR": str(data_dir)} | env_settings
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                                "--server.headless", "true", "--server.address", "127.0.0.1",
                                "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                               cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/_stcore/health")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The served app's data folder (feedback lands here)."""
    return tmp_path_factory.mktemp("browser-data")


@pytest.fixture(scope="module")
def server(e5_settings, data_dir):
    """The app over the real corpus and real embedder, shared by this module's tests."""
    with running_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir)}, data_dir) as url:
        yield url


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
        self.server, self.problems = server, []
        self.context = browser.new_context(locale=locale, viewport=VIEWPORTS[viewport], accept_downloads=True)
        self.context.on("request", self._outside)
        self.context.on("requestfailed", lambda r: self.problems.append(f"failed request {r.url} {r.failure}"))
        self.context.on("response", lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400
                        else None)

    def _outside(self, request) -> None:
        if not request.url.startswith((self.server, "data:", "blob:")):
            self.problems.append(f"outbound request {request.url}")

    def page(self, path: str = "/"):
        """Open a page at a path and wait for the app to draw its first heading."""
        page = self.context.new_page()
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error"
                else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        page.goto(self.server + path)
        page.locator("h1").first.wait_for(timeout=180_000)
        return page

    def check(self, *pages) -> None:
        """Fail on any traceback on the pages, console error or failed request so far."""
        for page in pages:
            assert page.locator("[data-testid='stException']").count() == 0, "a traceback reached the page"
            assert "Traceback" not in page.locator("body").inner_text()
        assert self.problems == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server):
    """Open watched browser contexts; check and close them at the end."""
    made = []

    def make(viewport: str = "desktop", locale: str = "en-US") -> Watched:
        made.append(Watched(browser, server, viewport, locale))
        return made[-1]
    yield make
    for context in made:
        context.close()


def ask(page, question: str, expect: str) -> None:
    """Ask a question and wait until its answer is complete (its grounding line drawn)."""
    from playwright.sync_api import expect as expect_that

    done = page.get_by_text(re.compile(r"^(grounding|依据强度) \d"))
    before = done.count()
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(question)
    box.press("Enter")
    page.get_by_text(expect, exact=False).first.wait_for(timeout=90_000)
    expect_that(done).to_have_count(before + 1, timeout=90_000)


def visible_text(page) -> str:
    """The page's visible text without the bilingual language switch."""
    return page.evaluate("""() => { const s = document.querySelector('.st-key-language_switch');
        s.style.display = 'none'; const text = document.body.innerText; s.style.display = ''; return text; }""")


def highlighted(locator, text: str) -> bool:
    """Whether text sits in an element with a background colour inside the locator."""
    return locator.locator("span", has_text=text).evaluate_all(
        "els => els.some(e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)')")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
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
    box = examples.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]  # fits a phone
    assert page.get_by_text("Deploy", exact=True).count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if viewport == "phone":
        page.locator("h1").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "phone.png"))
    page.get_by_role("button", name=GREEN).click()
    page.get_by_text(GREEN_QUOTE).first.wait_for(timeout=60_000)
    from playwright.sync_api import expect

    expect(page.locator(".st-key-welcome-examples")).to_have_count(0, timeout=30_000)  # gives way to the answer
    browser.check(page)


def test_clicking_the_selected_language_keeps_the_conversation_and_shows_no_traceback(watched):
    browser = watched()
    page = browser.page()
    ask(page, "What is track 7?", "Track 7")
    switch = page.locator(".st-key-language_switch")
    switch.get_by_role("radio", name="English").click()  # the option that is already selected
    page.wait_for_timeout(1500)
    assert page.locator("h1").first.inner_text() == "cityqa — City Q&A"
    assert page.get_by_text("What is track 7?").count() >= 1
    switch.get_by_role("radio", name="中文").click()
    page.get_by_role("heading", name="城市问答 cityqa").wait_for()
    assert page.get_by_text("What is track 7?").count() >= 1
    switch.get_by_role("radio", name="中文").click()
    page.wait_for_timeout(1500)
    assert page.locator("h1").first.inner_text() == "城市问答 cityqa"
    browser.check(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_cited_sentence_is_highlighted_in_its_card_and_in_the_reader_from_a_fresh_tab(watched, viewport, tmp_path):
    browser = watched(viewport)
    page = browser.page()
    ask(page, GREEN, GREEN_QUOTE)
    page.locator("summary", has_text="track05.1").first.click()
    card = page.locator("[data-testid='stExpanderDetails']", has_text="track05.1").first
    card.get_by_text(GREEN_QUOTE).first.wait_for()
    assert highlighted(card, GREEN_QUOTE)
    references = card.locator("code").all_text_contents()
    assert "苏宁, 屠启宇, 冯佳敏. 国际城市发展的新赛道与新维度[N]. 社会科学报, 2023-03-20(2)." in references  # GB/T 7714
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if viewport == "desktop":
        page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    href = card.get_by_role("link", name="Open in the reader").get_attribute("href")
    assert href.startswith("./?") and "p=track05.1" in href
    reader = browser.page("/" + href.removeprefix("./"))  # pasted into a new tab: no 404, no health probe miss
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    assert "伦敦、深圳等国际金融中心城市" in target.inner_text() and highlighted(target, "伦敦、深圳")
    assert highlighted(target, GREEN_QUOTE)
    reader.wait_for_timeout(1500)  # the scroll runs after drawing
    box, height = target.bounding_box(), VIEWPORTS[viewport]["height"]
    assert box["y"] < height and box["y"] + min(box["height"], height / 2) > 0  # scrolled into view
    if viewport == "desktop":
        reader.screenshot(path=str(ARTIFACTS / "reader.png"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Export conversation (Markdown)").click()
    exported = tmp_path / "conversation.md"
    download.value.save_as(exported)
    text = exported.read_text(encoding="utf-8")
    assert f"## Q: {GREEN}" in text.replace("\\", "") and "Exported:" in text and "## References" in text
    assert text.count("2023, March 20") == 1  # one reference list, not one per quote
    browser.check(page, reader)


def test_the_reader_picks_documents_and_labels_a_bilingual_one_honestly(watched):
    browser = watched()
    page = browser.page()
    page.locator("[data-testid='stSidebarNavLink']").nth(1).click()
    page.get_by_text("Chinese and English side by side").wait_for(timeout=60_000)
    assert page.locator(".st-key-reader_view").count() == 1
    page.locator("[data-testid='stSelectbox']").first.click()
    options = page.get_by_role("option").all_inner_texts()
    assert "国际城市发展的新赛道与新维度" in options
    browser.check(page)


def test_feedback_is_recorded_once_and_the_send_button_goes_away(watched, data_dir):
    browser = watched()
    page = browser.page()
    ask(page, "What is DEPA?", "Digital Economy Partnership Agreement")
    page.locator("[data-testid='stFeedback'] button").first.click()
    page.get_by_role("button", name="Send feedback").wait_for()
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Thank you, feedback saved.").wait_for()
    assert page.get_by_role("button", name="Send feedback").count() == 0
    assert page.locator("[data-testid='stFeedback']").count() == 0
    records = [json.loads(line) for line in (data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in records].count("What is DEPA?") == 1 and records[-1]["rating"] == "up"
    browser.check(page)


def ui_strings(language: str) -> list[str]:
    """Fixed fragments of every UI string in one language (placeholders cut out)."""
    index = 0 if language == "zh" else 1
    fragments = []
    for pair in TEXT.values():
        fragments += [f.strip(" ·:：（）()…") for f in re.split(r"\{[^}]*\}", pair[index])]
    other = TEXT_OTHER[language]
    # long enough to be UI text, not a word the other language's document text could hold
    return sorted({f for f in fragments if (len(f) >= 4 if language == "zh" else " " in f) and f not in other})


TEXT_OTHER = {"zh": {"cityqa"}, "en": {"cityqa", "cityqa — City Q&A"}}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_visible_string_is_in_the_interface_language(watched, language):
    browser = watched("desktop", "zh-CN" if language == "zh" else "en-US")
    page = browser.page()
    other = "en" if language == "zh" else "zh"
    foreign = ui_strings(other) + (STREAMLIT_ENGLISH if language == "zh" else [])
    ask(page, "新赛道三是什么？" if language == "zh" else "What is track 3?", "track03.1")
    page.locator("summary", has_text="track03.1").first.click()
    page.locator("[data-testid='stFeedback'] button").last.click()
    page.get_by_role("button", name=TEXT["send"][0 if language == "zh" else 1]).wait_for()
    texts = {"chat": visible_text(page)}
    for name in ("reader", "evaluation"):
        page.locator("[data-testid='stSidebarNavLink']").nth(1 if name == "reader" else 2).click()
        page.locator("h1", has_text=TEXT[name][0 if language == "zh" else 1]).wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        texts[name] = visible_text(page)
    found = {name: [f for f in foreign if f in text] for name, text in texts.items()}
    assert found == {"chat": [], "reader": [], "evaluation": []}
    browser.check(page)


MARKUP = ("## Markup test {#m}\n\n{#m.1} The markup test page shows <script>alert(1)</script> as a script tag. "
          "It shows <img src=x onerror=alert(2)> as an image tag. A link [click](javascript:alert(3)) sits here. "
          "An image ![](http://127.0.0.1:9/leak?d=secret) sits here too.\n")


@pytest.fixture
def markup_server(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "markup.md").write_text(MARKUP, encoding="utf-8")
    with running_app({"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index")},
                     tmp_path / "data") as url:
        yield url


def test_r7_markup_in_documents_renders_inert_with_no_outbound_request(markup_server, browser):
    watched = Watched(browser, markup_server)
    dialogs = []
    page = watched.page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask(page, "What does the markup test page show as a script tag and an image tag?", "<script>alert(1)</script>")
    page.locator("summary", has_text="m.1").first.click()
    page.wait_for_timeout(1500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "markup-inert.png"), full_page=True)
    assert dialogs == []
    assert page.locator("script", has_text="alert(1)").count() == 0 and page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    watched.check(page)
    watched.close()


@pytest.fixture
def upload_server(tmp_path):
    """The app over a writable copy of the corpus (fake embedder), so an upload lands in a temporary folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    with running_app({"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index"),
                      "CITYQA_EMBEDDING": "fake"}, tmp_path / "data") as url:
        yield url


def test_an_uploaded_document_is_in_the_reader_picker_labelled_as_single_language(upload_server, browser):
    watched = Watched(browser, upload_server)
    page = watched.page()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(PROJECT_ROOT / "eval" / "fixtures" / "corpus" / "velmora-strategy.docx"))
    page.get_by_role("button", name="Add to the index").click()
    page.get_by_text("Index updated").wait_for(timeout=120_000)
    page.locator("[data-testid='stSidebarNavLink']").nth(1).click()
    page.locator("[data-testid='stSelectbox']").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stSelectbox']").first.click()
    option = page.get_by_role("option").filter(has_not_text="国际城市").first
    option.click()
    page.get_by_text("The full text (English)").wait_for(timeout=60_000)
    from playwright.sync_api import expect

    expect(page.locator(".st-key-reader_view")).to_have_count(0, timeout=30_000)  # no side-by-side switch
    assert "side by side" not in page.locator("[data-testid='stMainBlockContainer']").inner_text()
    watched.check(page)
    watched.close()


def test_r25_several_browser_sessions_at_once_keep_their_own_history(watched):
    contexts = [watched() for _ in range(3)]
    pages = [c.page() for c in contexts]
    questions = ["What is track 3?", "What is DEPA?", "Who wrote this article?"]
    expected = ["commodity trading", "Digital Economy Partnership Agreement", "Su Ning"]
    for page, question in zip(pages, questions):  # all three asked before any answer is awaited
        box = page.locator("[data-testid='stChatInputTextArea']")
        box.fill(question)
        box.press("Enter")
    for page, text in zip(pages, expected):
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    for page, question in zip(pages, questions):
        body = " ".join(page.locator("[data-testid='stChatMessage']").all_inner_texts())
        assert question in body and all(other not in body for other in questions if other != question)
    for context, page in zip(contexts, pages):
        context.check(page)
