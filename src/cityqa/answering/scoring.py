"""Own the learned sentence scorer: the features of candidate sentences and a logistic model fitted on public data."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from cityqa.answering.values import VALUE
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import is_name, rarity_weighted, weighted_coverage
from cityqa.corpus.text import detect_language, named_entities, to_simplified, tokenize
from cityqa.language import base, cue, listed
from cityqa.types import Hit, Passage

CALIBRATION = Path(__file__).resolve().parents[1] / "calibration"
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
LATIN_NAME = cue("scoring_latin_name", "en")
HAN_RUN, WORD = cue("scoring_han_run", "zh"), cue("scoring_word", "en")  # what bigrams are read from
UNKNOWN_CAP = cutoff("scoring.unknown_names")  # the unknown-names feature counts this many at most
FEATURES = ("similarity", "similarity_gap", "similarity_rank", "paragraph_rank", "paragraph_similarity",
            "neighbour_similarity", "coverage", "coverage_gap", "lexical", "lexical_gap", "bigrams", "bigrams_gap",
            "names_asked", "names_missing", "value_asked",
            "value_stated", "shared_numbers", "shared_latin", "unknown_names", "position", "length")


@dataclass
class Candidate:
    """A sentence that may answer, with where it stands and its features."""

    hit: Hit
    sentence: Passage
    rank: int
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0


def candidate_features(question: str, asks: str, vector: np.ndarray, candidates: list[Candidate],
                       vectors: dict[str, np.ndarray], unknown_names: int, shift: dict[str, float]) -> None:
    """Fill every candidate's features (shift: similarity added per source language, for cross-language pairs)."""
    if not candidates:
        return
    code = base(detect_language(question))
    sims = [float(vectors[c.sentence.chunk_id] @ vector) + shift.get(c.sentence.language, 0.0) for c in candidates]
    order = {i: r for r, i in enumerate(sorted(range(len(sims)), key=lambda i: -sims[i]))}
    coverage = weighted_coverage(question, [c.sentence.text for c in candidates])
    asked = [frozenset({w}) for w in dict.fromkeys(tokenize(question))]
    same = rarity_weighted(asked, [frozenset(tokenize(c.sentence.text)) for c in candidates])
    # across languages the glossed coverage stands in for the shared words a same-language sentence would have
    lexical = [w if c.sentence.language == code else cov for w, cov, c in zip(same, coverage, candidates)]
    asked_pairs = bigrams(question)
    pairs = [len(asked_pairs & bigrams(c.sentence.text)) / max(1, len(asked_pairs)) for c in candidates]
    names = asked_names(question, code)
    numbers = set(NUMBER.findall(question))
    start = 1 if listed("capitalised_start", code) else 0  # an English question's first word is capitalised anyway
    latin = {n.lower() for n in LATIN_NAME.findall(question)[start:]}
    by_paragraph: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_paragraph.setdefault(f"{c.hit.key}|{c.sentence.language}", []).append(i)
    value = VALUE.get(asks)
    top_sim, top_cov, top_lex, top_pairs = max(sims), max(coverage), max(lexical), max(pairs)
    for i, c in enumerate(candidates):
        text = c.sentence.text
        siblings = by_paragraph[f"{c.hit.key}|{c.sentence.language}"]
        place = siblings.index(i)
        neighbours = [sims[j] for j in siblings[max(0, place - 1):place + 2] if j != i]
        c.features = {
            "similarity": sims[i], "similarity_gap": sims[i] - top_sim, "similarity_rank": math.log1p(order[i]),
            "paragraph_rank": math.log1p(c.rank), "paragraph_similarity": float(c.hit.dense),
            "neighbour_similarity": max(neighbours, default=sims[i]) - sims[i],
            "coverage": coverage[i], "coverage_gap": coverage[i] - top_cov,
            "lexical": lexical[i], "lexical_gap": lexical[i] - top_lex,
            "bigrams": pairs[i], "bigrams_gap": pairs[i] - top_pairs,
            "names_asked": float(bool(names)),
            "names_missing": missing_names(names, c.sentence, code),
            "value_asked": float(value is not None), "value_stated": float(bool(value and value.search(text))),
            "shared_numbers": float(sum(n in text for n in numbers)) / max(1, len(numbers)),
            "shared_latin": float(sum(n in text.lower() for n in latin)) / max(1, len(latin)),
            "unknown_names": float(min(unknown_names, UNKNOWN_CAP)), "position": place / max(1, len(siblings) - 1),
            "length": math.log1p(len(text))}


def asked_names(question: str, code: str | None = None) -> list[str]:
    """Names a question asks about: places, people and bodies (jieba), capitalised words, copied Chinese names."""
    found = [n for n in named_entities(question) if len(n) > 1 and is_name(n)]
    found += copied_names(question, code or base(detect_language(question)))
    return list(dict.fromkeys(n.lower() for n in found))


def copied_names(question: str, code: str) -> list[str]:
    """Terms a question in one language copies in another's script (鹤汀 in an English question): names."""
    return [n for other in listed("copied_names_from", code)
            for n in cue("script_name", other).findall(to_simplified(question))]


def missing_names(names: list[str], sentence: Passage, base: str) -> float:
    """Share of the asked names neither the sentence nor its document's title states (0 across languages)."""
    if not names or sentence.language != base:
        return 0.0
    meta = sentence.metadata
    context = to_simplified(f"{sentence.text} {meta.get('title', '')} {meta.get('section', '')}").lower()
    return sum(n not in context for n in names) / len(names)


