"""Streamlit AppTest over the tiny corpus: an upload shows in the session's document list as soon as it is indexed."""
from __future__ import annotations

import time

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
    assert not app.exception and any("Added 1 document (" in s.value for s in app.sidebar.success)
    assert "The Brightwater Ferry Note" in listed(app)


def status(at) -> tuple[int, str]:
    """The sidebar's index status: its chunk count and build time."""
    line = next(c.value for c in at.sidebar.caption if "Index status" in c.value)
    return int(line.split(":**")[1].split()[0]), line.rpartition("built ")[2]


def add(at, name: str, body: bytes):
    """Choose one file in the sidebar's uploader and click "Add to the index"."""
    at.sidebar.file_uploader[0].set_value((name, body, "text/markdown"))
    at.run()
    return next(b for b in at.sidebar.button if b.label == "Add to the index").click().run()


def test_after_an_add_the_uploader_is_empty_and_the_next_add_sends_only_new_files(app):
    add(app, "ferry-note.md", NOTE)
    assert not app.exception and not app.sidebar.file_uploader[0].value  # cleared: nothing left to send again
    add(app, "quay-note.md", b"# The Quay Note\n\nThree quays will open on the river.\n")
    assert not app.exception and [e.value for e in app.sidebar.error] == []  # the first file is not retried
    assert [s.value for s in app.sidebar.success] == ["Added 1 document (1 paragraph): quay-note.md"]
    assert "The Quay Note" in listed(app) and "The Brightwater Ferry Note" in listed(app)


def test_the_index_status_shows_the_index_as_it_is_after_an_add(app):
    chunks, built = status(app)
    time.sleep(1.1)  # build times are shown to the second
    add(app, "ferry-note.md", NOTE)
    now = status(app)
    assert now[0] > chunks and now[1] != built


def test_the_add_counts_read_as_words_in_either_language(app):
    assert "multiple files" in app.sidebar.file_uploader[0].label  # as the Chinese label's 可多选 says
    app.sidebar.segmented_control[0].set_value("zh").run()
    app.sidebar.file_uploader[0].set_value(("ferry-note.md", NOTE, "text/markdown"))
    app.run()
    next(b for b in app.sidebar.button if b.label == "加入索引").click().run()
    assert [s.value for s in app.sidebar.success] == ["已添加 1 份文档（1 个段落）：ferry-note.md"]
    app.sidebar.segmented_control[0].set_value("en").run()  # the outcome follows the interface language
    assert [s.value for s in app.sidebar.success] == ["Added 1 document (1 paragraph): ferry-note.md"]


def test_the_index_status_shows_the_index_as_it_is_after_a_rebuild(app, tmp_path):
    chunks, built = status(app)
    (tmp_path / "corpus" / "quay-note.md").write_text("# The Quay Note\n\nThree quays will open on the river.\n",
                                                      encoding="utf-8")
    time.sleep(1.1)  # build times are shown to the second
    next(b for b in app.sidebar.button if b.label == "Rebuild index").click().run()
    assert not app.exception and any(s.value.startswith("Index updated: 2 added") for s in app.sidebar.success)
    now = status(app)  # in the run that rebuilt, not one action later
    assert now[0] > chunks and now[1] != built
