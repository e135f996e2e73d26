"""Many documents in the product: list them, limit a question to one, take one out without losing its file."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from cityqa.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "eval" / "fixtures" / "corpus"


def run(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_CORPUS_DIR": str(tmp_path / "corpus"), "CITYQA_INDEX_DIR": str(tmp_path / "index"),
        "CITYQA_EMBEDDING": "fake", "LANG": "en_US.UTF-8"}
    return subprocess.run([sys.executable, "-m", "cityqa", *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_docs_lists_ask_limits_and_remove_keeps_the_file(tmp_path):
    (tmp_path / "corpus").mkdir()
    for name in ("velmora-strategy.docx", "yanlan-plan.md"):
        shutil.copy(FIXTURES / name, tmp_path / "corpus" / name)
    listed = json.loads(run(tmp_path, "docs", "--json").stdout)
    assert {d["doc_id"] for d in listed} == {"velmora-strategy", "yanlan-plan"}
    assert next(d for d in listed if d["doc_id"] == "velmora-strategy")["title"].startswith("Velmora 2035")

    limited = json.loads(run(tmp_path, "ask", "What is section 2?", "--doc", "velmora-strategy", "--json").stdout)
    assert limited["citations"] and {c["doc_id"] for c in limited["citations"]} == {"velmora-strategy"}

    unknown = run(tmp_path, "ask", "What is section 2?", "--doc", "nosuch")
    assert unknown.returncode == 2 and unknown.stderr.strip() == "no such document: nosuch (cityqa docs lists them)"

    assert run(tmp_path, "remove", "yanlan-plan").returncode == 0
    assert [d["doc_id"] for d in json.loads(run(tmp_path, "docs", "--json").stdout)] == ["velmora-strategy"]
    assert (tmp_path / "corpus" / ".removed" / "yanlan-plan.md").exists()


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_docs_piped_prints_one_tab_separated_line_per_document_never_wrapped(tmp_path):
    (tmp_path / "corpus").mkdir()
    for name in ("velmora-strategy.docx", "yanlan-plan.md"):
        shutil.copy(FIXTURES / name, tmp_path / "corpus" / name)
    piped = run(tmp_path, "docs")  # stdout is a pipe, as in `cityqa docs | cut -f1`
    assert piped.returncode == 0, piped.stderr
    listed = json.loads(run(tmp_path, "docs", "--json").stdout)
    rows = [line.split("\t") for line in piped.stdout.splitlines()]
    assert rows == [[d["doc_id"], d["title"], d["language"], str(d["paragraphs"]), d["added"]] for d in listed]
    assert max(len(line) for line in piped.stdout.splitlines()) > 80  # the whole title on its line, not folded


def test_a_failed_removal_puts_the_file_back(tmp_path, monkeypatch):
    from cityqa import app
    from cityqa.errors import StoreUnavailable
    from cityqa.settings import Settings

    (tmp_path / "corpus").mkdir()
    for name in ("velmora-strategy.docx", "yanlan-plan.md"):
        shutil.copy(FIXTURES / name, tmp_path / "corpus" / name)
    qa = app.build_qa(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", embedding="fake"))

    def refuse(*args, **kwargs):
        raise StoreUnavailable("索引不可写", "the index cannot be written")

    monkeypatch.setattr(app, "ingest", refuse)
    with pytest.raises(StoreUnavailable):
        qa.remove("yanlan-plan")
    assert (tmp_path / "corpus" / "yanlan-plan.md").exists()
    assert not (tmp_path / "corpus" / ".removed" / "yanlan-plan.md").exists()
