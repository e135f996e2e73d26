"""Own the in-memory store: the IndexStore fake (CITYQA_STORE=memory), one per index folder in this process."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cityqa.corpus.glossary import Term
from cityqa.index import artifacts
from cityqa.index.lexical import LexicalTables, build_tables, glossary_fingerprint, serving_paragraph
from cityqa.index.versions import PREFIX, IndexInfo, check_model, paragraphs_name


@dataclass
class MemoryCollection:
    """One index version held in lists: get by ids or metadata, query by cosine distance."""

    name: str
    ids: list[str]
    documents: list[str]
    metadatas: list[dict]
    embeddings: np.ndarray
    metadata: dict = field(default_factory=dict)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def count(self) -> int:
        """Number of records."""
        return len(self.ids)

    def get(self, ids=None, where=None, limit=None, offset=None, include=("documents", "metadatas")) -> dict:
        """Records by id (in the order asked) or matching where, paged like Chroma."""
        if ids is not None:
            position = {i: n for n, i in enumerate(self.ids)}
            rows = [position[i] for i in ids if i in position]
        else:
            rows = [n for n, meta in enumerate(self.metadatas) if matches(meta, where)]
        rows = rows[offset or 0:][:limit] if limit is not None else rows[offset or 0:]
        return self._columns(rows, include)

    def query(self, query_embeddings, n_results=10, where=None, include=("distances",)) -> dict:
        """The n nearest records to each query vector (cosine distance), optionally filtered by metadata."""
        allowed = np.array([matches(meta, where) for meta in self.metadatas], dtype=bool)
        out: dict = {"ids": [], "distances": [], "documents": [], "metadatas": []}
        for vector in query_embeddings:
            query = np.asarray(vector, dtype=np.float32)
            norms = np.linalg.norm(self.embeddings, axis=1) * (np.linalg.norm(query) or 1.0)
            distances = 1.0 - (self.embeddings @ query) / np.where(norms == 0, 1.0, norms)
            order = [n for n in np.argsort(distances, kind="stable") if allowed[n]][:n_results]
            columns = self._columns(order, include)
            out["ids"].append(columns["ids"])
            out["distances"].append([float(distances[n]) for n in order])
            out["documents"].append(columns.get("documents"))
            out["metadatas"].append(columns.get("metadatas"))
        return out

    def _columns(self, rows: list[int], include) -> dict:
        out: dict = {"ids": [self.ids[n] for n in rows]}
        if "documents" in include:
            out["documents"] = [self.documents[n] for n in rows]
        if "metadatas" in include:
            out["metadatas"] = [dict(self.metadatas[n]) for n in rows]
        if "embeddings" in include:
            out["embeddings"] = self.embeddings[rows] if rows else np.zeros((0, self.embeddings.shape[1]))
        return out


OPERATORS = {"$eq": lambda have, value: have == value, "$ne": lambda have, value: have != value,
             "$in": lambda have, value: have in value, "$nin": lambda have, value: have not in value}


def matches(meta: dict, where: dict | None) -> bool:
    """Tell whether metadata satisfies a Chroma where filter ($and, $or, equality, $eq, $ne, $in)."""
    if not where:
        return True
    for key, wanted in where.items():
        if key == "$and":
            ok = all(matches(meta, part) for part in wanted)
        elif key == "$or":
            ok = any(matches(meta, part) for part in wanted)
        elif isinstance(wanted, dict):
            (op, value), = wanted.items()
            ok = OPERATORS[op](meta.get(key), value)
        else:
            ok = meta.get(key) == wanted
        if not ok:
            return False
    return True


class MemoryStore:
    """The IndexStore fake: versions kept in this process, behind one active pointer, like the Chroma store."""

    _shared: dict[Path, MemoryStore] = {}
    _shared_lock = threading.Lock()

    def __init__(self):
        self.versions: dict[str, MemoryCollection] = {}
        self.tables: dict[str, LexicalTables] = {}
        self.vectors: dict[str, MemoryCollection] = {}  # each version's paragraph vectors, by version name
        self.pointer: IndexInfo | None = None
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, index_dir: Path) -> MemoryStore:
        """The process's store for an index folder (ingest and search open it separately and see the same data)."""
        with cls._shared_lock:
            return cls._shared.setdefault(Path(index_dir).resolve(), cls())

    def info(self) -> IndexInfo | None:
        """The active pointer, or None when nothing was published."""
        return self.pointer

    def active(self, model_id: str, dimension: int) -> MemoryCollection:
        """The serving version, after checking it was built with this embedding model."""
        return self.versions[check_model(self.pointer, model_id, dimension).collection]

    def records(self, collection: MemoryCollection, include_embeddings: bool = False,
                where: dict | None = None) -> dict:
        """Every record of a version (or those matching where)."""
        include = ["documents", "metadatas"] + (["embeddings"] if include_embeddings else [])
        found = collection.get(where=where, include=include)
        found.setdefault("embeddings", [])
        return found

    def publish(self, ids, documents, metadatas, embeddings, model_id: str, dimension: int,
                glossary: list[Term] | None = None) -> IndexInfo:
        """Add a new version with its lexical tables, switch the pointer, keep only it and the previous one."""
        name = f"{PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
        collection = MemoryCollection(name, list(ids), list(documents), [dict(m) for m in metadatas],
                                      np.asarray(embeddings, dtype=np.float32).reshape(len(ids), dimension))
        tables = self._build_tables(collection, glossary or [])
        serving = [n for n, meta in enumerate(collection.metadatas) if serving_paragraph(meta)]
        vectors = MemoryCollection(paragraphs_name(name), [collection.ids[n] for n in serving], [""] * len(serving),
                                   [{} for _ in serving], collection.embeddings[serving], {"of": collection.id})
        with self._lock:
            previous = self.pointer
            self.versions[name], self.tables[name], self.vectors[name] = collection, tables, vectors
            self.pointer = IndexInfo(collection=name, model=model_id, dimension=dimension, chunks=len(ids),
                                     built_at=time.strftime("%Y-%m-%d %H:%M:%S"),
                                     previous=previous.collection if previous else "")
            keep = {name, self.pointer.previous}
            for old in [v for v in self.versions if v not in keep]:
                del self.versions[old], self.tables[old], self.vectors[old]
            return self.pointer

    def paragraphs(self, collection: MemoryCollection) -> MemoryCollection | None:
        """The version's paragraph vectors, when they were written for this very collection."""
        vectors = self.vectors.get(collection.name)
        return vectors if vectors is not None and vectors.metadata.get("of") == collection.id else None

    def open_tables(self, collection: MemoryCollection, glossary: list[Term]) -> LexicalTables:
        """The version's tables, rebuilt when the glossary differs from the one they were built with."""
        tables = self.tables.get(collection.name)
        if tables is None or tables.stamp != artifacts.stamp_of(collection, glossary_fingerprint(glossary)):
            tables = self.tables[collection.name] = self._build_tables(collection, glossary)
        return tables

    @staticmethod
    def _build_tables(collection: MemoryCollection, glossary: list[Term]) -> LexicalTables:
        stamp = artifacts.stamp_of(collection, glossary_fingerprint(glossary))
        return build_tables(stamp, collection.ids, collection.documents, collection.metadatas, glossary)
