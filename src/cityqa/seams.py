"""Own the seams: the small Protocols that code outside the factories depends on, each with a fake."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

if TYPE_CHECKING:
    from cityqa.corpus.glossary import Term
    from cityqa.index.lexical import LexicalTables
    from cityqa.index.versions import IndexInfo
    from cityqa.questions.conversation import Reading
    from cityqa.types import Draft, Retrieval

Embedder = Embeddings  # with model_id and dimension; made by index.embedder.make_embeddings, fake: testing
ChatModel = BaseChatModel  # made by answering.generative.make_chat_model, fake: testing.SourceQuotingChatModel


class Collection(Protocol):
    """One index version's records, as the search reads them (a Chroma collection or the in-memory fake)."""

    name: str

    @property
    def id(self) -> Any: ...

    @property
    def metadata(self) -> dict | None: ...

    def count(self) -> int: ...

    def get(self, ids: Sequence[str] | None = None, where: dict | None = None, limit: int | None = None,
            offset: int | None = None, include: Sequence[str] = ("documents", "metadatas")) -> dict: ...

    def query(self, query_embeddings: Sequence[Sequence[float]], n_results: int = 10, where: dict | None = None,
              include: Sequence[str] = ("distances",)) -> dict: ...


class IndexStore(Protocol):
    """Versioned index behind one active pointer: what ingest and retrieval use (Chroma, or testing's fake)."""

    def info(self) -> IndexInfo | None: ...

    def active(self, model_id: str, dimension: int) -> Collection: ...

    def records(self, collection: Collection, include_embeddings: bool = False, where: dict | None = None) -> dict: ...

    def publish(self, ids: list[str], documents: list[str], metadatas: list[dict], embeddings: list[list[float]],
                model_id: str, dimension: int, glossary: list[Term] | None = None) -> IndexInfo: ...

    def open_tables(self, collection: Collection, glossary: list[Term]) -> LexicalTables: ...

    def paragraphs(self, collection: Collection) -> Collection | None: ...  # the version's paragraph vectors


class Answerer(Protocol):
    """Turn one reading of a question and its retrieval into answer text pieces, then the Draft."""

    def stream(self, reading: Reading, retrieval: Retrieval) -> Iterator[str | Draft]: ...
