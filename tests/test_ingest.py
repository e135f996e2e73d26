"""Ingest is idempotent, leaves no stale chunks, refuses a foreign model, and survives kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from cityqa.app import build_search
from cityqa.errors import IndexBusy, ModelMismatch
from cityqa.index.embedder import make_embeddings
from cityqa.index.ingest import ingest
from cityqa.index.store import PREFIX, Store, open_client
from cityqa.testing import FakeEmbeddings


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def small_corpus(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.md", """
        ---
        doc_id: a
        title: 甲文
        ---
        ## 第一节 {#one}

        {#one.1} 绿色金融是重要组成部分。伦敦和深圳推进低碳金融。

        {#one.2} 数据交易中心正在形成。哥本哈根有城市数据交易项目。
        """)
    write(root / "b.txt", "Offshore finance nodes are growing.\n\nTalent hubs attract people.\n")
    return root


def ids_of(settings):
    store = Store(open_client(settings))
    info = store.info()
    return sorted(store.records(store.client.get_collection(info.collection))["ids"])


def test_reingesting_an_unchanged_corpus_changes_nothing(make_settings, small_corpus):
    settings = make_settings()
    first = ingest(settings, FakeEmbeddings())
    before = ids_of(settings)
    second = ingest(settings, FakeEmbeddings())
    assert (first.files, first.added, first.published) == (2, 10, True)  # 4 paragraphs, 6 sentences
    assert (second.added, second.removed, second.unchanged, second.published) == (0, 0, 10, False)
    assert ids_of(settings) == before


def test_edited_and_removed_files_leave_no_stale_chunks(make_settings, small_corpus):
    settings = make_settings()
    ingest(settings, FakeEmbeddings())
    (small_corpus / "b.txt").unlink()
    md = small_corpus / "a.md"
    md.write_text(md.read_text(encoding="utf-8").replace("哥本哈根", "赫尔辛基"), encoding="utf-8")
    report = ingest(settings, FakeEmbeddings())
    assert (report.added, report.removed, report.unchanged) == (2, 6, 4)
    search = build_search(settings)
    texts = " ".join(p.text for p in search.passages)
    assert "赫尔辛基" in texts and "哥本哈根" not in texts and "Offshore" not in texts
    assert all("哥本哈根" not in h.passage("zh").text for h in search.search("哥本哈根 数据交易", k=10).hits)


def test_ingesting_another_folder_keeps_the_corpus(make_settings, small_corpus, tmp_path):
    settings = make_settings()
    ingest(settings, FakeEmbeddings())
    extra = write(tmp_path / "extra" / "c.md", "## 附录 {#app}\n\n{#app.1} 附加材料一句。\n")
    report = ingest(settings, FakeEmbeddings(), [extra.parent])
    assert (report.added, report.removed, report.chunks) == (2, 0, 12)
    assert ingest(settings, FakeEmbeddings(), [extra.parent]).published is False


def test_index_built_with_another_model_is_refused_naming_both(make_settings, small_corpus):
    settings = make_settings()
    ingest(settings, FakeEmbeddings())
    other = FakeEmbeddings(size=32, model_id="fake-32")
    with pytest.raises(ModelMismatch) as error:
        Store(open_client(settings)).active(other.model_id, other.dimension)
    assert "fake-64" in error.value.en and "fake-32" in error.value.en and "cityqa ingest --rebuild" in error.value.en
    with pytest.raises(ModelMismatch):
        ingest(settings, other)
    assert ingest(settings, other, rebuild=True).published


def test_a_second_writer_fails_fast_with_a_clear_message(make_settings, small_corpus):
    from filelock import FileLock

    settings = make_settings()
    settings.index_dir.mkdir(parents=True)
    with FileLock(settings.index_dir / ".ingest.lock"):
        with pytest.raises(IndexBusy) as error:
            ingest(settings, FakeEmbeddings())
    assert "another process" in error.value.en and "另一个进程" in error.value.zh


@pytest.mark.slow
def test_ingest_killed_mid_way_leaves_the_old_index_serving_and_a_rerun_completes(make_settings, small_corpus):
    settings = make_settings()
    ingest(settings, FakeEmbeddings())
    before = ids_of(settings)
    for i in range(200):
        write(small_corpus / f"bulk{i:03d}.md", f"## 节 {{#s}}\n\n{{#s.1}} 第{i}段新内容。又一句。\n")
    script = f"""
import os, signal
from cityqa.settings import Settings
from cityqa.testing import FakeEmbeddings
from cityqa.index.ingest import ingest
def die(stage, done, total):
    if stage == "embed" and done >= 64:
        os.kill(os.getpid(), signal.SIGKILL)
ingest(Settings(corpus_dir={str(settings.corpus_dir)!r}, index_dir={str(settings.index_dir)!r}, embedding="fake"),
       FakeEmbeddings(), progress=die)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL
    assert ids_of(settings) == before
    assert len(build_search(settings).search("绿色金融", k=3).hits) == 3
    report = ingest(settings, FakeEmbeddings())
    assert report.published and report.chunks == len(before) + 600 == len(ids_of(settings))
    names = [c.name for c in Store(open_client(settings)).client.list_collections() if c.name.startswith(PREFIX)]
    assert len(names) <= 2


def test_bad_files_are_reported_one_line_each_while_the_rest_ingests(make_settings, small_corpus):
    (small_corpus / "empty.md").write_bytes(b"")
    (small_corpus / "fake.pdf").write_bytes(os.urandom(2048))
    (small_corpus / "notes.xyz").write_text("hello", encoding="utf-8")
    report = ingest(make_settings(), FakeEmbeddings())
    problems = {path.rsplit("/", 1)[-1]: error for path, error in report.problems}
    assert sorted(problems) == ["empty.md", "fake.pdf", "notes.xyz"]
    assert all("\n" not in e.en and "\n" not in e.zh for e in problems.values())
    assert report.files == 2 and report.chunks == 10


def test_unknown_embedding_setting_lists_the_choices(make_settings):
    from cityqa.errors import ConfigError

    with pytest.raises(ConfigError) as error:
        make_embeddings(make_settings(embedding="word2vec"))
    assert "e5-small-q4" in error.value.en and "sentence-transformers" in error.value.en


def test_sentences_read_once_are_kept_for_their_version_and_a_new_version_reads_its_own(make_settings, small_corpus):
    settings = make_settings()
    ingest(settings, FakeEmbeddings())
    search = build_search(settings)
    keys = [p.metadata["paragraph_key"] for p in search.passages]
    first = search.sentences(keys)
    reads = []
    collection = search.view.collection
    original_get = collection.get
    collection.get = lambda **kw: reads.append(kw) or original_get(**kw)
    assert [p.text for p, _ in search.sentences(keys)] == [p.text for p, _ in first] and reads == []
    md = small_corpus / "a.md"
    md.write_text(md.read_text(encoding="utf-8").replace("哥本哈根", "赫尔辛基"), encoding="utf-8")
    ingest(settings, FakeEmbeddings())
    search.refresh(force=True)
    texts = " ".join(p.text for p, _ in search.sentences([p.metadata["paragraph_key"] for p in search.passages]))
    assert "赫尔辛基" in texts and "哥本哈根" not in texts
