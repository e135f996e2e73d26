"""Own claim checking: every sentence a model writes must be backed by the source it cites."""
from __future__ import annotations

import re

from cityqa.answering.citations import make_citation
from cityqa.answering.context import CorpusContext
from cityqa.answering.translated import TranslatedSupport, keeps_facts, language_of
from cityqa.calibration import cutoff
from cityqa.corpus.injection import clean_passage
from cityqa.corpus.text import sentence_spans, tokenize
from cityqa.language import base, say, spaced
from cityqa.types import Citation, Draft, Hit, Passage, Retrieval

MARKER = re.compile(r"\s*\[(\d{1,3})\]")
URL = re.compile(r"(?:https?://|www\.)\S+|javascript:\S*", re.IGNORECASE)
NO_ANSWER = "NO_ANSWER"
MIN_SUPPORT = cutoff("claims.min_support")
MAX_SENTENCES = cutoff("claims.max_sentences")  # answer size limit: sentences past it are not shown


def cited_segments(answer: str) -> list[tuple[str, list[int]]]:
    """Split an answer into (claim, [n, …]) pairs: the text before each group of [n] markers."""
    pairs = []
    for match in re.finditer(r"(.*?)((?:\s*\[\d+\])+)", answer, re.DOTALL):
        claim = re.sub(r"^\s*(?:\d+\.|[-*])\s+", "",
                       match.group(1).strip().splitlines()[-1] if match.group(1).strip() else "")
        pairs.append((claim.strip(), [int(n) for n in match.group(2).replace("[", " ").replace("]", " ").split()]))
    return [(claim, numbers) for claim, numbers in pairs if claim]


def support(claim: str, passage: str) -> float:
    """Share of a claim's content tokens found in a passage (0–1): how far the passage backs the claim."""
    claim_tokens = set(tokenize(claim))
    if not claim_tokens:
        return 1.0
    return len(claim_tokens & set(tokenize(passage))) / len(claim_tokens)


class Checker:
    """Check model output sentence by sentence: citations in range, claims supported, no foreign URLs."""

    def __init__(self, retrieval: Retrieval, corpus: CorpusContext, translated: TranslatedSupport | None = None):
        self.retrieval, self.hits, self.translated = retrieval, retrieval.hits, translated
        self.base = base(retrieval.language)
        self.space = " " if spaced(self.base) else ""  # between a claim and its markers, and between sentences
        self.sentences = corpus.sentences_of(self.hits)
        self.buffer, self.shown, self.kept, self.dropped = "", [], 0, 0
        self.citations: list[Citation] = []
        self.by_source: dict[tuple[int, str], int] = {}
        self.flags: list[str] = []
        self.declined = False

    def feed(self, text: str) -> list[str]:
        """Take more model text; return the sentences now complete and checked."""
        self.buffer += text
        spans = sentence_spans(self.buffer)
        ready = []
        while len(spans) > 1:  # the last span may still grow
            a, b = spans.pop(0)
            end = MARKER.match(self.buffer, b)
            while end:  # markers after the terminator belong to this sentence
                b, end = end.end(), MARKER.match(self.buffer, end.end())
            if self.buffer[b:].lstrip().startswith("[") or not self.buffer[b:].strip():
                break  # a marker may still be arriving
            ready.append(self.buffer[a:b])
            self.buffer = self.buffer[b:]
            spans = sentence_spans(self.buffer)
        return [shown for sentence in ready if (shown := self.check(sentence))]

    def close(self) -> list[str]:
        """Flush what is left at the end of the output."""
        rest, self.buffer = self.buffer, ""
        if rest.strip() == NO_ANSWER or (not self.shown and NO_ANSWER in rest):
            self.declined = True
            return []
        return [shown for shown in [self.check(rest)] if shown]

    def check(self, sentence: str) -> str | None:
        """Return the sentence with renumbered citations, or None when it is unsupported."""
        claim = MARKER.sub("", sentence).strip()
        numbers = [int(n) for n in MARKER.findall(sentence)]
        if not claim or claim == NO_ANSWER:
            return None
        if len(self.shown) >= MAX_SENTENCES:
            self.flags = sorted(set(self.flags) | {"truncated"})
            return None
        sources = [self.hits[n - 1] for n in dict.fromkeys(numbers) if 1 <= n <= len(self.hits)]
        urls = [u for u in URL.findall(claim) if not any(u in h.passage(self.base).text for h in self.hits)]
        supported = [(hit, sentence) for hit in sources if (sentence := self._backing(hit, claim))]
        if not supported or urls:
            self.dropped += 1
            self.flags = sorted(set(self.flags) | {"partly_unsupported"})
            return None
        markers = "".join(f"[{self._cite(hit, claim, sentence)}]" for hit, sentence in supported)
        shown = say("claims_shown", self.retrieval.language, claim=claim, markers=markers)
        self.shown.append(shown)
        return shown + self.space

    def _backing(self, hit: Hit, claim: str) -> Passage | bool | None:
        """What backs a claim in a source: True (enough of its words), a sentence in another language, or None."""
        passage = hit.passage(self.base)
        across = language_of(claim) != passage.language  # a translation may change a figure its words hide
        # an instruction-like source sentence never counts as support, even if it reached the model
        text = clean_passage(passage.text)
        if support(claim, text) >= MIN_SUPPORT and (
                not across or keeps_facts(claim, text, passage.metadata.get("section", ""))):
            return True
        if across and self.translated:
            return self.translated.best(claim, self._sentences(hit))
        return None

    def _sentences(self, hit: Hit) -> list[Passage]:
        """The sentences of the version of a paragraph the model was given."""
        return self.sentences.get(f"{hit.key}|{hit.passage(self.base).language}") or []

    def _cite(self, hit: Hit, claim: str, sentence: Passage | bool) -> int:
        """Number of the citation for the sentence backing a claim (by default the one its words best match)."""
        best = sentence if isinstance(sentence, Passage) else max(
            self._sentences(hit), key=lambda s: support(claim, s.text), default=None)
        if best is None:
            return 0
        key = (self.hits.index(hit), best.chunk_id)
        if key not in self.by_source:
            self.citations.append(make_citation(len(self.citations) + 1, hit, best, self.retrieval.language,
                                                self.sentences))
            self.by_source[key] = len(self.citations)
        return self.by_source[key]

    def draft(self, grounding: float) -> Draft:
        """The checked answer; grounding is the share of model sentences kept, times the evidence."""
        total = len(self.shown) + self.dropped
        share = len(self.shown) / total if total else 0.0
        text = self.space.join(self.shown)
        floor = cutoff("claims.grounding_floor")
        return Draft([text], self.citations, False, round(share * max(grounding, floor), 3), self.flags)
