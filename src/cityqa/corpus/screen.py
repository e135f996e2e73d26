"""Own the learned injection screen: logistic regression on e5 vectors of a sentence and the one before, plus marks."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

SCREEN = Path(__file__).with_name("injection_screen.json")  # written by cityqa.tools.train_injection


def features(vectors, texts: list[str], lexical: dict[str, str], before=None) -> np.ndarray:
    """Rows of [unit sentence vector, one 0/1 column per lexical pattern] and, given `before`, the unit vector of
    the sentence before each (a zero row where there is none)."""
    vectors = _unit(vectors, len(texts))
    patterns = [re.compile(p, re.IGNORECASE) for p in lexical.values()]
    marks = np.array([[float(bool(p.search(t))) for p in patterns] for t in texts]).reshape(len(texts), len(patterns))
    return np.hstack([vectors, marks] + ([] if before is None else [_unit(before, len(texts))]))


def _unit(vectors, rows: int) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64).reshape(rows, -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


class LearnedScreen:
    """Flag sentences whose probability of being an instruction to a model reaches the dev-chosen threshold."""

    def __init__(self, data: dict):
        self.embedder, self.threshold, self.lexical = data["embedder"], data["threshold"], data["lexical"]
        self.weights, self.bias = np.asarray(data["weights"], dtype=np.float64), float(data["bias"])
        self.contextual = bool(data.get("context"))  # version 2: the sentence before is read too

    def scores(self, texts: list[str], vectors, before=None) -> np.ndarray:
        """The probability, per sentence, that it is an instruction to a model (`before`: the vectors before)."""
        if not texts:
            return np.zeros(0)
        vectors = np.asarray(vectors, dtype=np.float64).reshape(len(texts), -1)
        context = (np.zeros_like(vectors) if before is None else before) if self.contextual else None
        return 1 / (1 + np.exp(-(features(vectors, texts, self.lexical, context) @ self.weights + self.bias)))

    def flags(self, texts: list[str], vectors, before=None) -> list[bool]:
        """Flag each sentence at or over the threshold."""
        return [bool(s >= self.threshold) for s in self.scores(texts, vectors, before)]

    def width(self, dimension: int) -> int:
        """How many weights a screen for vectors of this dimension has."""
        return dimension * (2 if self.contextual else 1) + len(self.lexical)


@lru_cache(maxsize=1)
def learned_screen() -> LearnedScreen | None:
    """The shipped screen, or None before one is trained."""
    return LearnedScreen(json.loads(SCREEN.read_text(encoding="utf-8"))) if SCREEN.exists() else None


def screen_for(embeddings) -> LearnedScreen | None:
    """The learned screen when it was trained on this embedder's vectors, else None."""
    screen = learned_screen()
    dimension = getattr(embeddings, "dimension", None)
    fits = screen is not None and getattr(embeddings, "model_id", "") == screen.embedder
    return screen if fits and (dimension is None or screen.width(dimension) == len(screen.weights)) else None
