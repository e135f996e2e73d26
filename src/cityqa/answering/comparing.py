"""Own comparing documents: what each document a question names says about it, one after the other."""
from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby

from cityqa.answering.context import CorpusContext
from cityqa.answering.structure import GENERIC_WORDS, documents_named, naming_words
from cityqa.calibration import cutoff
from cityqa.corpus.text import to_simplified
from cityqa.i18n import t
from cityqa.language import base, cue
from cityqa.questions.conversation import Reading
from cityqa.questions.intents import Kind
from cityqa.types import Draft, Retrieval

PER_DOCUMENT = cutoff("comparing.per_document")  # paragraphs searched in each document


class DocumentComparison:
    """A comparison of two or more documents the question names: each one's answer, or that it does not say."""

    kinds = frozenset({Kind.COMPARISON})

    def __init__(self, quoting):
        self.quoting = quoting

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft | None:
        """Answer the question of each named document in turn, numbering the citations through."""
        named = documents_named(reading.query, corpus.docs)
        if reading.intent.items or len(named) < 2:
            return None
        language = retrieval.language
        titles = [title for g in named for m in corpus.docs[g].meta.values()
                  for title in (m.get("title", ""), m.get("title_en", "")) if title]
        spelled = naming_words(reading.query, corpus.docs)  # "Yanlan", "Qingxi": a Chinese title in pinyin
        titles += sorted(w for words in spelled.values() for w in words if w.isascii())
        asked = replace(reading, question=without_titles(reading.question, titles),
                        query=without_titles(reading.query, titles))  # asked of each document alone
        parts, answered, declined = [], [], [0.0]
        for group in sorted(named, key=lambda g: first_named(reading.query, corpus.docs[g], spelled.get(g, set()))):
            doc = corpus.docs[group]
            hits = corpus.search.search(asked.query, PER_DOCUMENT, scope=(group,)).hits
            own = replace(retrieval, hits=hits, focus=[], scope=[group], scope_named=False)
            draft = self.quoting.answer(asked, own, corpus) if hits else None
            if draft is None or draft.refused:
                declined.append(draft.grounding if draft else 0.0)
                parts.append((self.lead("compare_silent", doc, language, corpus), None))
            else:  # a quote from the other language already says which document it is from
                named_already = corpus.script(doc.title(language), language) in draft.text
                parts.append(("" if named_already else self.lead("compare_lead", doc, language, corpus), draft))
                answered.append(draft)
        if not answered:
            return corpus.refusal(language, max(declined))
        return merged(parts, min(d.grounding for d in answered))

    @staticmethod
    def lead(key: str, doc, language: str, corpus: CorpusContext) -> str:
        """The line that names the document, in the question's language and script."""
        return corpus.script(t(key, base(language), title=doc.title(language)), language)


def without_titles(question: str, titles: list[str]) -> str:
    """The question without the documents' names: each title's words, and each run of two or more of its
    characters the question repeats."""
    simple = to_simplified(question)
    for title in titles:
        for word in set(cue("structure_latin_word").findall(title)) - set(GENERIC_WORDS):
            simple = re.sub(rf"(?i)\b{re.escape(word)}\b", "", simple)
        han = to_simplified(title)
        for size in range(len(han), 1, -1):
            for start in range(len(han) - size + 1):
                run = han[start:start + size]
                if cue("structure_han_run").fullmatch(run) and run in simple:
                    simple = simple.replace(run, "")
    return squeezed(simple).strip()


def squeezed(text: str) -> str:
    """Text with each run of two or more spaces (any white space) made one space."""
    runs = ((space, "".join(group)) for space, group in groupby(text, str.isspace))
    return "".join(" " if space and len(run) > 1 else run for space, run in runs)


def first_named(question: str, doc, spelled: set[str]) -> int:
    """Where the question first names a document (a word, a pinyin spelling or two characters of its title); the
    end when nowhere."""
    simple = to_simplified(question).lower()
    found = [len(question)] + [simple.find(w) for w in spelled if w in simple]
    for m in doc.meta.values():
        title = to_simplified(f"{m.get('title', '')} {m.get('title_en', '')}").lower()
        words = set(cue("structure_latin_word").findall(title)) - set(GENERIC_WORDS)  # the title is in lower case
        words |= {title[i:i + 2] for i in range(len(title) - 1) if cue("structure_han_run").fullmatch(title[i:i + 2])}
        found += [simple.find(w) for w in words if w in simple]
    return min(found)


def merged(parts: list[tuple[str, Draft | None]], grounding: float) -> Draft:
    """One Draft from leads and drafts, each draft's citations renumbered after the ones before."""
    pieces, citations = [], []
    for lead, draft in parts:
        pieces.append(lead)
        if draft is None:
            pieces.append("\n")
            continue
        offset = len(citations)
        citations += [replace(c, n=c.n + offset) for c in draft.citations]
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", draft.text)
        pieces.append(text.strip() + "\n")
    return Draft(pieces, citations, False, round(grounding, 3))

