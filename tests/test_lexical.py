"""Lexical tables are built once per index version, opened by every reader, and never used with another version."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from cityqa.app import build_search
from cityqa.index import lexical
from cityqa.index.embedder import FakeEmbeddings, make_embeddings
from cityqa.index.ingest import ingest
from cityqa.index.store import Store, open_client
from conftest import CORPUS

QUESTIONS = ["What is track 3?", "哪些城市在绿色金融方面做了探索？", "Who wrote this article?"]


def write_corpus(root, second: str):
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.md").write_text(textwrap.dedent(f"""
        ---
        doc_id: a
        title: 甲文
        ---
        ## 第一节 {{#one}}

        {{#one.1}} 绿色金融是重要组成部分。伦敦和深圳推进低碳金融。

        {{#one.2}} {second}
        """).lstrip(), encoding="utf-8")
    return root


def ranked(search):
    return [[h.key for h in search.search(q, k=5).hits] for q in QUESTIONS]


def refuse_rebuilds(monkeypatch):
    def fail(*_args, **_kwargs):
        raise AssertionError("lexical tables were rebuilt instead of opened")
    monkeypatch.setattr(lexical, "build_tables", fail)
    monkeypatch.setattr("cityqa.index.store.build_tables", fail)


def test_a_second_reader_opens_the_persisted_tables_without_rebuilding_them(make_settings, monkeypatch):
    settings = make_settings(corpus_dir=CORPUS)
    ingest(settings, make_embeddings(settings))
    first = ranked(build_search(settings))
    refuse_rebuilds(monkeypatch)
    assert ranked(build_search(settings)) == first


def test_a_fresh_process_opens_the_tables_written_at_ingest(make_settings):
    settings = make_settings(corpus_dir=CORPUS)
    ingest(settings, make_embeddings(settings))
    code = textwrap.dedent(f"""
        import cityqa.index.store as store
        def fail(*a, **k):
            raise SystemExit("rebuilt")
        store.build_tables = fail
        from cityqa.app import build_search
        from cityqa.settings import Settings
        s = Settings(corpus_dir={str(CORPUS)!r}, index_dir={str(settings.index_dir)!r}, embedding="fake")
        print(build_search(s).search("What is track 3?", k=1).hits[0].key)
        """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == build_search(settings).search("What is track 3?", k=1).hits[0].key


def test_tables_of_an_older_version_are_never_used_with_a_newer_one(make_settings, tmp_path):
    settings = make_settings(corpus_dir=write_corpus(tmp_path / "corpus", "数据交易中心正在形成。"))
    ingest(settings, FakeEmbeddings())
    store = Store(open_client(settings))
    old = store.info().collection
    write_corpus(settings.corpus_dir, "哥本哈根有城市数据交易项目。")
    ingest(settings, FakeEmbeddings())
    new = store.info().collection
    assert new != old
    # a stale copy: the older version's tables placed under the newer version's name
    shutil.rmtree(store.tables_root / new)
    shutil.copytree(store.tables_root / old, store.tables_root / new)
    collection = store.client.get_collection(new)
    glossary = lexical.read_stamp(store.tables_root / old).glossary
    expected = lexical.Stamp(new, str(collection.id), collection.count(), glossary)
    assert lexical.load_tables(store.tables_root / new, expected) is None
    search = build_search(settings)
    texts = " ".join(p.text for p in search.passages)
    assert "哥本哈根" in texts and "数据交易中心" not in texts
    assert lexical.read_stamp(store.tables_root / new) == expected  # replaced by the right version's tables


def ingest_versions(settings, store) -> list[str]:
    """Publish three index versions of the two-paragraph corpus; their collection names, oldest first."""
    names = []
    for text in ("第一版。", "第二版。", "第三版。"):
        write_corpus(settings.corpus_dir, text)
        ingest(settings, FakeEmbeddings())
        names.append(store.info().collection)
    return names


def test_dropping_a_version_removes_its_tables(make_settings, tmp_path):
    settings = make_settings(corpus_dir=write_corpus(tmp_path / "corpus", "第一版。"))
    store = Store(open_client(settings))
    names = ingest_versions(settings, store)
    assert sorted(p.name for p in store.tables_root.iterdir()) == sorted(names[1:])


@pytest.mark.slow
def test_server_replicas_read_the_tables_from_the_version_they_serve(make_settings, chroma_server, monkeypatch):
    settings = make_settings(corpus_dir=CORPUS, chroma_url=chroma_server)
    ingest(settings, make_embeddings(settings))
    embedded = make_settings(corpus_dir=CORPUS, index_dir=settings.index_dir.parent / "embedded")
    ingest(embedded, make_embeddings(embedded))
    store = Store(open_client(settings))
    shutil.rmtree(store.tables_root, ignore_errors=True)  # a replica on another machine: no local copy
    refuse_rebuilds(monkeypatch)
    replica = build_search(settings)
    assert (store.tables_root / store.info().collection / "stamp.json").exists()
    assert ranked(replica) == ranked(build_search(embedded))


def test_name_postings_find_every_paragraph_a_scan_finds(make_settings):
    settings = make_settings(corpus_dir=CORPUS)
    ingest(settings, make_embeddings(settings))
    view = build_search(settings).view
    texts = {key: lexical.paragraph_text(versions) for key, versions in view.by_key.items()}
    probes = {"DEPA", "depa", "深圳", "伦敦", "Shenzhen", "绿色金融", "xyzzy", "不存在的地方"}
    probes |= {text[i:i + 4] for text in list(texts.values())[::7] for i in (0, 9)}
    for name in sorted(p for p in probes if len(p) >= 2):
        found = [key for key, text in texts.items() if name.lower() in text.lower()]
        candidates = view.names.candidates([[name]])
        assert set(found) <= set(candidates), name
        assert candidates == [key for key in texts if key in set(candidates)]  # corpus order
    assert view.names.candidates([["x"]]) is None  # one character: no bigram narrows it
