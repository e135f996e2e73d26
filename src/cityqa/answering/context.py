"""Own the corpus context every handler answers from: search, glossary, documents, lexicon, sentences, refusals."""
from __future__ import annotations

import threading

import numpy as np

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.holdings import refusal_text
from cityqa.answering.naming import names_one_of
from cityqa.answering.structure import DocInfo, documents, lexicon
from cityqa.calibration import cutoff
from cityqa.corpus.glossary import Term
from cityqa.corpus.text import to_simplified
from cityqa.language import cue, in_script, say, spaced
from cityqa.questions.conversation import Reading
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.types import Draft, Hit, Passage

PLACE_CUE = cue("context_place")
PLACE_BONUS = cutoff("context.place_bonus")
QUOTED, QUOTED_ASKED = cutoff("context.quoted"), cutoff("context.quoted_asked")


class CorpusContext:
    """What the serving index holds, read once per index version, and the corpus-wide answer pieces."""

    def __init__(self, search: HybridSearch, glossary: list[Term]):
        self.search, self.glossary = search, glossary
        self._lock = threading.Lock()
        self._cache: tuple[int, dict, dict] | None = None
        self._place_names = [n for t in glossary if t.kind in ("place", "project") for n in (t.zh, t.en)]

    @property
    def docs(self) -> dict[str, DocInfo]:
        """Documents and their numbered items in the serving index version."""
        return self._tables()[0]

    @property
    def lexicon(self) -> dict[str, set[str]]:
        """Cross-language word map from aligned item names and the glossary."""
        return self._tables()[1]

    def labels(self) -> tuple[str, ...]:
        """Item nouns the corpus's headings use (with 部分, section … always understood)."""
        return tuple(sorted({lab for d in self.docs.values() for i in d.items.values() for lab in i.labels.values()
                             if lab}))

    def refusal(self, language: str, grounding: float) -> Draft:
        """A refusal in the question's language and script that says what the corpus holds."""
        text = refusal_text(self.docs.values(), language)
        return Draft([self.script(text, language)], [], True, round(grounding, 3))

    @staticmethod
    def script(text: str, language: str) -> str:
        """Write text in Traditional characters when the question was."""
        return in_script(text, language)

    def sentences_of(self, hits: list[Hit]) -> dict:
        """Fetch the sentences of hits grouped by "key|language"."""
        return grouped(self.search.sentences([h.key for h in hits]))

    def rows(self, keys: list[str]) -> tuple[dict, dict[str, np.ndarray]]:
        """The sentences of paragraphs grouped by "key|language", and each sentence's vector by chunk id."""
        found = self.search.sentences(keys)
        return grouped(found), {p.chunk_id: vector for p, vector in found}

    def query_vector(self, text: str) -> np.ndarray:
        """The question's embedding (read in 简体)."""
        return np.asarray(self.search.embeddings.embed_query(to_simplified(text)), dtype=np.float32)

    def place_bonus(self, question: str):
        """Score bonus for sentences naming places or projects when the question asks for examples or places."""
        if not PLACE_CUE.search(to_simplified(question).lower()):
            return lambda text: 0.0
        return lambda text: PLACE_BONUS if names_one_of(text, self._place_names) else 0.0

    def quote_items(self, reading: Reading, language: str, entries: list[tuple[list[str], str]]) -> Draft:
        """For each (paragraph keys, lead): the lead, then the sentences of those paragraphs best answering."""
        rows, vectors = self.rows([k for keys, _ in entries for k in keys])
        out = Composer(language, rows)
        vector = self.query_vector(reading.query)
        bonus = self.place_bonus(reading.question)
        for keys, lead in entries:
            hits = [Hit(k, 1.0, self.search.by_key[k]) for k in keys]
            scored: list[tuple[float, Hit, Passage]] = sorted(
                ((float(vectors[s.chunk_id] @ vector) + bonus(s.text), h, s) for h in hits
                 for s in versions_for(h, rows, language)), key=lambda row: -row[0])
            picked = sorted(scored[:QUOTED_ASKED if reading.intent.asks or len(entries) == 1 else QUOTED],
                            key=lambda row: row[2].metadata["index"])
            quotes = (" " if spaced(language) else "").join(out.quote(h, s) for _, h, s in picked)
            out.add(say("context_item_quotes", out.base, lead=lead, quotes=quotes))
        return out.draft(1.0)  # quotes chosen for the question: an LLM may rewrite them

    def _tables(self) -> tuple[dict, dict]:
        view = self.search.view
        with self._lock:
            if self._cache is None or self._cache[0] != id(view):
                docs = documents(self.search.by_key)
                self._cache = (id(view), docs, lexicon(docs, self.glossary))
            return self._cache[1], self._cache[2]
