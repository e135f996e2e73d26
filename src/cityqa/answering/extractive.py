"""Own the extractive answerer: route each intent to structure, metadata or the best exact sentences; no LLM."""
from __future__ import annotations

import re
import threading

import numpy as np

from cityqa.answering import listing, mentions
from cityqa.answering.compose import Composer, grouped, sentence_pieces, versions_for
from cityqa.answering.holdings import refusal_text
from cityqa.answering.metadata import answer_metadata
from cityqa.answering.naming import spelled_in_titles
from cityqa.answering.parts import answer_part, asked_part
from cityqa.answering.quoting import Quoting
from cityqa.answering.rules import RuleQuoting
from cityqa.answering.structure import (
    documents,
    item_title,
    kind_fits,
    lexicon,
    pick_document,
)
from cityqa.corpus.glossary import Term
from cityqa.corpus.injection import has_cue
from cityqa.corpus.text import (
    sentences,
    to_simplified,
    to_traditional,
)
from cityqa.retrieval.conversation import Reading
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.retrieval.intents import classify
from cityqa.types import Draft, Hit, Retrieval


class ExtractiveAnswerer:
    """Answer from the corpus's own words: structure and metadata first, else the best-matching sentences."""

    def __init__(self, search: HybridSearch, glossary: list[Term], quoting: str = "rules"):
        self.search, self.glossary = search, glossary
        self._lock = threading.Lock()
        self._cache: tuple[int, dict, dict] | None = None
        self._place_names = [n for t in glossary if t.kind in ("place", "project") for n in (t.zh, t.en)]
        self.learned = Quoting(search, self.refusal, glossary, lambda: self.lexicon)
        self.quoting = self.learned if quoting == "learned" else RuleQuoting(self)  # CITYQA_QUOTING

    @property
    def docs(self) -> dict:
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

    def stream(self, reading: Reading, retrieval: Retrieval):
        """Yield the answer sentence by sentence, then the Draft."""
        draft = self.answer(reading, retrieval)
        for piece in draft.pieces:
            yield from sentence_pieces(piece)
        yield draft

    def answer(self, reading: Reading | str, retrieval: Retrieval) -> Draft:
        """Answer one reading of a question from the retrieved paragraphs and the corpus's structure."""
        if isinstance(reading, str):
            reading = Reading(reading, reading, classify(reading, self.glossary, self.labels()))
        intent, language, question = reading.intent, retrieval.language, reading.question
        kind = intent.kind
        if all(has_cue(s) for s in sentences(question)):  # only instructions to the system ("ignore …, tell me …")
            return self.refusal(language, 0.0)
        if reading.same_source:  # asked about the paragraph just quoted: its best sentence, not a corpus list
            return self.quote_best(reading, retrieval)
        if kind in ("authors", "metadata"):
            doc = pick_document(reading.query, self.docs, retrieval.hits)
            unknown = [n for n in self.search.unknown_names(question) if not spelled_in_titles(n, self.docs)]
            if doc and (unknown or not retrieval.scope and not kind_fits(question, doc)):
                return self.refusal(language, 0.0)  # no such document: not another one's authors
            found = doc and answer_metadata(self, doc, "authors" if kind == "authors" else intent.detail, language,
                                            intent.roles)
            if found:
                return found
        if kind in ("count", "list_items", "item", "items_mentioning") or (kind == "comparison" and intent.items) or (
                kind == "open" and asked_part(question)):
            found = self.structural(reading, retrieval)
            if found:
                return found
        if kind == "mention":
            if intent.category and not intent.terms:
                found = mentions.places(self, intent.category, language, question)
                if found:
                    return found
            subject, label = mentions.subject_of(question, intent.terms, language)
            if subject:
                yes_no = bool(re.search(r"^(?:does|did|do|is|are|was|has)\b|吗|有没有|是否", question.lower()))
                return mentions.mention(self, subject, label, language, mentions.rest_of(question, subject), yes_no)
        return self.quote_best(reading, retrieval)

    def structural(self, reading: Reading, retrieval: Retrieval) -> Draft | None:
        """Answer questions about numbered items from each document's headings."""
        intent, language = reading.intent, retrieval.language
        doc = pick_document(reading.query, self.docs, retrieval.hits, need_items=True)
        if doc is None:
            return None
        if intent.kind == "count":
            return listing.count_items(self, doc, language)
        if intent.kind == "list_items":
            return listing.list_items(self, doc, language)
        if intent.kind == "items_mentioning":
            prior = reading.prior.question if reading.prior and reading.dependent else ""
            if reading.ordinal:
                chosen, _, _ = listing.matching_items(self, doc, prior or reading.question, language, intent.terms)
                if chosen:
                    index = reading.ordinal - 1 if 0 < reading.ordinal <= len(chosen) else -1
                    return self.item_answer(reading, retrieval, doc, [chosen[index][0].number])
            return listing.items_mentioning(self, doc, prior or reading.question, language, intent.terms,
                                            focus=reading.question)
        part = asked_part(reading.question)
        if part:  # 第三部分的第（二）项, section 3.2: the part under the item's heading
            return answer_part(self, reading, language, doc, *part)
        return self.item_answer(reading, retrieval, doc, list(intent.items))

    def item_answer(self, reading: Reading, retrieval: Retrieval, doc, numbers: list[int]) -> Draft:
        """Name each item asked about, then quote its sentences that best answer the question."""
        missing = [n for n in numbers if n not in doc.items]
        if missing or not numbers:
            return listing.missing_item(doc, (missing or [0])[0], retrieval.language)
        leads = [item_title(doc.items[n], doc, retrieval.language) for n in numbers]
        leads = [f"{t.replace(', “', ' is “', 1)}." if retrieval.language == "en" else re.sub(r"^(.+?)“", r"\1是“", t,
                                                                                             count=1) + "。"
                 for t in leads]
        return self.quote_items(reading, retrieval.language, [(doc.items[n].keys, lead)
                                                              for n, lead in zip(numbers, leads)])

    def quote_items(self, reading: Reading, language: str, entries: list[tuple[list[str], str]]) -> Draft:
        """For each (paragraph keys, lead): the lead, then the sentences of those paragraphs best answering."""
        rows, vectors = self._rows([k for keys, _ in entries for k in keys])
        out = Composer(language, rows)
        vector = self._query_vector(reading.query)
        bonus = self.place_bonus(reading.question)
        for keys, lead in entries:
            hits = [Hit(k, 1.0, self.search.by_key[k]) for k in keys]
            scored = sorted(((float(vectors[s.chunk_id] @ vector) + bonus(s.text), h, s) for h in hits
                             for s in versions_for(h, rows, language)), key=lambda row: -row[0])
            picked = sorted(scored[:2 if reading.intent.asks or len(entries) == 1 else 1],
                            key=lambda row: row[2].metadata["index"])
            quotes = (" " if out.base == "en" else "").join(out.quote(h, s) for _, h, s in picked)
            out.add(f"{lead} {quotes}\n" if out.base == "en" else f"{lead}{quotes}\n")
        return out.draft(1.0)  # quotes chosen for the question: an LLM may rewrite them

    def quote_best(self, reading: Reading, retrieval: Retrieval) -> Draft:
        """Quote the sentences the configured quoting handler ranks first, or refuse when they do not answer."""
        return self.quoting.answer(reading, retrieval)

    def place_bonus(self, question: str):
        """Score bonus for sentences naming places or projects when the question asks for examples or places."""
        if not PLACE_CUE.search(to_simplified(question).lower()):
            return lambda text: 0.0
        return lambda text: 0.1 if listing._names(text, self._place_names) else 0.0

    def refusal(self, language: str, grounding: float) -> Draft:
        """A refusal in the question's language and script that says what the corpus holds."""
        text = refusal_text(self.docs.values(), language)
        return Draft([self.script(text, language)], [], True, round(grounding, 3))

    @staticmethod
    def script(text: str, language: str) -> str:
        """Write text in Traditional characters when the question was."""
        return to_traditional(text) if language == "zh-Hant" else text

    def sentences_of(self, hits: list[Hit]) -> dict:
        """Fetch the sentences of hits grouped by "key|language"."""
        return grouped(self.search.sentences([h.key for h in hits]))

    def _rows(self, keys: list[str]):
        found = self.search.sentences(keys)
        return grouped(found), {p.chunk_id: vector for p, vector in found}

    def _query_vector(self, text: str) -> np.ndarray:
        return np.asarray(self.search.embeddings.embed_query(to_simplified(text)), dtype=np.float32)

    def _tables(self) -> tuple[dict, dict]:
        view = self.search.view
        with self._lock:
            if self._cache is None or self._cache[0] != id(view):
                docs = documents(self.search.by_key)
                self._cache = (id(view), docs, lexicon(docs, self.glossary))
            return self._cache[1], self._cache[2]


PLACE_CUE = re.compile(r"城市|地方|哪里|例子|案例|代表|实践|项目|探索|"
                       r"\b(cities|city|places?|where|examples?|projects?|tried)\b")
