"""Own the learned injection screen: logistic regression on e5 sentence vectors plus a few lexical features."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

SCREEN = Path(__file__).with_name("injection_screen.json")  # written by cityqa.tools.train_injection


def features(vectors: np.ndarray, texts: list[str], lexical: dict[str, str]) -> np.ndarray:
    """Rows of [unit sentence vector, one 0/1 column per lexical pattern]."""
    vectors = np.asarray(vectors, dtype=np.float64).reshape(len(texts), -1)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    patterns = [re.compile(p, re.IGNORECASE) for p in lexical.values()]
    marks = np.array([[float(bool(p.search(t))) for p in patterns] for t in texts]).reshape(len(texts), len(patterns))
    return np.hstack([vectors, marks])


class LearnedScreen:
    """Flag sentences whose probability of being an instruction to a model reaches the dev-chosen threshold."""

    def __init__(self, data: dict):
        self.embedder, self.threshold, self.lexical = data["embedder"], data["threshold"], data["lexical"]
        self.weights, self.bias = np.asarray(data["weights"], dtype=np.float64), float(data["bias"])

    def scores(self, texts: list[str], vectors) -> np.ndarray:
        """The probability, per sentence, that it is an instruction to a model."""
        if not texts:
            return np.zeros(0)
        return 1 / (1 + np.exp(-(features(np.asarray(vectors), texts, self.lexical) @ self.weights + self.bias)))

    def flags(self, texts: list[str], vectors) -> list[bool]:
        """Flag each sentence at or over the threshold."""
        return [bool(s >= self.threshold) for s in self.scores(texts, vectors)]


@lru_cache(maxsize=1)
def learned_screen() -> LearnedScreen | None:
    """The shipped screen, or None before one is trained."""
    return LearnedScreen(json.loads(SCREEN.read_text(encoding="utf-8"))) if SCREEN.exists() else None


def screen_for(embeddings) -> LearnedScreen | None:
    """The learned screen when it was trained on this embedder's vectors, else None."""
    screen = learned_screen()
    dimension = getattr(embeddings, "dimension", None)
    fits = screen is not None and getattr(embeddings, "model_id", "") == screen.embedder
    return screen if fits and (dimension is None or dimension + len(screen.lexical) == len(screen.weights)) else None
