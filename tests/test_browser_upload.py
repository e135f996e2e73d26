"""Uploads in a real browser, desktop and phone: a document added, asked about, and read under an honest label."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

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
def root(tmp_path_factory):
    """The temporary folder holding the served app's corpus and index."""
    return tmp_path_factory.mktemp("upload")


@pytest.fixture(scope="module")
def server(e5_settings, root):
    """The app over writable copies of the corpus and its real-embedder index, so uploads land in a temporary folder."""
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
    bar.get_by_text(re.compile(r"Added 1 document \([1-9]\d* paragraphs?\)")).wait_for(timeout=120_000)
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


def test_refused_uploads_show_only_their_errors_in_chinese_and_are_not_kept(watched, root):
    uploads = root / "corpus" / "uploads"
    before = {p.name for p in uploads.iterdir()} if uploads.exists() else set()  # earlier tests' uploads
    page = watched("desktop", locale="zh-CN").page()
    bar = sidebar(page)
    bar.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([
        {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf " * 50},
        {"name": "photo.webp", "mimeType": "image/webp", "buffer": b"RIFF" + bytes(64)},
        {"name": "port-note.md", "mimeType": "text/markdown",
         "buffer": "# 港口说明\n\n本说明介绍新建的三个码头。\n".encode()}])
    bar.get_by_role("button", name="加入索引").click()
    bar.get_by_text("已添加 1 份文档（1 个段落）：port-note.md").wait_for(timeout=120_000)
    text = bar.inner_text()
    assert "未加入 broken.pdf：无法读取 PDF：文件已损坏，或不是 PDF 文件" in text
    assert "未加入 photo.webp：不支持的文件类型" in text and "not allowed" not in text  # cityqa's refusal, in Chinese
    assert "索引已更新" not in text and "Error" not in text
    assert sorted({p.name for p in uploads.iterdir()} - before) == ["port-note.md"]


def test_the_first_screen_and_reader_follow_a_removal_in_another_process(watched, root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index"),
        "CITYQA_DATA_DIR": str(root / "data"), "CITYQA_LANGUAGE": "en"}
    note = root / "corpus" / "uploads" / "quay-note.md"
    note.parent.mkdir(exist_ok=True)
    note.write_text("# Quay Renewal Note\n\nThe note describes three new quays on the river.\n", encoding="utf-8")
    cli = [sys.executable, "-m", "cityqa"]
    subprocess.run([*cli, "ingest", str(note)], env=env, check=True, capture_output=True, timeout=300)
    time.sleep(2.5)  # the app looks for a newly published index version every 2 s
    page = watched("desktop").page()
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Quay Renewal Note").first.wait_for(timeout=60_000)
    subprocess.run([*cli, "remove", "uploads-quay-note"], env=env, check=True, capture_output=True, timeout=300)
    page.wait_for_timeout(2500)  # the app looks for a newly published index version every 2 s
    page.reload()
    main.get_by_text("Documents in the corpus:").wait_for(timeout=60_000)
    assert "Quay Renewal Note" not in main.inner_text()
    go_to(page, 1, "Source reader")
    page.locator("[data-testid='stSelectbox']").first.click()
    assert "Quay Renewal Note" not in " ".join(page.get_by_role("option").all_inner_texts())
