"""Streamlit AppTest: two documents sharing a title (a file and its plain-text copy) are told apart wherever listed."""
from __future__ import annotations

import pytest

TITLE = "The Brightwater Ferry Note"
NOTE = f"# {TITLE}\n\nNight ferries will leave the harbour every twenty minutes.\n"
COPY = f"{TITLE}\n\nNight ferries leave the harbour every twenty minutes from the east pier.\n"
# the tiny corpus's English plan again, as a plain-text file: a title its .md version bears too
PLAN_COPY = ("The Lumen Harbour Plan\n\nLumen will turn the old coal docks into tidal parks that flood twice a day. "
             "The tidal parks protect Lumen from storm surges.\n")


@pytest.fixture
def start(started_app, tmp_path):
    """Start the app, on the page an address names, over the tiny corpus plus a note as .md and .txt, a plan as .txt."""
    from cityqa.testing import write_tiny_corpus

    corpus = write_tiny_corpus(tmp_path / "corpus")
    (corpus / "uploads").mkdir()
    (corpus / "uploads" / "ferry-note.md").write_text(NOTE, encoding="utf-8")
    (corpus / "uploads" / "ferry-note-copy.txt").write_text(COPY, encoding="utf-8")
    (corpus / "uploads" / "lumen-plan-copy.txt").write_text(PLAN_COPY, encoding="utf-8")
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index"),
           "CITYQA_DATA_DIR": str(tmp_path / "data"), "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"}
    return lambda query=None: started_app(env, query)


def test_the_first_screen_lists_each_document_sharing_a_title_with_its_file_type(start):
    listed = [m.value.replace("\\", "") for m in start().markdown if TITLE in m.value]  # unescaped
    assert len(listed) == 2 and any(f"{TITLE} (.md)" in m for m in listed) and any(f"{TITLE} (.txt)" in m
                                                                                  for m in listed)


def test_the_reader_picker_tells_documents_sharing_a_title_apart(start):
    at = start({"page": "reader"})
    options = at.selectbox[0].options
    assert f"{TITLE} (.md)" in options and f"{TITLE} (.txt)" in options and len(set(options)) == len(options)


def test_a_source_card_from_a_document_sharing_its_title_names_the_file_type(start):
    at = start()
    at.chat_input[0].set_value("What do the tidal parks protect Lumen from?").run()
    assert not at.exception
    headers = [e.label.replace("\\", "") for e in at.expander if e.label.startswith("\\[")]  # unescaped
    plan = "The Lumen Harbour Plan"
    assert headers and all(f"{plan} (.md) · " in h or f"{plan} (.txt) · " in h for h in headers), headers
