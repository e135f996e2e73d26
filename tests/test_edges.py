"""Rough edges a newcomer met: refused uploads, quiet PDF loading, reasons in words, damaged index, stale lists, ids."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from cityqa.app import build_qa
from cityqa.console import read_baseline, read_history
from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.errors import BadInput, IndexCorrupt
from cityqa.settings import PROJECT_ROOT

GOOD = "# 港口规划\n\n本规划提出建设三个新码头。\n\n第二段说明投资来源。\n".encode()
BROKEN_PDF = b"this is not a pdf at all" * 40


def test_a_refused_upload_is_not_kept_and_the_others_are_added(tiny_qa):
    uploads = tiny_qa.settings.corpus_dir / "uploads"
    before = {d["doc_id"] for d in tiny_qa.documents()}
    upload = tiny_qa.upload([("port.md", GOOD), ("broken.pdf", BROKEN_PDF), ("photo.webp", b"RIFF....")])
    assert upload.added == [("port.md", 2)]
    refused = dict(upload.refused)
    assert set(refused) == {"broken.pdf", "photo.webp"}
    assert refused["broken.pdf"].en == "unreadable PDF: the file is damaged or is not a PDF"
    assert "不支持的文件类型：photo.webp" in refused["photo.webp"].zh and ".pdf" in refused["photo.webp"].en
    assert sorted(p.name for p in uploads.iterdir()) == ["port.md"]  # nothing the user would not expect
    assert {d["doc_id"] for d in tiny_qa.documents()} == before | {"uploads-port"}


def test_a_refused_upload_leaves_an_earlier_file_of_that_name_as_it_was(tiny_qa):
    tiny_qa.upload([("plan.pdf", BROKEN_PDF)])
    assert not (tiny_qa.settings.corpus_dir / "uploads" / "plan.pdf").exists()
    tiny_qa.upload([("port.md", GOOD)])
    upload = tiny_qa.upload([("port.md", b"\x00\x01 binary")])
    assert upload.added == [] and [n for n, _ in upload.refused] == ["port.md"]
    assert (tiny_qa.settings.corpus_dir / "uploads" / "port.md").read_bytes() == GOOD


def test_a_damaged_pdf_says_what_is_wrong_in_words_and_pypdf_stays_quiet(tmp_path, capfd, caplog):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 200)
    with caplog.at_level(logging.INFO, logger="cityqa.corpus"), pytest.raises(UnreadableFile) as error:
        load_document(path, tmp_path, 5)
    assert "Error" not in error.value.en + error.value.zh and "已损坏" in error.value.zh
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""  # no "EOF marker not found", no "invalid pdf header"
    assert any("unreadable PDF" in r.getMessage() for r in caplog.records)  # the class name is kept in the log


@pytest.mark.parametrize("reader", [read_history, lambda p, _: read_baseline(p)])
def test_a_file_that_is_not_json_is_named_in_words_without_class_names(tmp_path, reader):
    path = tmp_path / "h.json"
    path.write_text("[{oops", encoding="utf-8")
    with pytest.raises(BadInput) as error:
        reader(path, "en")
    assert "not valid JSON (line 1, column 3)" in error.value.en and "不是有效的 JSON" in error.value.zh
    assert "JSONDecodeError" not in error.value.en + error.value.zh


def test_a_damaged_index_says_so_and_names_the_rebuild_that_repairs_it(make_settings):
    from cityqa.app import ingest_files
    from cityqa.testing import write_tiny_corpus

    settings = make_settings(embedding="fake-words", store="chroma")
    write_tiny_corpus(settings.corpus_dir)
    build_qa(settings)
    (settings.index_dir / "chroma.sqlite3").write_bytes(b"not a database " * 500)
    with pytest.raises(IndexCorrupt) as error:
        build_qa(settings)
    assert "cityqa ingest --rebuild" in error.value.en and "cityqa ingest --rebuild" in error.value.zh
    assert "damaged" in error.value.en and "损坏" in error.value.zh and "try again" not in error.value.en
    assert error.value.exit_code == 1
    report = ingest_files(settings, rebuild=True)  # the advice works: damaged files moved aside, index rebuilt
    assert report.published and build_qa(settings).documents()
    assert list(settings.index_dir.parent.glob("index.damaged-*"))  # kept, not deleted


def test_documents_and_the_version_follow_a_removal_made_by_another_qa(tiny_settings):
    shown, other = build_qa(tiny_settings), build_qa(tiny_settings)
    shown.search.refresh_s = 0  # the app checks every 2 s; the test need not wait
    before, doc_id = shown.version(), shown.documents()[0]["doc_id"]
    other.remove(doc_id)
    assert shown.version() != before
    assert doc_id not in {d["doc_id"] for d in shown.documents()}
    assert all(key.partition("#")[0] != doc_id for key in shown.paragraphs())


@pytest.mark.slow
def test_docs_never_truncates_an_id_even_on_a_narrow_terminal(tmp_path):
    from cityqa.testing import write_tiny_corpus

    corpus = write_tiny_corpus(tmp_path / "corpus")
    (corpus / "uploads").mkdir()
    (corpus / "uploads" / "marrowfield-transport-strategy-2030.md").write_bytes(GOOD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index"), "COLUMNS": "50",
        "CITYQA_DATA_DIR": str(tmp_path / "data"), "CITYQA_EMBEDDING": "fake-words", "CITYQA_LANGUAGE": "en"}
    result = subprocess.run([sys.executable, "-m", "cityqa", "docs"], capture_output=True, text=True, env=env,
                            timeout=120, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert "uploads-marrowfield-transport-strategy-2030" in result.stdout
    listed = json.loads(subprocess.run([sys.executable, "-m", "cityqa", "docs", "--json"], capture_output=True,
                                       text=True, env=env, timeout=120, cwd=PROJECT_ROOT).stdout)
    assert all(d["doc_id"] in result.stdout for d in listed)


def test_a_cited_paragraph_without_a_section_is_placed_by_its_documents_title(capsys):
    from types import SimpleNamespace

    from cityqa.console import print_answer

    citation = SimpleNamespace(n=1, section="", title="Review of the Harbour", paragraph_id="body.1", quote="Q.",
                               language="en", original="", reference={"zh": "", "en": "Park, H. (2026)."})
    answer = SimpleNamespace(language="en", flags=[], answer="A. [1]", citations=[citation], mode="extractive",
                             grounding=1.0, timings_ms={"total": 1.0}, refused=False, understood_as="")
    print_answer(answer)
    assert "[1] Review of the Harbour · body.1" in capsys.readouterr().out
