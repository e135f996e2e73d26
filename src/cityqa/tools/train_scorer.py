"""Own the scorer's recipe: candidate features on public SQuAD-format train splits → the shipped weights file."""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cityqa.answering.quoting import VALUE_DEPTH
from cityqa.answering.scoring import (
    ANSWER_FEATURES,
    CALIBRATION,
    FEATURES,
    Candidate,
    Logistic,
    answer_features,
)
from cityqa.settings import Settings
from cityqa.tools.candidate_tables import DATASETS, PUBLIC, SEED, Table, collect, neutral_scorer

FEATURE_TABLES = PUBLIC / "features"  # the candidate tables the weights are fitted on (re-collected when absent)
SUITES = ("report", "fixtures")  # in-domain: the dev cases of eval/cases.jsonl and eval/fixtures (test never used)
TABLES = (*DATASETS, *SUITES)
MAX_FALSE_REFUSALS = 0.10
# similarity added to a sentence in the other language: e5 puts a question nearer its own language's sentences. No
# public parallel set is used, so the offsets are the gaps between the per-pair similarity floors the previous
# release calibrated on the dev splits of eval/cases.jsonl and eval/fixtures/cases.jsonl (en→zh 0.735 vs en→en 0.785,
# zh→en 0.81 vs zh→zh 0.845)
CROSS_LANGUAGE_SHIFT = {"en": {"zh": 0.05}, "zh": {"en": 0.035}}
RULES = ("unknown_names_veto", "value_filter", "value_veto")  # hand-written rules replayed offline for the ablation
ALWAYS = {"en": 1.01, "zh": 1.01}
# rule → per question language, the grounding below which it applies (1.01: always). The value veto earns its keep in
# the offline dev ablation. Gating the old answerer's three rules below the grounding `python -m
# cityqa.tools.rules_gate` chose on the train split (en 0.26, zh 0.6) raised public dev joint accuracy (en 0.755 →
# 0.81, 简体 0.68 → 0.75, 繁體 0.55 → 0.795) but let the learned model answer near-miss questions it scores high
# ("上海的人口是多少？" quoting an author line at 0.78): six answer tests fail, so they still always apply
# (docs/scorer.md)
SHIPPED_RULES = {rule: ALWAYS for rule in ("value_veto", "value_filter", "unknown_names_veto", "answerability_veto")}
# features read off the embedder's own cosine scale: left out of the weights for embedders fitted on no table
EMBEDDER_SCALE = ("similarity", "similarity_gap", "paragraph_similarity", "neighbour_similarity")
# left out by the dev ablation (docs/scorer-ablation.json): without the paragraph's rank the sentence model gains
# 0.10 joint on en dev (±0.01 elsewhere); the answerability rules' verdict (stated_best, stated_top) adds nothing
LEFT_OUT = ("paragraph_rank", "stated")
WEIGHTS_FILES = {"scorer-e5-small-q4.json": LEFT_OUT, "scorer-any.json": EMBEDDER_SCALE + LEFT_OUT}


def logistic(x: np.ndarray, y: np.ndarray, names, c: float = 1.0) -> dict:
    """Fit one logistic model (standardised features, fixed seed) and return its weights."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit((x - mean) / scale, y)
    return {"features": list(names), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6)}


@dataclass
class Picks:
    """Per question of a table: the answer the sentence model would give and whether it holds the gold span."""

    answer_x: np.ndarray
    right: np.ndarray
    inside: np.ndarray
    pair: np.ndarray


def picks(table: Table, weights: dict, second: float, rules: tuple[str, ...] = (), paragraphs: int = 8) -> Picks:
    """Rank each question's candidates with the sentence model; the best (and a close second) is the answer."""
    p = Logistic(weights).predict(table.x)
    column = {name: i for i, name in enumerate(FEATURES)}
    rows_x, right, inside, pair = [], [], [], []
    for q in np.unique(table.question):
        rows = np.flatnonzero(table.question == q)
        rows = rows[np.expm1(table.x[rows, column["paragraph_rank"]]) < paragraphs - 0.5] if paragraphs < 8 else rows
        if "value_filter" in rules and len(rows) and table.x[rows[0], column["value_asked"]]:
            stating = rows[table.x[rows, column["value_stated"]] > 0]
            rows = stating if len(stating) else rows
        if not len(rows):
            rows = np.flatnonzero(table.question == q)[:1]
        order = rows[np.argsort(-p[rows])]
        same = order[table.x[order, column["paragraph_rank"]] == table.x[order[0], column["paragraph_rank"]]]
        picked = [order[0]] + [r for r in same[1:2] if p[r] >= second * p[order[0]]]  # one source: one paragraph
        ranked = [Candidate(None, None, 0, dict(zip(FEATURES, table.x[r])) | {"stated": float(table.stated[r])},
                            float(p[r])) for r in order]
        features = answer_features(ranked)
        if "unknown_names_veto" in rules and features["unknown_names"] > 0:
            features["best"] = -1.0  # refused whatever the model says
        if "value_veto" in rules and features["value_asked"] and not any(
                c.features["value_stated"] for c in ranked[:VALUE_DEPTH]):
            features["best"] = -1.0
        rows_x.append([features[n] for n in ANSWER_FEATURES])
        right.append(bool(table.inside[order[0]] and table.y[picked].any()))
        inside.append(bool(table.inside[order[0]]))
        pair.append(table.pair[order[0]])
    return Picks(np.asarray(rows_x), np.asarray(right), np.asarray(inside), np.asarray(pair))