def bigrams(text: str) -> set[str]:
    """Adjacent Chinese characters (in 简体) and English words: the phrases a question shares with its answer."""
    simple = to_simplified(text).lower()
    runs = HAN_RUN.findall(simple)
    words = WORD.findall(simple)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)} | {f"{a} {b}" for a, b in zip(words, words[1:])}


ANSWER_FEATURES = ("best", "margin", "second", "best_similarity", "best_lexical", "best_bigrams", "best_coverage",
                   "top_similarity", "unknown_names", "names_missing", "value_asked", "value_stated", "value_missing",
                   "candidates", "stated_best", "stated_top")
JUDGED = cutoff("scoring.judged")  # the best-ranked candidates the answerability rules judge (quoting.VETO_DEPTH)


class Logistic:
    """A fitted logistic model read from its weights: standardised features, coefficients, intercept."""

    def __init__(self, weights: dict):
        self.names = tuple(weights["features"])
        self.mean = np.asarray(weights["mean"], dtype=np.float64)
        self.scale = np.asarray(weights["scale"], dtype=np.float64)
        self.coef = np.asarray(weights["coef"], dtype=np.float64)
        self.intercept = float(weights["intercept"])

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for the rows of x (columns in the order of the model's features)."""
        return 1.0 / (1.0 + np.exp(-((x - self.mean) / self.scale @ self.coef + self.intercept)))


def answer_features(ranked: list[Candidate]) -> dict[str, float]:
    """What the ranked candidates say about whether the question is answered at all."""
    best, second = ranked[0], ranked[1] if len(ranked) > 1 else None
    f = best.features
    return {"best": best.probability, "margin": best.probability - (second.probability if second else 0.0),
            "second": second.probability if second else 0.0, "best_similarity": f["similarity"],
            "best_lexical": f["lexical"], "best_bigrams": f["bigrams"], "best_coverage": f["coverage"],
            "top_similarity": f["similarity"] - f["similarity_gap"], "unknown_names": f["unknown_names"],
            "names_missing": f["names_missing"],
            "value_asked": f["value_asked"], "value_stated": f["value_stated"],
            "value_missing": f["value_asked"] * (1.0 - max(c.features["value_stated"] for c in ranked[:2])),
            "candidates": math.log1p(len(ranked)), "stated_best": f.get("stated", 1.0),
            "stated_top": max(c.features.get("stated", 1.0) for c in ranked[:JUDGED])}


class SentenceScorer:
    """Two logistic models: which sentence states the answer, and whether the best ones answer at all."""

    def __init__(self, weights: dict):
        self.weights = weights
        self.sentence = Logistic(weights)
        self.names = self.sentence.names
        self.answer = Logistic(weights["answerability"]) if "answerability" in weights else None
        self.thresholds: dict[str, float] = weights.get("refusal_threshold", {})
        self.second: float = weights.get("second_sentence_ratio", 1.0)
        self.shift: dict[str, float] = weights.get("cross_language_shift", {})
        self.paragraphs: int = weights.get("paragraphs", cutoff("scoring.paragraphs"))
        self.rules: dict[str, dict[str, float]] = weights.get("rules", {})  # rule → per question language, the
        # grounding below which it applies (a confident answer skips it)

    def score(self, candidates: list[Candidate]) -> None:
        """Set each candidate's probability that it states the answer."""
        if not candidates:
            return
        x = np.asarray([[c.features.get(n, 0.0) for n in self.names] for c in candidates], dtype=np.float64)
        for c, p in zip(candidates, self.sentence.predict(x)):
            c.probability = float(p)

    def answerability(self, ranked: list[Candidate]) -> float:
        """The probability that the best-ranked sentences answer the question: the grounding readers see."""
        if self.answer is None:
            return ranked[0].probability
        row = answer_features(ranked)
        return float(self.answer.predict(np.asarray([[row[n] for n in self.answer.names]]))[0])

    def rules_for(self, question_base: str, grounding: float) -> set[str]:
        """The rules that apply to an answer of this grounding to a question in this language."""
        return {rule for rule, below in self.rules.items() if grounding < below.get(question_base, 0.0)}

    def threshold(self, question_base: str, source_base: str) -> float:
        """The refusal threshold for a question's language ("en"/"zh"), chosen on dev; the source's may differ."""
        return self.thresholds.get(question_base, self.thresholds.get("default", cutoff("scoring.threshold")))

    def shift_for(self, question_base: str) -> dict[str, float]:
        """Similarity added to sources in the other language, so one model serves every pair."""
        return {lang: value for lang, value in self.shift.get(question_base, {}).items()}


ANY_EMBEDDER = "any"  # weights fitted without the similarity-scale features, for embedders fitted on no table


@lru_cache(maxsize=8)
def load_scorer(model_id: str) -> SentenceScorer:
    """The scorer fitted for an embedder (its weights file in calibration/), else the one for any embedder."""
    path = CALIBRATION / f"scorer-{model_id.replace(':', '_').replace('/', '_')}.json"
    if not path.exists():
        path = CALIBRATION / f"scorer-{ANY_EMBEDDER}.json"
    return SentenceScorer(json.loads(path.read_text(encoding="utf-8")))
