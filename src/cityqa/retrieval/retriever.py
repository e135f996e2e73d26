"""Own the LangChain face of retrieval: a BaseRetriever over the hybrid search."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from cityqa.retrieval.hybrid import HybridSearch


class CityRetriever(BaseRetriever):
    """LangChain face of the hybrid search: one Document per paragraph, in the question's language."""

    search_engine: HybridSearch
    k: int = 5

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        retrieval = self.search_engine.search(query, self.k)
        return [LCDocument(page_content=hit.passage(retrieval.language).text,
                           metadata={**hit.passage(retrieval.language).metadata, "score": hit.score})
                for hit in retrieval.hits]
