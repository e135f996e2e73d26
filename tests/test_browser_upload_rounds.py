"""Uploads in a real browser, desktop and phone: each add empties the chooser, the status follows, titles told apart."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, close_sidebar, go_to, running_app, shot, sidebar

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHUNKS = re.compile(r"(\d+) chunks · model .* · built (.+)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus with the word-count embedder and the in-memory store."""
    from cityqa.testing import write_tiny_corpus

    root = tmp_path_factory.mktemp("upload-rounds")
    with running_app({"CITYQA_CORPUS_DIR": str(write_tiny_corpus(root / "corpus")),
                      "CITYQA_INDEX_DIR": str(root / "index"), "CITYQA_EMBEDDING": "fake-words",
                      "CITYQA_STORE": "memory"}, root / "data") as url:
        yield url


def note(name: str, title: str, text: str) -> dict:
    """A file to choose in the uploader."""
    return {"name": name, "mimeType": "text/plain", "buffer": f"{title}\n\n{text}\n".encode()}


def add(bar, files: list[dict], added: str) -> None:
    """Choose files in the sidebar's uploader, click "Add to the index" and wait for the line saying what was added."""
    bar.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files)
    bar.get_by_role("button", name="Add to the index").click()
    bar.get_by_text(added).wait_for(timeout=60_000)


def status(bar) -> tuple[int, str]:
    """The sidebar's index status: chunks and build time."""
    found = CHUNKS.search(bar.locator("[data-testid='stCaptionContainer']", has_text="Index status").inner_text())
    return int(found.group(1)), found.group(2)


@BOTH
def test_an_add_empties_the_chooser_updates_the_status_and_the_next_add_sends_only_new_files(watched, viewport):
    page = watched(viewport).page()
    bar = sidebar(page)
    chunks, built = status(bar)
    page.wait_for_timeout(1100)  # build times are shown to the second
    add(bar, [note(f"{viewport}-ferry.txt", "Ferry Timetable", "Night ferries leave every twenty minutes.")],
        f"Added 1 document (1 paragraph): {viewport}-ferry.txt")
    expect(bar.locator("[data-testid='stFileChip']")).to_have_count(0, timeout=10_000)  # nothing left to resend
    now = status(bar)
    assert now[0] > chunks and now[1] != built
    add(bar, [note(f"{viewport}-quay.txt", "Quay Works", "Three quays open on the river in spring.")],
        f"Added 1 document (1 paragraph): {viewport}-quay.txt")
    assert bar.locator("[data-testid='stAlert']", has_text="Not added").count() == 0  # the first file not retried
    expect(bar.get_by_role("button", name="Add to the index")).to_have_count(0, timeout=10_000)  # nothing to add
    shot(page, f"upload-rounds-{viewport}.png")


@BOTH
def test_documents_sharing_a_title_are_told_apart_on_the_first_screen_and_in_the_reader(watched, viewport):
    page = watched(viewport).page()
    bar = sidebar(page)
    title = f"Harbour Lights Notice {viewport}"
    add(bar, [note(f"{viewport}-lights.md", f"# {title}", "The harbour lights are renewed in May."),
              note(f"{viewport}-lights-scan.txt", title, "The harbour lights are renewed in May, pier by pier.")],
        "Added 2 documents (2 paragraphs)")
    close_sidebar(page, viewport)
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text(f"{title} (.txt)").wait_for(timeout=60_000)
    assert f"{title} (.md)" in main.inner_text()
    shot(page, f"repeated-titles-{viewport}.png")
    go_to(page, 1, "Source reader")
    page.locator("[data-testid='stSelectbox']").first.click()
    options = page.get_by_role("option").filter(has_text=title).all_inner_texts()
    assert sorted(options) == [f"{title} (.md)", f"{title} (.txt)"]
