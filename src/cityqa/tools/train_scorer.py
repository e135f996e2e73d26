"""Own the scorer's recipe: candidate features on public SQuAD-format train splits → the shipped weights file."""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cityqa.answering.scoring import CALIBRATION, FEATURES, SentenceScorer
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.tools.squad import contains_gold, load_squad, sample, split_of, windows
from cityqa.tools.squad_eval import open_qa

PUBLIC = PROJECT_ROOT / "eval" / "public"
DATASETS = {"en": PUBLIC / "squad2_train_first10.json", "zh": PUBLIC / "cmrc2018_trial.json",
            "zh-Hant": PUBLIC / "drcd_dev.json"}  # sources and licences: eval/public/README.md
WINDOW = 5  # paragraphs per document: long Wikipedia articles are cut to the size of a benchmark article
SEED = 20261202
MAX_FALSE_REFUSALS = 0.10


@dataclass
class Table:
    """Candidate feature rows of one split: x, label, which question, and whether its article was in the corpus."""

    x: np.ndarray
    y: np.ndarray
    question: np.ndarray
    inside: np.ndarray
    pair: np.ndarray

    @classmethod
    def join(cls, tables: list[Table]) -> Table:
        """One table of several, question numbers kept apart."""
        offset, parts = 0, []
        for t in tables:
            parts.append((t.x, t.y, t.question + offset, t.inside, t.pair))
            offset += int(t.question.max(initial=-1)) + 1
        return cls(*(np.concatenate(column) for column in zip(*parts)))


def collect(name: str, split: str, settings: Settings, documents: int, questions: int, progress=None) -> Table:
    """Ask a split's sampled questions through the chain's own retrieval and label each candidate sentence."""
    articles = [a for a in windows(load_squad(DATASETS[name]), WINDOW) if split_of(a) == split]
    chosen = sample(articles, documents, 0.2, questions, SEED + (split == "dev"))
    neutral = SentenceScorer({"features": FEATURES, "mean": [0] * len(FEATURES), "scale": [1] * len(FEATURES),
                              "coef": [0] * len(FEATURES), "intercept": 0.0})
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="cityqa-train-") as tmp:
        qa = open_qa(chosen.corpus, Path(tmp), settings, progress)
        for number, (question, inside) in enumerate(chosen.questions):
            reading, retrieval = qa.read(question.text)
            for c in qa.extractive.quoting.candidates(reading, retrieval, neutral):
                label = inside and contains_gold(c.sentence.text, question.answers)
                rows.append(([c.features[f] for f in FEATURES], label, number, inside, name))
            if not any(r[2] == number for r in rows[-1:]):  # no candidate at all: the question still counts
                rows.append(([0.0] * len(FEATURES), False, number, inside, name))
            if progress:
                progress(f"{name} {split}", number + 1, len(chosen.questions))
    x, y, q, inside, pair = zip(*rows)
    return Table(np.asarray(x), np.asarray(y), np.asarray(q), np.asarray(inside), np.asarray(pair))


def fit(table: Table, c: float = 1.0) -> dict:
    """Fit the logistic model on a training table (standardised features, fixed seed)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = table.x.mean(axis=0), table.x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit((table.x - mean) / scale, table.y)
    return {"features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6)}


def decisions(table: Table, weights: dict, threshold: float, second: float) -> dict:
    """Joint accuracy, false refusals and out-of-corpus refusals the weights give on a table (offline)."""
    scorer = SentenceScorer(weights)
    z = (table.x - scorer.mean) / scorer.scale @ scorer.coef + scorer.intercept
    p = 1.0 / (1.0 + np.exp(-z))
    right = refused_inside = inside_n = outside_n = refused_outside = 0
    for q in np.unique(table.question):
        rows = np.flatnonzero(table.question == q)
        order = rows[np.argsort(-p[rows])]
        best = order[0]
        picked = [best] + [r for r in order[1:2] if p[r] >= second * p[best]]
        refuse = p[best] < threshold
        if table.inside[best]:
            inside_n += 1
            refused_inside += refuse
            right += (not refuse) and bool(table.y[picked].any())
        else:
            outside_n += 1
            refused_outside += refuse
            right += refuse
    n = inside_n + outside_n
    return {"n": n, "joint": round(right / max(1, n), 4), "false_refusals": round(refused_inside / max(1, inside_n), 4),
            "out_of_corpus_refused": round(refused_outside / max(1, outside_n), 4)}


def choose(table: Table, weights: dict) -> tuple[float, float]:
    """The refusal threshold and second-sentence ratio best on dev, with false refusals at most 10 %."""
    best = (-1.0, 0.5, 1.0)
    for second in (1.01, 0.8, 0.6, 0.4, 0.25):
        for threshold in np.linspace(0.02, 0.9, 45):
            got = decisions(table, weights, float(threshold), second)
            if got["false_refusals"] <= MAX_FALSE_REFUSALS and got["joint"] > best[0]:
                best = (got["joint"], round(float(threshold), 3), second)
    return best[1], best[2]


def main() -> None:
    """Collect train and dev tables, fit, choose the thresholds on dev, and write the weights file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--cache", type=Path, default=PROJECT_ROOT / ".cityqa" / "training")
    parser.add_argument("--write", action="store_true", help="write the weights file into calibration/")
    args = parser.parse_args()
    settings = Settings()
    tables: dict[tuple[str, str], Table] = {}
    for split in ("train", "dev"):
        for name in DATASETS:
            path = args.cache / f"{split}-{name}-{args.documents}-{args.questions}.npz"
            if path.exists():
                tables[split, name] = Table(**np.load(path))
            else:
                tables[split, name] = collect(name, split, settings, args.documents, args.questions)
                path.parent.mkdir(parents=True, exist_ok=True)
                np.savez(path, **tables[split, name].__dict__)
    weights = fit(Table.join([tables["train", n] for n in DATASETS]))
    thresholds = {}
    for name in DATASETS:
        base = "en" if name == "en" else "zh"
        thresholds[f"{base}-{base}"], weights["second_sentence_ratio"] = choose(tables["dev", name], weights)
    dev = Table.join([tables["dev", n] for n in DATASETS])
    threshold, second = choose(dev, weights)
    weights |= {"refusal_threshold": {"default": threshold, "en-en": threshold, "zh-zh": threshold},
                "second_sentence_ratio": second, "per_dataset_thresholds_on_dev": thresholds}
    report = {name: decisions(tables["dev", name], weights, threshold, second) for name in DATASETS}
    print(json.dumps({"coef": dict(zip(FEATURES, weights["coef"])), "threshold": threshold, "second": second,
                      "dev": report}, indent=1))
    if args.write:
        target = CALIBRATION / "scorer-e5-small-q4.json"
        target.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
