"""Own the extractive answerer: exact sentences from the sources, composed in the question's language."""
from __future__ import annotations

import re

import numpy as np

from cityqa.answering.citations import make_citation
from cityqa.corpus.glossary import Term
from cityqa.corpus.text import to_simplified, to_traditional, tokenize, zh_numeral
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.retrieval.intents import (
    AUTHOR,
    EXAMPLE_QUESTION,
    LIST_TRACKS,
    MENTION,
    QUANTITY,
    glossary_matches,
)
from cityqa.types import Citation, Draft, Hit, Passage, Retrieval

# Sentence similarity (multilingual-e5-small) at which the sources start to answer, per source language;
# calibrated on eval/dev.jsonl: below it most questions are out of scope.
SIMILARITY_FLOOR = {"zh": 0.85, "en": 0.795}
ENTITY_KINDS = ("place", "project", "institution", "person")
REFUSAL = {
    "zh": "报告中没有能回答这个问题的内容。该报告讨论国际城市的枢纽与创新两大功能维度、两者交叠形成的十四条新赛道，"
          "以及文明贡献这一“第三维度”。",
    "en": "The report does not answer this question. It covers the hub and innovation dimensions of international "
          "cities, the fourteen new tracks where they overlap, and a \"third dimension\" of contribution to civilisation.",
}
NO_TRACK = {"zh": "报告只列出了十四条新赛道，没有新赛道{n}。", "en": "The report lists only fourteen new tracks; there is no track {n}."}


def _is_author_note(hit: Hit) -> bool:
    meta = hit.meta
    return meta.get("section_id") == "note" or "作者" in meta.get("section", "")


def refusal(language: str, grounding: float, template: dict[str, str] = REFUSAL, **values) -> Draft:
    """A refusal in the question's language and script, with no citations."""
    text = template["en" if language == "en" else "zh"].format(**values)
    return Draft([to_traditional(text) if language == "zh-Hant" else text], [], True, round(grounding, 3))


