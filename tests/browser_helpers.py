"""Browser test helpers: a Streamlit server on loopback, viewports, and the moves a user makes on a page."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from cityqa.settings import PROJECT_ROOT
from conftest import free_port, wait_until_up

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "browser"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.0 Mobile/15E148 Safari/604.1")
VIEWPORTS = {"desktop": {"viewport": {"width": 1400, "height": 1000}},
             "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                       "device_scale_factor": 2, "user_agent": PHONE_UA}}
BOTH = pytest.mark.parametrize("viewport", ["desktop", "phone"])
DONE = re.compile(r"^(grounding|依据强度) \d")


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


def ask(page, question: str, expect: str) -> None:
    """Ask a question and wait until its answer is complete (its grounding line drawn)."""
    from playwright.sync_api import expect as expect_that

    done = page.get_by_text(DONE)
    before = done.count()
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(question)
    box.press("Enter")
    page.get_by_text(expect, exact=False).first.wait_for(timeout=90_000)
    expect_that(done).to_have_count(before + 1, timeout=90_000)


def sidebar(page):
    """The sidebar, opened first where it starts collapsed (a phone)."""
    bar = page.locator("[data-testid='stSidebar']")
    if bar.get_attribute("data-collapsed") == "true":
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.wait_for_function("() => document.querySelector(\"[data-testid='stSidebar']\").dataset.collapsed"
                               " === 'false'")
    return bar


def close_sidebar(page, viewport: str) -> None:
    """On a phone, close the sidebar so it no longer covers the page."""
    if viewport == "phone" and page.locator("[data-testid='stSidebar']").get_attribute("data-collapsed") != "true":
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()
        page.wait_for_function("() => document.querySelector(\"[data-testid='stSidebar']\").dataset.collapsed"
                               " === 'true'")


def go_to(page, number: int, heading: str) -> None:
    """Open a page from the navigation (0 chat, 1 reader, 2 evaluation) and wait for its heading."""
    sidebar(page).locator("[data-testid='stSidebarNavLink']").nth(number).click()
    page.locator("h1", has_text=heading).wait_for(timeout=60_000)


def in_view(locator, height: int) -> bool:
    """Whether some of the element is inside the viewport."""
    box = locator.bounding_box()
    return box is not None and box["y"] < height and box["y"] + min(box["height"], height / 2) > 0


def highlighted(locator, text: str) -> bool:
    """Whether text sits in an element with a background colour inside the locator."""
    return locator.locator("span", has_text=text).evaluate_all(
        "els => els.some(e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)')")


def visible_text(page) -> str:
    """The page's visible text without the bilingual language switch."""
    return page.evaluate("""() => { const s = document.querySelector('.st-key-language_switch');
        s.style.display = 'none'; const text = document.body.innerText; s.style.display = ''; return text; }""")


def card(page, paragraph: str):
    """Open the source card of a paragraph in the last answer; return the card's expander."""
    expander = page.locator("[data-testid='stChatMessage']").last.locator(
        "[data-testid='stExpander']", has=page.locator("summary", has_text=paragraph)).first
    expander.locator("summary").click()
    expander.locator("[data-testid='stExpanderDetails']").wait_for()
    return expander


def card_details(page, paragraph: str):
    """Open the source card of a paragraph in the last answer; return what it shows when open."""
    return card(page, paragraph).locator("[data-testid='stExpanderDetails']")


def open_reader(browser, details):
    """Open a card's reader link as a pasted URL in a new tab; return the reader page and its highlighted target."""
    href = details.get_by_role("link", name="Open in the reader").get_attribute("href")
    reader = browser.page("/" + href.removeprefix("./"))
    target = reader.locator(".st-key-reader-target")
    target.wait_for(timeout=60_000)
    return reader, target


def shot(page, name: str, full_page: bool = False) -> None:
    """Save a screenshot under artifacts/browser/ (scripts/screenshots.py copies some to docs/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)