def fit(train: Table, second: float = 0.25, paragraphs: int = 8) -> dict:
    """Fit the sentence model, then the answerability model on the answers it gives (both on train only)."""
    weights = logistic(train.x, train.y, FEATURES)
    chosen = picks(train, weights, second, paragraphs=paragraphs)
    weights["answerability"] = logistic(chosen.answer_x, chosen.right, ANSWER_FEATURES)
    weights |= {"second_sentence_ratio": second, "paragraphs": paragraphs}
    return weights


def base_of(pair: str) -> str:
    """The question language ("en" or "zh") of a table's rows, from their dataset name."""
    return "en" if pair == "en" or pair.endswith("-en") else "zh"


def outcome(chosen: Picks, weights: dict, thresholds: dict, rules: tuple[str, ...] = ()) -> dict:
    """Joint accuracy, false refusals and out-of-corpus refusals of the answers at per-language thresholds."""
    grounding = Logistic(weights["answerability"]).predict(chosen.answer_x)
    if "unknown_names_veto" in rules:
        grounding[chosen.answer_x[:, 0] < 0] = 0.0
    refuse = grounding < np.asarray([thresholds[base_of(p)] for p in chosen.pair])
    joint = np.where(chosen.inside, chosen.right & ~refuse, refuse).mean()
    return {"n": int(len(refuse)), "joint": round(float(joint), 4),
            "false_refusals": round(float(refuse[chosen.inside].mean()), 4) if chosen.inside.any() else 0.0,
            "out_of_corpus_refused": round(float(refuse[~chosen.inside].mean()), 4) if (~chosen.inside).any()
            else None, "answered_right": round(float(chosen.right[chosen.inside].mean()), 4)}


def choose_threshold(chosen: Picks, weights: dict, rules: tuple[str, ...] = ()) -> dict[str, float]:
    """Per question language, the threshold with the best dev joint accuracy (each dataset counting alike) among
    those refusing at most 10 % of the answerable questions."""
    out = {}
    for base in ("en", "zh"):
        parts = []
        for pair in sorted({p for p in chosen.pair if base_of(p) == base}):
            mask = chosen.pair == pair
            parts.append(Picks(chosen.answer_x[mask], chosen.right[mask], chosen.inside[mask], chosen.pair[mask]))
        best = (-1.0, 0.0, 0.0)
        for t in np.linspace(0.02, 0.9, 89):
            got = [outcome(part, weights, {base: float(t)}, rules) for part in parts]
            answerable = sum(int(part.inside.sum()) for part in parts)
            refused = sum(g["false_refusals"] * int(part.inside.sum()) for g, part in zip(got, parts))
            joint = float(np.mean([g["joint"] for g in got])) if got else 0.0
            if refused <= MAX_FALSE_REFUSALS * answerable and (joint, -t) > best[:2]:
                best = (joint, -float(t), round(float(t), 3))
        out[base] = best[2]
    return out


def without(table: Table, drop: tuple[str, ...]) -> Table:
    """The table with the dropped features' columns set to zero (their fitted coefficients come out zero)."""
    if not drop:
        return table
    x = table.x.copy()
    x[:, [FEATURES.index(name) for name in drop if name in FEATURES]] = 0.0
    stated = np.ones_like(table.stated) if "stated" in drop else table.stated  # the rules' verdict left out
    return Table(x, table.y, table.question, table.inside, table.pair, stated)


