"""Hardening round 3 in a real browser: an oversize upload refused in Chinese, hostile labels shown as text."""
from __future__ import annotations

import pytest

from browser_helpers import go_to, running_app, sidebar
from cityqa.testing import write_tiny_corpus
from test_hardening2 import HOSTILE_DOC

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
EXAMPLE = "What is ![e](http://evil.example/example.png) the ferry?"
UPLOAD_NAME = "![u](http://evil.example/upload.png).md"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus plus a document whose title and examples hold Markdown images (the fakes)."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_tiny_corpus(root / "corpus")
    (corpus / "hostile.md").write_text(HOSTILE_DOC, encoding="utf-8")
    with running_app({"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(root / "index"),
                      "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"}, root / "data") as url:
        yield url


def test_r55_an_oversize_upload_is_refused_in_chinese_in_the_chinese_ui(watched):
    page = watched(locale="zh-CN").page()
    bar = sidebar(page)
    bar.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": "big.txt", "mimeType": "text/plain", "buffer": b"a" * (21 * 1024 * 1024)})
    chip = bar.locator("[data-testid='stFileChip'][aria-invalid='true']")
    chip.wait_for(timeout=30_000)
    chip.hover()
    after = chip.locator("[data-testid='stFileChipName'] + div").evaluate("e => getComputedStyle(e, '::after').content")
    assert after == '" · 未上传：每个文件不超过 20 MB"'
    assert "File must be" not in page.locator("body").inner_text()  # neither the alert nor the hover tooltip


def test_r57_hostile_examples_titles_and_upload_names_are_shown_and_never_fetched(watched):
    page = watched().page()  # the watched context fails the test on any request outside the app
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_role("button", name=EXAMPLE).wait_for(timeout=60_000)  # the literal text is the button's name
    assert main.locator("img").count() == 0
    bar = sidebar(page)
    bar.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": UPLOAD_NAME, "mimeType": "text/markdown", "buffer": b"---\ndoc_id: lumen-plan\n---\n\nForged.\n"})
    bar.get_by_role("button", name="Add to the index").click()
    bar.get_by_text(f"Not added: {UPLOAD_NAME}", exact=False).wait_for(timeout=60_000)
    assert bar.locator("[data-testid='stAlert'] img").count() == 0
    go_to(page, 1, "Source reader")
    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option").filter(has_text="Harbour").first.click()
    main.get_by_role("button", name=EXAMPLE).wait_for(timeout=60_000)
    assert main.locator("img").count() == 0
