"""Own the candidate tables: every candidate sentence of sampled SQuAD-format questions, its features and label."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cityqa.answering.quoting import CANDIDATE_PARAGRAPHS
from cityqa.answering.scoring import FEATURES, SentenceScorer
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.tools.squad import contains_gold, load_squad, sample, split_of, windows
from cityqa.tools.squad_eval import open_qa

PUBLIC = PROJECT_ROOT / "eval" / "public"
DATASETS = {"en": PUBLIC / "squad2_train_first10.json", "zh": PUBLIC / "cmrc2018_trial.json",
            "zh-Hant": PUBLIC / "drcd_dev.json"}  # sources and licences: eval/public/README.md
WINDOW = 5  # paragraphs per document: long Wikipedia articles are cut to the size of a benchmark article
SEED = 20261202
NEAR_MISS = 0.25  # share of each kept article's paragraphs left out: their questions are near misses to refuse


@dataclass
class Table:
    """Candidate feature rows of one split: x, label, which question, and whether its article was in the corpus."""

    x: np.ndarray
    y: np.ndarray
    question: np.ndarray
    inside: np.ndarray
    pair: np.ndarray
    stated: np.ndarray  # the answerability rules' verdict on each candidate (an answerability feature, not a veto)

    @classmethod
    def join(cls, tables: list[Table]) -> Table:
        """One table of several, question numbers kept apart."""
        offset, parts = 0, []
        for t in tables:
            parts.append((t.x, t.y, t.question + offset, t.inside, t.pair, t.stated))
            offset += int(t.question.max(initial=-1)) + 1
        return cls(*(np.concatenate(column) for column in zip(*parts)))


def collect(name: str, split: str, settings: Settings, documents: int, questions: int, progress=None) -> Table:
    """Ask a split's sampled questions through the chain's own retrieval and label each candidate sentence."""
    articles = [a for a in windows(load_squad(DATASETS[name]), WINDOW) if split_of(a) == split]
    chosen = sample(articles, documents, 0.2, questions, SEED + (split == "dev"), NEAR_MISS)
    neutral = neutral_scorer()
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="cityqa-train-") as tmp:
        qa = open_qa(chosen.corpus, Path(tmp), settings, progress)
        for number, (question, in_corpus) in enumerate(chosen.questions):
            inside = in_corpus and question.answerable  # SQuAD 2.0's unanswerable questions must be refused too
            reading, retrieval = qa.read(question.text, k=CANDIDATE_PARAGRAPHS)
            found = qa.extractive.learned.candidates(reading, retrieval, neutral)
            qa.extractive.learned.judge(reading, retrieval, found, qa.extractive.corpus, len(found))
            for c in found:
                label = inside and contains_gold(c.sentence.text, question.answers)
                rows.append(([c.features[f] for f in FEATURES], label, number, inside, name, c.features["stated"]))
            if not found:  # no candidate at all: the question still counts
                rows.append(([0.0] * len(FEATURES), False, number, inside, name, 0.0))
            if progress:
                progress(f"{name} {split}", number + 1, len(chosen.questions))
    return Table(*(np.asarray(column) for column in zip(*rows)))


def neutral_scorer() -> SentenceScorer:
    """A scorer that only computes features (no weights, no similarity shift)."""
    return SentenceScorer({"features": FEATURES, "mean": [0] * len(FEATURES), "scale": [1] * len(FEATURES),
                           "coef": [0] * len(FEATURES), "intercept": 0.0})