class ExtractiveAnswerer:
    """Select the sentences that answer a question from the retrieved paragraphs; no LLM."""

    def __init__(self, search: HybridSearch, glossary: list[Term]):
        self.search, self.glossary = search, glossary

    def stream(self, question: str, retrieval: Retrieval):
        """Yield the answer's pieces, then the Draft."""
        draft = self.answer(question, retrieval)
        yield from draft.pieces
        yield draft

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        """Answer from structure when the question names tracks, else from the best sentences."""
        language = retrieval.language
        tracks = self.track_names()
        missing = [n for n in retrieval.tracks if n not in tracks]
        if missing:
            label = zh_numeral(missing[0]) if language != "en" else str(missing[0])
            return refusal(language, 0.0, NO_TRACK, n=label)
        simplified = to_simplified(question).lower()
        if LIST_TRACKS.search(simplified) and not retrieval.tracks:
            return self.list_tracks(language)
        if MENTION.search(simplified) and not retrieval.tracks:
            listed = self.tracks_mentioning(question, language)
            if listed:
                return listed
        authored = [h for h in retrieval.hits if _is_author_note(h)]
        if AUTHOR.search(simplified) and authored:
            return self.quote_best(question, language, authored[:1], lead=self.author_lead(authored[0], language))
        hits = [h for h in retrieval.hits if h.meta.get("track") in retrieval.tracks] or retrieval.hits
        if not hits:
            return refusal(language, 0.0)
        if retrieval.tracks:
            return self.quote_best(question, language, hits[:1], lead=self.track_lead(retrieval.tracks[0], language))
        if self.search.unknown_names(question):  # a place or person the report never mentions
            return refusal(language, 0.1)
        topic = f"{retrieval.context} {question}".strip()  # a follow-up is read with the turn it follows
        return self.quote_best(topic, language, hits[:3], lead=None, asks_number=bool(QUANTITY.search(simplified)))

    def track_lead(self, number: int, language: str) -> str:
        """Lead sentence naming a track: 新赛道三是“大宗商品交易中心”。 / Track 3 is "Commodity trading centres"."""
        names = self.track_names()[number]
        if language == "en":
            return f"Track {number} is \"{names.get('en', names['zh'])[1]}\". [1]"
        return f"新赛道{zh_numeral(number)}是“{names['zh'][1]}”。[1]"

    @staticmethod
    def author_lead(hit: Hit, language: str) -> str:
        """Lead sentence naming the authors, from the document's front matter."""
        meta = hit.passage("zh").metadata
        if language == "en":
            return f"The authors are {meta.get('authors_en') or meta.get('authors')}. [1]"
        return f"本文作者为{meta.get('authors')}。[1]"

    def track_names(self) -> dict[int, dict[str, tuple[Hit, str]]]:
        """Map each track number to its hit and name per language, read from the section headings."""
        names: dict[int, dict[str, tuple[Hit, str]]] = {}
        by_key = self.search.by_key
        for key in self.search.track_keys:
            versions = by_key[key]
            hit = Hit(key, 1.0, versions)
            for lang, passages in versions.items():
                meta = passages[0].metadata
                if meta.get("track"):
                    heading = meta["section"].rpartition(" > ")[2]
                    names.setdefault(meta["track"], {})[lang] = (hit, re.split(r"[：:]\s*", heading, 1)[-1])
        return dict(sorted(names.items()))

    def list_tracks(self, language: str) -> Draft:
        """List the fourteen tracks, one citation per item."""
        base = "en" if language == "en" else "zh"
        items = [(n, *names.get(base, names.get("zh"))) for n, names in self.track_names().items()]
        first = self.sentences_of([hit for _, hit, _ in items])
        pieces = ["The fourteen new tracks are:\n" if base == "en" else f"{zh_numeral(len(items))}条新赛道是：\n"]
        citations = []
        for number, hit, name in items:
            sentence = first.get(f"{hit.key}|{base}", [None])[0]
            if sentence is None:
                continue
            citations.append(make_citation(len(citations) + 1, hit, sentence, language, first))
            pieces.append(f"{number}. {name} [{len(citations)}]\n")
        return self._finish(pieces, citations, language, 1.0, structural=True)

    def tracks_mentioning(self, question: str, language: str) -> Draft | None:
        """Answer "which tracks mention X / are about X" from the tracks' text and headings."""
        base = "en" if language == "en" else "zh"
        terms = [t for t in glossary_matches(question, self.glossary) if t.kind in ENTITY_KINDS]
        words = [w for w in tokenize(question) if w not in {"赛道", "新", "track", "mention", "about", "relat"}]
        tracks = self.track_names()
        rows = self.sentences_of([names["zh"][0] for names in tracks.values() if "zh" in names])
        chosen: list[tuple[int, Hit, str, Passage]] = []
        for number, names in tracks.items():
            hit, name = names.get(base, names["zh"])
            candidates = rows.get(f"{hit.key}|{base}", [])
            if terms:
                named = [n if base == "zh" else n.lower() for t in terms
                         for n in ((t.zh, *t.aliases_zh) if base == "zh" else (t.en, *t.aliases_en))]
                found = [s for s in candidates if any(n in (s.text if base == "zh" else s.text.lower()) for n in named)]
            elif set(words) & set(tokenize(name)):  # "about X": X in the track's name; quote the closest sentence
                found = sorted(candidates, key=lambda s: -len(set(words) & set(tokenize(s.text))))
            else:
                found = []
            if found:
                chosen.append((number, hit, name, found[0]))
        if not chosen:
            return None
        label = "、".join(t.zh for t in terms) if base == "zh" else ", ".join(t.en for t in terms)
        if base == "zh":
            pieces = [f"提到{label}的新赛道有：\n" if terms else "相关的新赛道有：\n"]
        else:
            pieces = [f"Tracks that mention {label}:\n" if terms else "Related tracks:\n"]
        citations = []
        for number, hit, name, sentence in chosen:
            citations.append(make_citation(len(citations) + 1, hit, sentence, language, rows))
            shown = citations[-1].quote
            pieces.append(f"- 新赛道{zh_numeral(number)}“{name}”：{shown} [{len(citations)}]\n" if base == "zh"
                          else f"- Track {number}, {name}: {shown} [{len(citations)}]\n")
        return self._finish(pieces, citations, language, 1.0, structural=True)

    def quote_best(self, question: str, language: str, hits: list[Hit], lead: str | None,
                   asks_number: bool = False) -> Draft:
        """Quote the best-matching sentences of the top paragraphs, after a lead when structure gives one."""
        base = "en" if language == "en" else "zh"
        rows, vectors = self._sentences_and_vectors(hits)
        vector = np.asarray(self.search.embeddings.embed_query(to_simplified(question)), dtype=np.float32)
        wanted = set(tokenize(question + " " + " ".join(f"{t.zh} {t.en}" for t in glossary_matches(question, self.glossary))))
        places = [t for t in self.glossary if t.kind in ("place", "project")]
        named = [name for t in glossary_matches(question, self.glossary) if t.kind in ENTITY_KINDS
                 for name in ((t.zh, *t.aliases_zh) if base == "zh" else (t.en, *t.aliases_en))]
        asks_place = bool(EXAMPLE_QUESTION.search(to_simplified(question).lower()))
        scored = []
        for rank, hit in enumerate(hits):
            for sentence in rows.get(f"{hit.key}|{base}", []):
                similarity = float(vectors[sentence.chunk_id] @ vector)
                overlap = len(wanted & set(tokenize(sentence.text))) / max(1, len(wanted))
                place = asks_place and any((p.zh if base == "zh" else p.en) in sentence.text for p in places)
                mentions = any(name in sentence.text for name in named)
                score = similarity + 0.3 * overlap + 0.08 * place + 0.1 * mentions - 0.02 * rank
                scored.append((score, similarity, rank, hit, sentence, mentions))
        if not scored:
            return refusal(language, 0.0)
        scored.sort(key=lambda row: -row[0])
        grounding = 1.0 if lead else self.grounding(max(row[1] for row in scored), base)
        if scored[0][5]:  # the best sentence names the place or project asked about: the report speaks of it
            grounding = max(grounding, 0.6)
        if asks_number and not any(re.search(r"\d", row[4].text) for row in scored[:3]):
            grounding = min(grounding, 0.3)
        if grounding < 0.5:
            return refusal(language, grounding)
        best = scored[0][0]
        picked = [row for row in scored if row[0] >= best - 0.04 and row[2] <= scored[0][2] + 1][:2]
        picked.sort(key=lambda row: (row[2], row[4].metadata["index"]))
        pieces, citations = [], []
        for _, _, _, hit, sentence, _ in picked:
            citations.append(make_citation(len(citations) + 1, hit, sentence, language, rows))
            pieces.append(f"{citations[-1].quote}[{len(citations)}]" if base == "zh"
                          else f"{citations[-1].quote} [{len(citations)}]")
        if lead:
            pieces.insert(0, lead)
        return self._finish(["".join(pieces) if base == "zh" else " ".join(pieces)], citations, language, grounding)

    @staticmethod
    def grounding(similarity: float, base: str) -> float:
        """Evidence that the sources answer the question (0–1); 0.5 is the calibrated similarity floor."""
        return round(float(np.clip(0.5 + (similarity - SIMILARITY_FLOOR[base]) / 0.1, 0.0, 1.0)), 3)

    def sentences_of(self, hits: list[Hit]) -> dict[str, list[Passage]]:
        """Fetch the sentences of hits grouped by "key|language"."""
        return self._sentences_and_vectors(hits)[0]

    def _sentences_and_vectors(self, hits: list[Hit]) -> tuple[dict[str, list[Passage]], dict[str, np.ndarray]]:
        """Fetch the sentences of hits grouped by "key|language", and their vectors by chunk id."""
        rows = self.search.sentences([h.key for h in hits])
        grouped: dict[str, list[Passage]] = {}
        for passage, _ in rows:
            grouped.setdefault(f"{passage.metadata['paragraph_key']}|{passage.language}", []).append(passage)
        return grouped, {p.chunk_id: vector for p, vector in rows}

    @staticmethod
    def _finish(pieces: list[str], citations: list[Citation], language: str, grounding: float,
                structural: bool = False) -> Draft:
        if language == "zh-Hant":
            pieces = [to_traditional(p) for p in pieces]
        return Draft(pieces, citations, False, round(grounding, 3), structural=structural)
