"""Each index version's paragraph vectors live in their own collection: queried unfiltered, dropped with it."""
from __future__ import annotations

import numpy as np
import pytest
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings

from cityqa.app import build_search
from cityqa.index.ingest import ingest
from cityqa.index.lexical import serving_paragraph
from cityqa.index.store import PARAGRAPHS_PREFIX, PREFIX, Store, open_client, paragraphs_name
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.testing import FakeEmbeddings
from test_lexical import ingest_versions, write_corpus


class LengthEmbeddings(Embeddings):
    """Texts naming lanterns point one way, tilted by their length: short sentences sit nearest a short question."""

    model_id, dimension = "length-3", 3

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        vector = np.array([1.0 if "lantern" in text.lower() else 0.0, len(text) / 100, 0.1])
        return (vector / np.linalg.norm(vector)).tolist()


def lantern_corpus(root, paragraphs: int = 8):
    """Paragraphs of 3, 4, 5 … lantern sentences: every sentence is nearer the question than any paragraph."""
    root.mkdir(parents=True, exist_ok=True)
    lines = ["## Lanterns {#l}", ""]
    for p in range(paragraphs):
        body = " ".join(f"Lantern {p}-{s} glows." for s in range(3 + p))
        lines += [f"{{#l.{p}}} {body}", ""]
    (root / "lanterns.md").write_text("\n".join(lines), encoding="utf-8")
    return root


@pytest.fixture
def queries(monkeypatch):
    """Every Chroma query in the test, as (collection name, where filter, n_results)."""
    seen = []
    real = Collection.query

    def spy(self, *args, **kwargs):
        seen.append((self.name, kwargs.get("where"), kwargs.get("n_results")))
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Collection, "query", spy)
    return seen


def exact_paragraph_ranking(store: Store, embeddings: Embeddings, question: str) -> list[str]:
    """The paragraph keys by cosine similarity, computed over every serving paragraph record."""
    records = store.records(store.client.get_collection(store.info().collection), include_embeddings=True)
    rows = [(m["paragraph_key"], np.asarray(e)) for m, e in zip(records["metadatas"], records["embeddings"])
            if serving_paragraph(m)]
    query = np.asarray(embeddings.embed_query(question))
    return [key for key, _ in sorted(rows, key=lambda row: -float(row[1] @ query))]


def test_sentences_crowding_the_question_do_not_hide_the_nearest_paragraphs(make_settings, tmp_path, queries):
    settings = make_settings(corpus_dir=lantern_corpus(tmp_path / "corpus"))
    embeddings = LengthEmbeddings()
    ingest(settings, embeddings)
    store = Store(open_client(settings))
    main = store.client.get_collection(store.info().collection)
    nearest = main.query(query_embeddings=[embeddings.embed_query("lantern?")], n_results=8, include=["metadatas"])
    assert {m["kind"] for m in nearest["metadatas"][0]} == {"sentence"}  # the crowding this test is about
    search = HybridSearch(store, embeddings, [])
    queries.clear()
    dense = [key for key, _ in search._dense(search.view, np.asarray(embeddings.embed_query("lantern?")))]
    assert dense == exact_paragraph_ranking(store, embeddings, "lantern?") and len(dense) == 8
    assert search.search("lantern?", k=1).hits[0].key == "lanterns#l.0"
    # one unfiltered query per search, on this version's paragraph vectors, for the paragraphs wanted and no more
    assert queries and all(q == (paragraphs_name(store.info().collection), None, 8) for q in queries)


def test_an_index_written_without_paragraph_vectors_is_answered_and_the_next_ingest_adds_them(
        make_settings, tmp_path, queries):
    settings = make_settings(corpus_dir=write_corpus(tmp_path / "corpus", "数据交易中心正在形成。"))
    ingest(settings, FakeEmbeddings())
    store = Store(open_client(settings))
    before = [h.key for h in build_search(settings).search("数据交易", k=3).hits]
    store.client.delete_collection(paragraphs_name(store.info().collection))  # as the previous code wrote it
    old = build_search(settings)
    assert old.view.paragraph_vectors is None
    queries.clear()
    assert [h.key for h in old.search("数据交易", k=3).hits] == before  # answered: Chroma's filter, on the records
    assert queries and all(name.startswith(PREFIX) and where for name, where, _ in queries)
    report = ingest(settings, FakeEmbeddings())  # the corpus is unchanged: republished only to add them
    assert report.published and report.added == 0
    assert store.paragraphs(store.client.get_collection(store.info().collection)) is not None
    assert [h.key for h in build_search(settings).search("数据交易", k=3).hits] == before
    assert ingest(settings, FakeEmbeddings()).published is False  # and then nothing more to do


def test_paragraph_vectors_of_an_older_version_are_never_used_with_a_newer_one(make_settings, tmp_path):
    settings = make_settings(corpus_dir=write_corpus(tmp_path / "corpus", "数据交易中心正在形成。"))
    ingest(settings, FakeEmbeddings())
    store = Store(open_client(settings))
    old = store.client.get_collection(paragraphs_name(store.info().collection))
    old_vectors = old.get(include=["embeddings"])
    write_corpus(settings.corpus_dir, "哥本哈根有城市数据交易项目。")
    ingest(settings, FakeEmbeddings())
    new = store.client.get_collection(store.info().collection)
    expected = [h.key for h in build_search(settings).search("哥本哈根", k=3).hits]
    # a stale copy: the older version's paragraph vectors under the newer version's name
    store.client.delete_collection(paragraphs_name(new.name))
    stale = store.client.create_collection(paragraphs_name(new.name), metadata=old.metadata, embedding_function=None)
    stale.add(ids=old_vectors["ids"], embeddings=old_vectors["embeddings"])
    assert store.paragraphs(new) is None
    search = build_search(settings)
    assert search.view.paragraph_vectors is None
    assert [h.key for h in search.search("哥本哈根", k=3).hits] == expected


def test_dropping_a_version_drops_its_paragraph_vectors(make_settings, tmp_path):
    settings = make_settings(corpus_dir=write_corpus(tmp_path / "corpus", "第一版。"))
    store = Store(open_client(settings))
    names = ingest_versions(settings, store)
    kept = sorted(c.name for c in store.client.list_collections() if c.name.startswith(PARAGRAPHS_PREFIX))
    assert kept == sorted(paragraphs_name(n) for n in names[1:])
    for name in names[1:]:
        collection = store.client.get_collection(name)
        serving = [i for i, m in zip(*(lambda r: (r["ids"], r["metadatas"]))(store.records(collection)))
                   if serving_paragraph(m)]
        assert sorted(store.paragraphs(collection).get()["ids"]) == sorted(serving)