def evaluate_dev(tables: dict, second: float, paragraphs: int, rules: tuple[str, ...] = (),
                 drop: tuple[str, ...] = ()) -> dict:
    """Fit on train (optionally without some features), choose the threshold on all dev, report dev per dataset."""
    train = without(Table.join([tables["train", n] for n in TABLES]), drop)
    dev = without(Table.join([tables["dev", n] for n in TABLES]), drop)
    weights = fit(train, second, paragraphs)
    threshold = choose_threshold(picks(dev, weights, second, rules, paragraphs), weights, rules)
    per = {}
    for name in TABLES:
        table = without(tables["dev", name], drop)
        per[name] = outcome(picks(table, weights, second, rules, paragraphs), weights, threshold, rules)
    return {"threshold": threshold, "dev": per, "weights": weights}


def ablation(tables: dict, second: float, paragraphs: int) -> dict:
    """Dev figures of the shipped recipe, with each old rule added, each setting changed, each feature left out."""
    back = {"paragraph_rank": "+ paragraph_rank (5 paragraphs, as chosen with it)", "stated": "+ the answerability "
            "rules' verdict (stated_best, stated_top)"}
    variants = {"shipped": {}, **{f"+ {rule}": {"rules": (rule,)} for rule in RULES},
                "one sentence only": {"second": 1.01},
                **{label: {"drop": tuple(d for d in LEFT_OUT if d != name), "paragraphs": 5 if name ==
                           "paragraph_rank" else paragraphs} for name, label in back.items()},
                "any embedder (no similarity scale)": {"drop": EMBEDDER_SCALE + LEFT_OUT},
                **{f"− {name}": {"drop": (name, *LEFT_OUT)} for name in FEATURES if name not in LEFT_OUT}}
    out = {}
    for label, change in variants.items():
        got = evaluate_dev(tables, change.get("second", second), change.get("paragraphs", paragraphs),
                           change.get("rules", ()), change.get("drop", LEFT_OUT))
        out[label] = {n: got["dev"][n]["joint"] for n in TABLES} | {"thresholds": got["threshold"]}
    return out


def main() -> None:
    """Collect train and dev tables, fit on train, choose the settings on dev, and write the weights file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--cache", type=Path, default=FEATURE_TABLES)
    parser.add_argument("--write", action="store_true", help="write the weights file into calibration/")
    parser.add_argument("--ablation", type=Path, help="write the ablation table (JSON) here")
    args = parser.parse_args()
    tables = load_tables(args.cache, args.documents, args.questions)
    for name, drop in WEIGHTS_FILES.items():
        weights, report = recipe(tables, drop)
        print(name, json.dumps(report | {"coef": dict(zip(FEATURES, weights["coef"])), "answerability": dict(
            zip(ANSWER_FEATURES, weights["answerability"]["coef"]))}, indent=1))
        if args.write:
            (CALIBRATION / name).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {CALIBRATION / name}")
    if args.ablation:
        weights, _ = recipe(tables, LEFT_OUT)
        table = ablation(tables, weights["second_sentence_ratio"], weights["paragraphs"])
        args.ablation.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


def recipe(tables: dict, drop: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """The shipped weights from the tables (less the dropped features): fitted on train, second-sentence ratio,
    depth and threshold on dev."""
    settings = {(second, paragraphs): evaluate_dev(tables, second, paragraphs, drop=drop)
                for second in (1.01, 0.6, 0.4, 0.25, 0.1)
                for paragraphs in ((8,) if "paragraph_rank" in drop else (5, 8))}  # the depth cut reads the rank
    (second, paragraphs), best = max(settings.items(), key=lambda kv: sum(r["joint"] for r in kv[1]["dev"].values()))
    weights = best["weights"] | {"refusal_threshold": best["threshold"],
                                 "cross_language_shift": CROSS_LANGUAGE_SHIFT, "rules": SHIPPED_RULES}
    return weights, {"second": second, "paragraphs": paragraphs, "threshold": best["threshold"], "dev": best["dev"]}


def load_tables(cache: Path, documents: int, questions: int) -> dict[tuple[str, str], Table]:
    """The train and dev candidate tables of every dataset, collected through QA when not cached."""
    tables = {}
    for split in ("train", "dev"):
        for name in TABLES:
            stem = f"{split}-{name}-{documents}-{questions}" if name in DATASETS else f"{split}-{name}"
            path = cache / f"{stem}.npz"
            if not path.exists() and name in SUITES:
                from cityqa.tools.domain_tables import collect_suite

                table = collect_suite(name, split, neutral_scorer())
                path.parent.mkdir(parents=True, exist_ok=True)
                np.savez_compressed(path, **table.__dict__)
            elif not path.exists():
                table = collect(name, split, Settings(), documents, questions)
                path.parent.mkdir(parents=True, exist_ok=True)
                np.savez_compressed(path, **table.__dict__)
            tables[split, name] = Table(**np.load(path))
    return tables


if __name__ == "__main__":
    main()
