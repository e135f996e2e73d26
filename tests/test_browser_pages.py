"""Every page opens fresh from an address on the root path, desktop and phone, with no 404 and no console error."""
from __future__ import annotations

import pytest

from browser_helpers import BOTH, running_app

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus with the word-count embedder and the in-memory store."""
    from cityqa.testing import write_tiny_corpus

    root = tmp_path_factory.mktemp("pages")
    with running_app({"CITYQA_CORPUS_DIR": str(write_tiny_corpus(root / "corpus")),
                      "CITYQA_INDEX_DIR": str(root / "index"), "CITYQA_EMBEDDING": "fake-words",
                      "CITYQA_STORE": "memory"}, root / "data") as url:
        yield url


@BOTH
@pytest.mark.parametrize("name, heading", [("evaluation", "Evaluation"), ("reader", "Source reader")])
def test_a_page_opened_fresh_at_its_root_address_logs_no_404(watched, viewport, name, heading):
    page = watched(viewport).page(f"/?page={name}")  # the watched context fails on any 404 or console error
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    assert page.locator("h1").first.inner_text() == heading
