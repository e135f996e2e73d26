"""The conversation exports in a real browser, desktop and phone: Markdown and .docx downloaded and read back."""
from __future__ import annotations

import pytest

from browser_helpers import BOTH, ask, running_app, shot

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
GBT, APA = "### GB/T 7714-2015", "### APA 7th edition"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the real corpus on the fakes (fake embedder, in-memory store)."""
    root = tmp_path_factory.mktemp("export")
    env = {"CITYQA_INDEX_DIR": str(root / "index"), "CITYQA_EMBEDDING": "fake", "CITYQA_STORE": "memory"}
    with running_app(env, root / "data") as url:
        yield url


def download(page, label: str, path):
    """Click an export button and save what it downloads at path."""
    with page.expect_download() as downloaded:
        page.get_by_role("button", name=label).click()
    downloaded.value.save_as(path)
    return path


@BOTH
def test_both_exports_download_with_both_reference_styles_and_no_escapes(watched, viewport, tmp_path):
    import docx

    page = watched(viewport).page()
    ask(page, "What is track 7?", "What is track 7?")
    if viewport == "phone":
        shot(page, "export-phone.png")
    markdown = download(page, "Export conversation (Markdown)", tmp_path / "c.md").read_text(encoding="utf-8")
    assert "## Q: What is track 7?" in markdown and "> [1] “" in markdown
    assert markdown.index(APA) < markdown.index(GBT) and "[N]. 社会科学报, 2023-03-20(2)." in markdown
    assert "\\[" not in markdown and "\\(" not in markdown and "\\'" not in markdown
    word = download(page, "Export conversation (Word)", tmp_path / "c.docx")
    texts = [p.text for p in docx.Document(word).paragraphs]
    assert "Q: What is track 7?" in texts and any(text.startswith("[1] “") for text in texts)
    assert texts.index("APA 7th edition") < texts.index("GB/T 7714-2015")
    assert any("[N]. 社会科学报, 2023-03-20(2)." in text for text in texts)
