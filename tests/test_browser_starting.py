"""The first screen in a real browser, desktop and phone, while the index is still being built: progress, then chat."""
from __future__ import annotations

import pytest
from filelock import FileLock
from playwright.sync_api import expect

from browser_helpers import BOTH, running_app

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def lock(tmp_path):
    """The index folder's ingest lock, held as another process building the index would hold it."""
    (tmp_path / "index").mkdir()
    held = FileLock(tmp_path / "index" / ".ingest.lock")
    held.acquire()
    yield held
    held.release()


@pytest.fixture
def server(tmp_path, lock):
    """The app over the tiny corpus with no index yet, started while another process holds the ingest lock."""
    from cityqa.testing import write_tiny_corpus

    corpus = write_tiny_corpus(tmp_path / "corpus")
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index"),
           "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory", "CITYQA_BUILD_WAIT_S": "120"}
    with running_app(env, tmp_path / "data") as url:
        yield url


@BOTH
def test_the_first_screen_shows_the_index_being_built_then_the_chat(watched, viewport, lock):
    browser = watched(viewport)
    page = browser.page()
    bar = page.locator("[data-testid='stProgress']")
    expect(bar).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Another process is building the index")).to_be_visible()
    expect(page.get_by_text("The first run builds the index first")).to_be_visible()
    assert page.locator("[data-testid='stChatInputTextArea']").count() == 0  # nothing to ask yet
    page.wait_for_timeout(2500)
    assert page.get_by_text("waited 0 s").count() == 0  # it counts on while the page waits
    lock.release()
    page.get_by_text("Try one of these questions").wait_for(timeout=60_000)
    expect(bar).to_have_count(0)
    expect(page.locator("[data-testid='stChatInputTextArea']")).to_be_visible()
