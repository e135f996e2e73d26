"""The evaluation embedding cache: passages embedded once ever; queries live when a benchmark times them."""
from __future__ import annotations

from langchain_core.embeddings import Embeddings

from cityqa.testing import FakeEmbeddings
from cityqa.tools.embed_cache import CachedEmbeddings


class Counting(Embeddings):
    """The fake embedder, counting what it was asked to embed."""

    def __init__(self):
        self.fake = FakeEmbeddings()
        self.model_id, self.dimension = self.fake.model_id, self.fake.dimension
        self.passages = self.queries = 0

    def embed_documents(self, texts):
        self.passages += len(texts)
        return self.fake.embed_documents(texts)

    def embed_query(self, text):
        self.queries += 1
        return self.fake.embed_query(text)


def test_passages_are_embedded_once_across_caches_on_one_file(tmp_path):
    inner = Counting()
    first = CachedEmbeddings(inner, tmp_path / "cache.sqlite").embed_documents(["a", "b"])
    again = CachedEmbeddings(inner, tmp_path / "cache.sqlite").embed_documents(["b", "a"])
    assert inner.passages == 2 and [round(x, 6) for x in again[0]] == [round(x, 6) for x in first[1]]


def test_a_timed_benchmark_embeds_every_query_live(tmp_path):
    inner = Counting()
    cache = CachedEmbeddings(inner, tmp_path / "cache.sqlite", queries=False)
    assert cache.embed_query("q") == cache.embed_query("q") and inner.queries == 2
    cached = CachedEmbeddings(inner, tmp_path / "cache.sqlite")
    cached.embed_query("q"), cached.embed_query("q")
    assert inner.queries == 3
