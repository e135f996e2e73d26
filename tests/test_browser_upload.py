"""Uploads in a real browser, desktop and phone: a document added, asked about, and read under an honest label."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, ask, close_sidebar, go_to, running_app, sidebar
from cityqa.settings import PROJECT_ROOT

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
FIXTURES = PROJECT_ROOT / "eval" / "fixtures" / "corpus"
# viewport → (file, question, words of the answer, title in the picker, the reader's label)
UPLOADS = {"desktop": ("velmora-strategy.docx", "How many new homes does Velmora plan to build by 2035?", "48,000",
                       "Velmora 2035", "The full text (English)"),
           "phone": ("heting-data-exchange-news.txt", "鹤汀数据交易中心挂牌一年来累计成交了多少钱？", "18.6亿元",
                     "鹤汀数据交易中心", "The full text (Chinese)")}


@pytest.fixture(scope="module")
def server(e5_settings, tmp_path_factory):
    """The app over writable copies of the corpus and its real-embedder index, so uploads land in a temporary folder."""
    root = tmp_path_factory.mktemp("upload")
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus")
    shutil.copytree(e5_settings.index_dir, root / "index")
    with running_app({"CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index")},
                     root / "data") as url:
        yield url


@BOTH
def test_an_uploaded_document_is_answered_from_and_read_as_single_language(watched, viewport):
    name, question, answer, title, label = UPLOADS[viewport]
    page = watched(viewport).page()
    bar = sidebar(page)
    bar.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(FIXTURES / name))
    bar.get_by_role("button", name="Add to the index").click()
    bar.get_by_text(re.compile(r"Index updated: [1-9]\d* added")).wait_for(timeout=120_000)
    close_sidebar(page, viewport)
    ask(page, question, answer)
    sources = page.locator("[data-testid='stChatMessage']").last.locator("summary").all_inner_texts()
    assert sources and all("track" not in s for s in sources)  # cited from the upload, not the SASS article
    go_to(page, 1, "Source reader")
    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option").filter(has_text=title).first.click()
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text(label).wait_for(timeout=60_000)
    expect(page.locator(".st-key-reader_view")).to_have_count(0, timeout=30_000)  # no side-by-side switch
    assert "side by side" not in main.inner_text() and "unofficial" not in main.inner_text()
    assert answer in main.inner_text()
