"""Own answer composition: one citation per paragraph, quotes labelled by language, text in the question's script."""
from __future__ import annotations

import re

from cityqa.answering.citations import make_citation
from cityqa.corpus.text import to_simplified
from cityqa.language import FILES, base, in_script, say
from cityqa.types import Citation, Draft, Hit, Passage


class Composer:
    """Collect answer pieces and citations; quotes from one paragraph share one citation."""

    def __init__(self, language: str, rows: dict[str, list[Passage]]):
        self.language, self.rows = language, rows
        self.base = base(language)
        self.pieces: list[str] = []
        self.citations: list[Citation] = []
        self._by_key: dict[str, int] = {}
        self._quoted: set[str] = set()  # each sentence's normalised text: quoted once per answer
        self._dropped = False

    def cite(self, hit: Hit, sentence: Passage) -> int:
        """Number of the paragraph's citation, adding the sentence to its quotes."""
        n = self._by_key.get(hit.key)
        if n is None:
            self.citations.append(make_citation(len(self.citations) + 1, hit, sentence, self.language, self.rows))
            n = self._by_key[hit.key] = len(self.citations)
            return n
        citation = self.citations[n - 1]
        quote = in_script(sentence.text, self.language)
        if quote not in citation.quotes:
            citation.quotes.append(quote)
        return n

    def quote(self, hit: Hit, sentence: Passage) -> str:
        """The sentence as quoted in the answer, its citation marker after it; "" when the answer already quotes it."""
        said = normalised(sentence.text)
        if said in self._quoted:
            self._dropped = True
            return ""
        self._quoted.add(said)
        n = self.cite(hit, sentence)
        label = say(f"compose_original_{sentence.language}", self.base) if sentence.language in FILES else ""
        text = f"“{sentence.text}”{label}" if label else sentence.text
        return say("compose_cited", self.base, text=text, n=n)

    def add(self, text: str) -> None:
        """Add a piece of answer text."""
        self.pieces.append(text)

    def draft(self, grounding: float, structural: bool = False, refused: bool = False) -> Draft:
        """The composed answer, in Traditional characters when the question was."""
        pieces = [in_script(p, self.language) for p in self.pieces]
        for citation in self.citations:  # its card titled in the answer's script
            citation.title, citation.section = in_script(citation.title, self.language), in_script(
                citation.section, self.language)
        if self._dropped:  # a repeat left out: no doubled space where it stood
            pieces = [re.sub(r"(?<=\S) {2,}", " ", re.sub(r" +(?=\n)", "", p)) for p in pieces]
            pieces[-1:] = [p.rstrip(" ") for p in pieces[-1:]]
        return Draft(pieces, self.citations, refused, round(grounding, 3), structural=structural)


def normalised(text: str) -> str:
    """A sentence's text for telling repeats: 简体, lower case, no spaces or punctuation."""
    return re.sub(r"[\W_]+", "", to_simplified(text).lower())


def sentence_pieces(text: str) -> list[str]:
    """Split answer text into pieces ending at sentence or citation boundaries, for streaming."""
    pieces = re.findall(r".+?(?:[。！？!?]|\.(?=\s)|\]\s?(?=\S)|\n|$)", text, re.DOTALL)
    return [p for p in pieces if p] or [text]


def grouped(rows: list[tuple[Passage, object]]) -> dict[str, list[Passage]]:
    """Group sentence rows by "key|language"."""
    out: dict[str, list[Passage]] = {}
    for passage, _ in rows:
        out.setdefault(f"{passage.metadata['paragraph_key']}|{passage.language}", []).append(passage)
    return out


def versions_for(hit: Hit, rows: dict[str, list[Passage]], language: str) -> list[Passage]:
    """A paragraph's sentences in the question's language when that version exists, else in the original."""
    return rows.get(f"{hit.key}|{base(language)}") or rows.get(f"{hit.key}|{hit.original_language}") or []


def in_context(sentence) -> str:
    """A sentence with its document's titles: a plan's sentences speak of the city its title names."""
    meta = sentence.metadata
    return f"{sentence.text} {meta.get('title', '')} {meta.get('title_en', '')}"


def source_lead(sentence, language: str) -> str:
    """Lead in the question's language when the quote is in another: where the quote comes from."""
    code = base(language)
    if sentence.language == code:
        return ""
    meta = sentence.metadata
    section = meta.get("section", "").rpartition(" > ")[2]
    named = say("compose_source_section", code, section=section) if section else ""
    return say("compose_source_lead", code, title=meta["title"], section=named)
