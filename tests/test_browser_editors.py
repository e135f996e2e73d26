"""Editors and readers in a real browser, desktop and phone: a reader sees no upload or rebuild until signed in."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import BOTH, running_app, sidebar
from cityqa.editors import hash_key
from cityqa.testing import write_tiny_corpus

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
KEY = "harbour-editor-key"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus (the fakes) with an editor key configured."""
    root = tmp_path_factory.mktemp("editors")
    corpus = write_tiny_corpus(root / "corpus")
    with running_app({"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(root / "index"),
                      "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory",
                      "CITYQA_EDITOR_KEY_HASH": hash_key(KEY)}, root / "data") as url:
        yield url


def sign_in(bar, key: str) -> None:
    """Open the editor sign-in, type a key and press the button."""
    box = bar.get_by_label("Editor key")
    if not box.is_visible():  # the expander stays open after a wrong key
        bar.get_by_text("Editor sign-in").click()
    box.fill(key)
    bar.get_by_role("button", name="Sign in").click()


@BOTH
def test_r58_a_reader_signs_in_with_the_key_to_upload_and_rebuild(watched, viewport):
    page = watched(viewport).page()
    bar = sidebar(page)
    bar.get_by_text("Editor sign-in").wait_for(timeout=60_000)
    assert bar.get_by_role("button", name="Rebuild index").count() == 0
    assert bar.locator("[data-testid='stFileUploader']").count() == 0
    sign_in(bar, "not the key")
    wrong = bar.locator("[data-testid='stAlert']")
    expect(wrong).to_have_text("Wrong editor key: reading and asking stay open", timeout=30_000)
    assert bar.get_by_role("button", name="Rebuild index").count() == 0
    sign_in(bar, KEY)
    bar.get_by_role("button", name="Rebuild index").wait_for(timeout=30_000)
    expect(bar.locator("[data-testid='stFileUploader']")).to_have_count(1)
    expect(bar.get_by_text("Signed in as an editor")).to_be_visible()
