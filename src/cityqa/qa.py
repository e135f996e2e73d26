"""Own composition: build_qa(settings) wires embedder, store, retrieval and answerer once."""
from __future__ import annotations

from cityqa.config import Settings
from cityqa.corpus import load_glossary
from cityqa.embeddings import make_embeddings
from cityqa.ingest import Progress, ingest
from cityqa.retrieve import HybridSearch
from cityqa.store import Store, open_client


def build_search(settings: Settings, progress: Progress | None = None) -> HybridSearch:
    """Open the index (building it from the corpus on first use) and return the hybrid search."""
    embeddings = make_embeddings(settings)
    store = Store(open_client(settings))
    if store.info() is None:
        ingest(settings, embeddings, progress=progress)
    return HybridSearch(store, embeddings, load_glossary(settings.corpus_dir))
