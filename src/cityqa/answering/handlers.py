"""Own the question handlers: one small class per question type, tried in order; the first Draft answers."""
from __future__ import annotations

from typing import Protocol

from cityqa.answering import listing, mentions
from cityqa.answering.comparing import DocumentComparison
from cityqa.answering.context import CorpusContext
from cityqa.answering.metadata import answer_metadata
from cityqa.answering.naming import spelled_in_titles
from cityqa.answering.parts import answer_part, asked_part
from cityqa.answering.structure import item_title, kind_fits, pick_document
from cityqa.corpus.injection import has_cue
from cityqa.corpus.text import sentences
from cityqa.language import base, cue, listed, say
from cityqa.questions.conversation import Reading
from cityqa.questions.intents import Kind
from cityqa.types import Draft, Retrieval

YES_NO = cue("handlers_yes_no")


class Handler(Protocol):
    """One question type: the kinds it serves (None: any) and its answer, or None to let the next one try."""

    kinds: frozenset[Kind] | None

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """A Draft for the question, or None when this handler cannot answer it."""


class Instructions:
    """A question that is only instructions to the system ("ignore …, tell me …") is refused."""

    kinds = None

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """Refuse when every sentence of the question is an instruction."""
        if all(has_cue(s) for s in sentences(reading.question)):
            return corpus.refusal(retrieval.language, 0.0)
        return None


class SameSource:
    """A question about the paragraph just quoted is answered from it by the quoting handler."""

    kinds = None

    def __init__(self, quoting: Handler):
        self.quoting = quoting

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """Quote the best sentence of the focused paragraph, not a corpus list."""
        return self.quoting.answer(reading, retrieval, corpus) if reading.same_source else None


class Metadata:
    """Who wrote a document, when and where it was published: from its metadata and the lines that state it."""

    kinds = frozenset({Kind.AUTHORS, Kind.METADATA})

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """The asked fields of the document the question names, or a refusal when no such document is held."""
        intent, language, question = reading.intent, retrieval.language, reading.question
        doc = pick_document(reading.query, corpus.docs, retrieval.hits)
        unknown = [n for n in corpus.search.unknown_names(question) if not spelled_in_titles(n, corpus.docs)]
        if doc and (unknown or not retrieval.scope and not kind_fits(question, doc)):
            return corpus.refusal(language, 0.0)  # no such document: not another one's authors
        field = "authors" if intent.kind == Kind.AUTHORS else intent.detail
        return answer_metadata(corpus, doc, field, language, intent.roles) if doc else None


class Items:
    """Numbered items: how many, the list, item N (or its part), which items mention X, items compared."""

    kinds = frozenset({Kind.COUNT, Kind.LIST_ITEMS, Kind.ITEM, Kind.ITEMS_MENTIONING, Kind.COMPARISON, Kind.OPEN})

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """Answer from the headings of the document the question is about."""
        intent, language, question = reading.intent, retrieval.language, reading.question
        if intent.kind == Kind.COMPARISON and not intent.items or intent.kind == Kind.OPEN and not asked_part(question):
            return None
        doc = pick_document(reading.query, corpus.docs, retrieval.hits, need_items=True)
        if doc is None:
            return None
        if intent.kind == Kind.COUNT:
            return listing.count_items(corpus, doc, language)
        if intent.kind == Kind.LIST_ITEMS:
            return listing.list_items(corpus, doc, language)
        if intent.kind == Kind.ITEMS_MENTIONING:
            return self.mentioning(reading, retrieval, corpus, doc)
        part = asked_part(question)
        if part:  # 第三部分的第（二）项, section 3.2: the part under the item's heading
            return answer_part(corpus, reading, language, doc, *part)
        return item_answer(corpus, reading, retrieval, doc, list(intent.items))

    @staticmethod
    def mentioning(reading: Reading, retrieval: Retrieval, corpus: CorpusContext, doc) -> Draft | None:
        """The items that mention what is asked, or the n-th of them when a follow-up asks for it."""
        language, terms = retrieval.language, reading.intent.terms
        prior = reading.prior.question if reading.prior and reading.dependent else ""
        if reading.ordinal:
            chosen, _, _ = listing.matching_items(corpus, doc, prior or reading.question, language, terms)
            if chosen:
                index = reading.ordinal - 1 if 0 < reading.ordinal <= len(chosen) else -1
                return item_answer(corpus, reading, retrieval, doc, [chosen[index][0].number])
        return listing.items_mentioning(corpus, doc, prior or reading.question, language, terms,
                                        focus=reading.question)


class Places:
    """Which cities or places the documents name, across the corpus."""

    kinds = frozenset({Kind.MENTION})

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """The places of the asked category, when no particular term is asked about."""
        intent = reading.intent
        if not intent.category or intent.terms:
            return None
        return mentions.places(corpus, intent.category, retrieval.language, reading.question)


class Mentions:
    """Whether and where the documents mention a subject."""

    kinds = frozenset({Kind.MENTION})

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """The sentences that name the subject, or that none does."""
        question, language = reading.question, retrieval.language
        subject, label = mentions.subject_of(question, reading.intent.terms, language)
        if not subject:
            return None
        yes_no = bool(YES_NO.search(question.lower()))
        return mentions.mention(corpus, subject, label, language, mentions.rest_of(question, subject), yes_no)


def item_answer(corpus: CorpusContext, reading: Reading, retrieval: Retrieval, doc, numbers: list[int]) -> Draft:
    """Name each item asked about, then quote its sentences that best answer the question."""
    missing = [n for n in numbers if n not in doc.items]
    if missing or not numbers:
        return listing.missing_item(doc, (missing or [0])[0], retrieval.language)
    leads = [item_title(doc.items[n], doc, retrieval.language) for n in numbers]
    leads = [item_lead(t, base(retrieval.language)) for t in leads]
    return corpus.quote_items(reading, retrieval.language, [(doc.items[n].keys, lead)
                                                            for n, lead in zip(numbers, leads)])


def item_lead(title: str, code: str) -> str:
    """"Section 5 is “Green finance”." / "路径五是“绿色金融”。": the item's title read as a sentence."""
    mark = listed("handlers_item_mark", code)[0]
    at = title.find(mark, 1)
    if at < 0:
        return say("handlers_item_plain", code, title=title)
    return say("handlers_item_is", code, before=title[:at], after=title[at + len(mark):])


def registry(quoting: Handler) -> list[Handler]:
    """The handlers in the order they are tried; the quoting handler answers whatever the others leave."""
    return [Instructions(), SameSource(quoting), Metadata(), Items(), DocumentComparison(quoting), Places(), Mentions(),
            quoting]
