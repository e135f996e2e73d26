"""Own the evaluation embedding cache: vectors of texts already embedded, kept on disk between benchmark runs."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    """Wrap an embedder so that each (model, kind, text) is embedded once, ever, in this cache file."""

    def __init__(self, inner: Embeddings, path: Path, queries: bool = True):
        self.inner, self.model_id, self.dimension = inner, inner.model_id, inner.dimension
        self.queries = queries  # False: every query embedded live, so a benchmark's latency is what users wait
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("create table if not exists v (k text primary key, e blob)")
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, from the cache where they were embedded before."""
        return self._many("p", list(texts), self.inner.embed_documents)

    def embed_query(self, text: str) -> list[float]:
        """Embed a query, from the cache where it was embedded before (when queries are cached)."""
        if not self.queries:
            return self.inner.embed_query(text)
        return self._many("q", [text], lambda batch: [self.inner.embed_query(t) for t in batch])[0]

    def _many(self, kind: str, texts: list[str], embed) -> list[list[float]]:
        keys = [hashlib.sha1(f"{self.model_id}|{kind}|{t}".encode()).hexdigest() for t in texts]
        with self._lock:
            found = dict(self._db.execute(f"select k, e from v where k in ({','.join('?' * len(keys))})", keys)
                         .fetchall()) if keys else {}
        todo = [i for i, k in enumerate(keys) if k not in found]
        if todo:
            vectors = embed([texts[i] for i in todo])
            rows = [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(todo, vectors)]
            with self._lock:
                self._db.executemany("insert or replace into v values (?, ?)", rows)
                self._db.commit()
            found.update(rows)
        return [np.frombuffer(found[k], dtype=np.float32).tolist() for k in keys]
