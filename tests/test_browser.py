"""Real browser end to end: Debian's chromium, driven by Playwright, against a Streamlit server on loopback."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, wait_until_up

from cityqa.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "browser"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@contextmanager
def running_app(env_settings: dict, tmp_path):
    """Run `streamlit run app.py` on a free loopback port with the given CITYQA_ settings; yield its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_DATA_DIR": str(tmp_path / "data")} | env_settings
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


@pytest.fixture
def server(e5_settings, tmp_path):
    with running_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir)}, tmp_path) as url:
        yield url


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def ask(page, question: str, expect: str) -> None:
    box = page.get_by_placeholder("Ask a question")
    box.fill(question)
    box.press("Enter")
    page.get_by_text(expect, exact=False).first.wait_for(timeout=60_000)


def test_ask_cite_open_in_reader_and_export(server, browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    outside = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    page = context.new_page()
    page.goto(server)
    page.get_by_placeholder("Ask a question").wait_for(timeout=120_000)

    ask(page, "新赛道三是什么？", "新赛道三是“大宗商品交易中心”")
    ask(page, "Which cities are examples of green finance?", "London, Shenzhen and other international")
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    card = page.locator("summary", has_text="track05.1").first
    card.click()
    link = page.get_by_role("link", name="Open in the reader").last
    link.wait_for()
    href = link.get_attribute("href")
    assert "p=track05.1" in href
    reader = context.new_page()  # the deep link works when pasted in a new tab
    reader.goto(f"{server}/{href.lstrip('/')}")
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    assert "track05.1" in target.inner_text() and "伦敦、深圳等国际金融中心城市" in target.inner_text()
    reader.screenshot(path=str(ARTIFACTS / "reader.png"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Export conversation (Markdown)").click()
    exported = tmp_path / "conversation.md"
    download.value.save_as(exported)
    text = exported.read_text(encoding="utf-8")
    assert "## Q: 新赛道三是什么？" in text and "## Q: Which cities are examples of green finance?" in text
    assert "Paragraph track05.1." in text and "> London, Shenzhen" in text
    assert outside == []  # nothing leaves the machine from the browser
    context.close()


MARKUP = ("## Markup test {#m}\n\n{#m.1} The markup test page shows <script>alert(1)</script> as a script tag. "
          "It shows <img src=x onerror=alert(2)> as an image tag. A link [click](javascript:alert(3)) sits here. "
          "An image ![](http://127.0.0.1:9/leak?d=secret) sits here too.\n")


@pytest.fixture
def markup_server(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "markup.md").write_text(MARKUP, encoding="utf-8")
    with running_app({"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index")}, tmp_path) as url:
        yield url


def test_r7_markup_in_documents_renders_inert_with_no_outbound_request(markup_server, browser):
    context = browser.new_context(locale="en-US")
    requests, dialogs = [], []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(markup_server)
    page.get_by_placeholder("Ask a question").wait_for(timeout=120_000)
    ask(page, "What does the markup test page show as a script tag and an image tag?", "<script>alert(1)</script>")
    page.locator("summary", has_text="m.1").first.click()
    page.wait_for_timeout(1500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "markup-inert.png"), full_page=True)
    assert dialogs == []
    assert page.locator("script", has_text="alert(1)").count() == 0 and page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert [u for u in requests if not u.startswith((markup_server, "data:", "blob:"))] == []
    context.close()


def test_r25_several_browser_sessions_at_once_keep_their_own_history(server, browser):
    contexts = [browser.new_context(locale="en-US") for _ in range(3)]
    pages = [c.new_page() for c in contexts]
    questions = ["What is track 3?", "What is DEPA?", "Who wrote this article?"]
    expected = ['Track 3 is "Commodity trading centres"', "Digital Economy Partnership Agreement", "The authors are"]
    for page in pages:
        page.goto(server)
    for page in pages:
        page.get_by_placeholder("Ask a question").wait_for(timeout=120_000)
    for page, question in zip(pages, questions):  # all three asked before any answer is awaited
        box = page.get_by_placeholder("Ask a question")
        box.fill(question)
        box.press("Enter")
    for page, text in zip(pages, expected):
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    for page, question in zip(pages, questions):
        body = " ".join(page.locator("[data-testid='stChatMessage']").all_inner_texts())
        assert question in body and all(other not in body for other in questions if other != question)
    for context in contexts:
        context.close()
