"""Streamlit AppTest over the tiny corpus: an upload shows in the session's document list as soon as it is indexed."""
from __future__ import annotations

import pytest

NOTE = b"# The Brightwater Ferry Note\n\nNight ferries will leave the harbour every twenty minutes.\n"


@pytest.fixture
def app(started_app, tmp_path):
    """The app over the tiny corpus with the word-count embedder and the in-memory store, run once, in English."""
    from cityqa.testing import write_tiny_corpus

    return started_app({"CITYQA_CORPUS_DIR": str(write_tiny_corpus(tmp_path / "corpus")),
                        "CITYQA_INDEX_DIR": str(tmp_path / "index"), "CITYQA_DATA_DIR": str(tmp_path / "data"),
                        "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"})


def listed(at) -> str:
    """The text of the sidebar's corpus document list."""
    box = next(e for e in at.sidebar.expander if e.label == "Corpus documents")
    return "\n".join(t.value for t in box.text)


def test_the_document_list_shows_an_upload_in_the_run_that_indexed_it(app):
    assert "The Brightwater Ferry Note" not in listed(app)
    app.sidebar.file_uploader[0].set_value(("ferry-note.md", NOTE, "text/markdown"))
    app.run()
    next(b for b in app.sidebar.button if b.label == "Add to the index").click().run()
    assert not app.exception and any("Added 1 document" in s.value for s in app.sidebar.success)
    assert "The Brightwater Ferry Note" in listed(app)
