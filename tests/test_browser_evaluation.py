"""The Evaluation page in a real browser: on a phone no table's toolbar covers a table, in either language."""
from __future__ import annotations

import pytest

from browser_helpers import running_app, shot

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the tiny corpus with the word-count embedder and the in-memory store (the shipped report)."""
    from cityqa.testing import write_tiny_corpus

    root = tmp_path_factory.mktemp("evaluation")
    with running_app({"CITYQA_CORPUS_DIR": str(write_tiny_corpus(root / "corpus")),
                      "CITYQA_INDEX_DIR": str(root / "index"), "CITYQA_EMBEDDING": "fake-words",
                      "CITYQA_STORE": "memory"}, root / "data") as url:
        yield url


def boxes(page, selector: str) -> list[dict]:
    """The bounding boxes of the visible elements a selector finds."""
    return page.evaluate("""s => [...document.querySelectorAll(s)].filter(e => getComputedStyle(e).opacity !== '0')
        .map(e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                              right: r.right}; })""", selector)


def overlap(a: dict, b: dict) -> bool:
    return a["top"] < b["bottom"] and b["top"] < a["bottom"] and a["left"] < b["right"] and b["left"] < a["right"]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_on_a_phone_no_table_toolbar_covers_a_table(watched, locale):
    page = watched("phone", locale=locale).page("/?page=evaluation")
    page.locator("[data-testid='stDataFrame']").nth(2).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the tables settle their height once drawn
    tables, toolbars = boxes(page, "[data-testid='stDataFrame']"), boxes(page, "[data-testid='stElementToolbar']")
    assert len(tables) >= 3 and toolbars  # a touch screen shows every table's toolbar
    assert [(bar, table) for bar in toolbars for table in tables if overlap(bar, table)] == []
    shot(page, f"evaluation-phone-{locale}.png")
