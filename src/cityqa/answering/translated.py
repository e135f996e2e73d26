"""Own cross-language claim support: a cited sentence in another language backs a claim it means and states."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from cityqa.corpus.figures import states_figures
from cityqa.corpus.injection import clean_passage
from cityqa.corpus.text import detect_language, to_simplified
from cityqa.language import base, cue, listed
from cityqa.types import Passage

THRESHOLDS = Path(__file__).with_name("claim_thresholds.json")  # written by `cityqa calibrate-claims --write`
LATIN_NAME = cue("translated_latin_word", "en")


@lru_cache(maxsize=1)
def calibrations() -> dict[str, dict]:
    """The calibration of each embedder, by model id."""
    return json.loads(THRESHOLDS.read_text(encoding="utf-8"))


def threshold_for(model_id: str) -> float | None:
    """The similarity a translated claim needs with this embedder; None when never calibrated or found unfit."""
    return (calibrations().get(model_id) or {}).get("threshold")


def language_of(text: str) -> str:
    """"en" or "zh" (either script) for a claim."""
    return base(detect_language(text))


def embed_for_similarity(embeddings: Embeddings, texts: list[str]) -> np.ndarray:
    """Unit vectors for texts compared with each other (e5's symmetric "query: " side, as calibrated)."""
    matrix = np.asarray([embeddings.embed_query(to_simplified(t)) for t in texts], dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def keeps_names(claim: str, sentence: str) -> bool:
    """Tell whether the Latin-script names in a zh claim (Velmora, GDP, Line C) all appear in the sentence."""
    if not listed("translated_keeps_latin", language_of(claim)):
        return True  # an English claim translates a zh sentence's names: only its figures can be compared
    stated = {word.lower() for word in LATIN_NAME.findall(sentence)}
    return all(word.lower() in stated for word in LATIN_NAME.findall(claim))


def keeps_facts(claim: str, text: str, section: str) -> bool:
    """Tell whether a source states the figures and Latin-script names of a claim written in another language."""
    stated = f"{section}\n{text}"  # the model saw the paragraph's section too ("Track 3"): what it states counts
    return states_figures(claim, stated) and keeps_names(claim, stated)


class TranslatedSupport:
    """Find the cited sentence in another language that backs a claim; each text is embedded once per answer."""

    def __init__(self, embeddings: Embeddings, threshold: float):
        self.embeddings, self.threshold = embeddings, threshold
        self._vectors: dict[str, np.ndarray] = {}

    def best(self, claim: str, sentences: list[Passage]) -> Passage | None:
        """The most similar sentence that reaches the threshold and states the claim's figures and names."""
        # a sentence addressed to a model never backs a claim, however near its meaning
        usable = [s for s in sentences if not s.metadata.get("instruction_like") and s.text.strip()
                  and clean_passage(s.text) == s.text]
        if not usable:
            return None
        vectors = self._embed([claim, *(s.text for s in usable)])
        similarity = vectors[1:] @ vectors[0]
        for i in np.argsort(-similarity):
            if similarity[i] < self.threshold:
                break
            if keeps_facts(claim, usable[i].text, usable[i].metadata.get("section", "")):
                return usable[i]
        return None

    def _embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, embed_for_similarity(self.embeddings, todo)))
        return np.stack([self._vectors[t] for t in texts])
