"""R7 in a real browser, desktop and phone: markup in a document renders inert and makes no outbound request."""
from __future__ import annotations

import pytest

from browser_helpers import BOTH, ask, card, running_app, shot

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
MARKUP = ("## Markup test {#m}\n\n{#m.1} The markup test page shows <script>alert(1)</script> as a script tag. "
          "It shows <img src=x onerror=alert(2)> as an image tag. A link [click](javascript:alert(3)) sits here. "
          "An image ![](http://127.0.0.1:9/leak?d=secret) sits here too.\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over a one-document corpus full of markup."""
    root = tmp_path_factory.mktemp("markup")
    (root / "corpus").mkdir()
    (root / "corpus" / "markup.md").write_text(MARKUP, encoding="utf-8")
    with running_app({"CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index")},
                     root / "data") as url:
        yield url


@BOTH
def test_r7_markup_in_documents_renders_inert_with_no_outbound_request(watched, viewport):
    page = watched(viewport).page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask(page, "What does the markup test page show as a script tag and an image tag?", "<script>alert(1)</script>")
    card(page, "m.1")
    page.wait_for_timeout(1500)
    shot(page, f"markup-inert-{viewport}.png", full_page=True)
    assert dialogs == []
    assert page.locator("script", has_text="alert(1)").count() == 0 and page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
