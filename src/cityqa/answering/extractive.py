"""Own the extractive answerer: the first handler of the registry that answers a question drafts it; no LLM."""
from __future__ import annotations

from cityqa.answering.compose import sentence_pieces
from cityqa.answering.context import CorpusContext
from cityqa.answering.handlers import registry
from cityqa.answering.quoting import Quoting
from cityqa.answering.rules import RuleQuoting
from cityqa.corpus.glossary import Term
from cityqa.questions.conversation import Reading
from cityqa.questions.intents import classify
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.types import Draft, Hit, Retrieval


class ExtractiveAnswerer:
    """Answer from the corpus's own words: structure and metadata first, else the best-matching sentences."""

    def __init__(self, search: HybridSearch, glossary: list[Term], quoting: str = "rules"):
        self.corpus = CorpusContext(search, glossary)
        self.learned = Quoting(search)
        self.quoting = self.learned if quoting == "learned" else RuleQuoting()  # CITYQA_QUOTING
        self.handlers = registry(self.quoting)

    @property
    def search(self) -> HybridSearch:
        """The hybrid search over the serving index."""
        return self.corpus.search

    @property
    def glossary(self) -> list[Term]:
        """The corpus's bilingual glossary."""
        return self.corpus.glossary

    @property
    def docs(self) -> dict:
        """Documents and their numbered items in the serving index version."""
        return self.corpus.docs

    def labels(self) -> tuple[str, ...]:
        """Item nouns the corpus's headings use."""
        return self.corpus.labels()

    def sentences_of(self, hits: list[Hit]) -> dict:
        """Fetch the sentences of hits grouped by "key|language"."""
        return self.corpus.sentences_of(hits)

    def refusal(self, language: str, grounding: float) -> Draft:
        """A refusal in the question's language and script that says what the corpus holds."""
        return self.corpus.refusal(language, grounding)

    def stream(self, reading: Reading, retrieval: Retrieval):
        """Yield the answer sentence by sentence, then the Draft."""
        draft = self.answer(reading, retrieval)
        for piece in draft.pieces:
            yield from sentence_pieces(piece)
        yield draft

    def answer(self, reading: Reading | str, retrieval: Retrieval) -> Draft:
        """Answer one reading of a question: the first handler serving its kind that returns a Draft."""
        if isinstance(reading, str):
            reading = Reading(reading, reading, classify(reading, self.glossary, self.labels()))
        kind = reading.intent.kind
        for handler in self.handlers:
            if handler.kinds is None or kind in handler.kinds:
                draft = handler.answer(reading, retrieval, self.corpus)
                if draft is not None:
                    return draft
        raise AssertionError("the quoting handler answers every question")
