"""The reader in a real browser opens every section of a document whose headings differ only in numerals or marks."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from browser_helpers import BOTH, go_to, running_app
from test_loaders import HEADINGS_ALIKE, headings_docx

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over one uploaded-like .docx (一、… 四、 and look-alike English headings), on the fakes."""
    root = tmp_path_factory.mktemp("headings")
    (root / "corpus").mkdir()
    (root / "corpus" / "plan.docx").write_bytes(headings_docx(HEADINGS_ALIKE))
    env = {"CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index"),
           "CITYQA_EMBEDDING": "fake", "CITYQA_STORE": "memory"}
    with running_app(env, root / "data") as url:
        yield url


def no_error(page) -> None:
    """Fail when the page shows the error boundary's message."""
    assert page.locator("[data-testid='stAlertContentError']").count() == 0, page.locator("body").inner_text()


@BOTH
def test_every_section_of_a_document_with_look_alike_headings_opens_in_the_reader(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    go_to(page, 1, "Source reader")
    main = page.locator("[data-testid='stMainBlockContainer']")
    for heading in HEADINGS_ALIKE:  # the whole document drawn: every section's heading and text
        main.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
    assert main.get_by_text("这一段说明四、实施步骤。").count() == 1
    no_error(page)
    links = main.get_by_role("link", name="¶ ").all()
    ids = [link.inner_text().removeprefix("¶ ").strip() for link in links]
    assert len(ids) == 2 * len(HEADINGS_ALIKE) and len(set(ids)) == len(ids)
    for number, pid in enumerate(ids[::2], 1):  # each section opened at its first paragraph from a fresh tab
        reader = browser.page("/?" + urlencode({"lang": "en", "doc": "plan", "p": pid}))
        target = reader.locator(".st-key-reader-target")
        target.wait_for(timeout=60_000)
        assert f"第{number}节的第一段" in target.inner_text()
        no_error(reader)
