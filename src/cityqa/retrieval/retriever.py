"""Own the LangChain face of retrieval: a BaseRetriever over the hybrid search, one Document per paragraph."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from cityqa.corpus.text import detect_language
from cityqa.retrieval.hybrid import RESULTS, HybridSearch
from cityqa.types import Hit, Retrieval


class CityRetriever(BaseRetriever):
    """Hybrid paragraph search as a LangChain retriever (k, focus and the question's language as arguments)."""

    search_engine: HybridSearch
    k: int = RESULTS  # paragraphs per search unless the caller names a number (cutoffs.toml: hybrid.results)

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, focus: tuple[str, ...] = (), scope: tuple[str, ...] = (),
                                language: str | None = None) -> list[Document]:
        retrieval = self.search_engine.search(query, k or self.k, focus=tuple(focus), scope=tuple(scope))
        shown = language or retrieval.language
        return [Document(page_content=hit.passage(shown).text,
                         metadata={**hit.passage(shown).metadata, "score": hit.score, "dense": hit.dense,
                                   "bm25": hit.bm25, "retrieval_ms": retrieval.ms})
                for hit in retrieval.hits]

    def as_retrieval(self, question: str, documents: list[Document], focus: tuple[str, ...] = ()) -> Retrieval:
        """Turn the retriever's Documents back into the Retrieval the answerers take."""
        by_key = self.search_engine.by_key
        hits = [Hit(d.metadata["paragraph_key"], d.metadata["score"], by_key[d.metadata["paragraph_key"]],
                    d.metadata.get("dense", 0.0), d.metadata.get("bm25", 0.0)) for d in documents
                if d.metadata["paragraph_key"] in by_key]
        ms = documents[0].metadata.get("retrieval_ms", 0.0) if documents else 0.0
        return Retrieval(question, detect_language(question), hits, list(focus), ms)
