"""Own the cross-language claim calibration: aligned zh/en sentences against nearby non-matching ones, per embedder."""
from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from cityqa.answering.translated import THRESHOLDS, embed_for_similarity
from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.text import sentences
from cityqa.index.ingest import discover

RECALL = 0.95  # share of dev positives the threshold keeps
MAX_FALSE_ACCEPT = 0.05  # an embedder letting more of the dev hard negatives through gets no threshold at all
QUANTILES = (0, 5, 25, 50, 75, 95, 100)
CLAUSE = {"en": (re.compile(r"[,;:]"), lambda c: len(c.split()) >= 6),
          "zh": (re.compile(r"[，；：、]"), lambda c: len(c) >= 8)}


@dataclass
class AlignedParagraph:
    """One paragraph of a translated document beside its original, sentence by sentence."""

    paragraph_id: str
    en: list[str]
    zh: list[str]

    @property
    def split(self) -> str:
        """"dev" (the threshold is chosen on it) or "held_out" (only measured), fixed by the paragraph id."""
        return "dev" if zlib.crc32(self.paragraph_id.encode()) % 2 == 0 else "held_out"


def aligned_paragraphs(corpus_dir: Path, max_mb: float) -> list[AlignedParagraph]:
    """Paragraphs of each translation and its original, where both have the same number of sentences."""
    docs = []
    for path in discover([corpus_dir]):
        try:
            docs.append(load_document(path, corpus_dir, max_mb))
        except UnreadableFile:
            continue
    originals = {d.doc_id: d for d in docs}
    out = []
    for translation in (d for d in docs if d.meta.get("translation_of") in originals):
        original = originals[translation.meta["translation_of"]]
        by_language = {original.language: original, translation.language: translation}
        if set(by_language) != {"en", "zh"}:
            continue
        zh = {p.paragraph_id: sentences(p.text) for p in by_language["zh"].paragraphs}
        for p in by_language["en"].paragraphs:
            en = sentences(p.text)
            if len(en) == len(zh.get(p.paragraph_id, ())):
                out.append(AlignedParagraph(p.paragraph_id, en, zh[p.paragraph_id]))
    return out


def calibrate(embeddings: Embeddings, paragraphs: list[AlignedParagraph]) -> dict:
    """Choose the threshold on the dev paragraphs and measure it on the held-out ones."""
    texts = list(dict.fromkeys(s for p in paragraphs for part in (p.en, p.zh, *clauses(p)) for s in part))
    vectors = dict(zip(texts, embed_for_similarity(embeddings, texts))) if texts else {}
    similarity = {split: _similarities([p for p in paragraphs if p.split == split], vectors)
                  for split in ("dev", "held_out")}
    chosen = choose_threshold(similarity["dev"]["positives"])
    dev = figures(similarity["dev"], chosen)
    fit = chosen is not None and dev["negatives_accepted"] <= MAX_FALSE_ACCEPT * max(dev["negatives"], 1)
    return {"model": getattr(embeddings, "model_id", type(embeddings).__name__),
            "threshold": chosen if fit else None, "candidate": chosen, "recall_target": RECALL,
            "max_false_accept": MAX_FALSE_ACCEPT, "dev": dev, "held_out": figures(similarity["held_out"], chosen)}


def choose_threshold(positives: list[float], recall: float = RECALL) -> float | None:
    """The highest similarity (rounded down to 0.001) that keeps at least `recall` of the positives."""
    if not positives:
        return None
    ordered = sorted(positives)
    return math.floor(ordered[int((1 - recall) * len(ordered))] * 1000) / 1000


def figures(similarity: dict[str, list[float]], threshold: float | None) -> dict:
    """Distributions, and how many positives, clause positives and hard negatives reach the threshold."""
    t = math.inf if threshold is None else threshold
    kept = sum(s >= t for s in similarity["positives"])
    accepted = sum(s >= t for s in similarity["negatives"])
    return {"positives": len(similarity["positives"]), "positives_kept": kept,
            "negatives": len(similarity["negatives"]), "negatives_accepted": accepted,
            "clauses": len(similarity["clauses"]), "clauses_kept": sum(s >= t for s in similarity["clauses"]),
            "recall": round(kept / max(len(similarity["positives"]), 1), 3),
            "precision": round(kept / (kept + accepted), 3) if kept + accepted else None,
            "quantiles": {name: [round(float(q), 3) for q in np.percentile(values, QUANTILES)] if values else []
                          for name, values in similarity.items()}}


def report_lines(result: dict) -> list[str]:
    """The calibration as lines to print: quantiles per split and pair kind, the threshold, what it keeps."""
    lines = [f"claim similarity / 声明相似度 — {result['model']} (quantiles {', '.join(f'p{q}' for q in QUANTILES)})"]
    for split in ("dev", "held_out"):
        lines += [f"{split:9s} {name:9s} n={result[split][name]:<4d} " + " ".join(f"{v:.3f}" for v in values)
                  for name, values in result[split]["quantiles"].items()]
    chosen = result["threshold"]
    lines.append(f"threshold / 阈值: {chosen if chosen is not None else 'none (unfit: cross-language check off)'} "
                 f"(candidate {result['candidate']}, keeps ≥ {result['recall_target']:.0%} of dev positives)")
    for split in ("dev", "held_out"):
        f = result[split]
        lines.append(f"{split:9s} positives kept {f['positives_kept']}/{f['positives']} (recall {f['recall']}), "
                     f"negatives accepted {f['negatives_accepted']}/{f['negatives']}, precision {f['precision']}, "
                     f"clauses kept {f['clauses_kept']}/{f['clauses']}")
    return lines


def clauses(paragraph: AlignedParagraph) -> tuple[list[str], list[str]]:
    """Long clauses of each sentence (en, zh): claims that state part of a sentence, as models often write."""
    def cut(text: str, language: str) -> list[str]:
        pattern, long_enough = CLAUSE[language]
        found = [c.strip() for c in pattern.split(text) if long_enough(c.strip())]
        return found if len(found) > 1 else []
    return ([c for s in paragraph.en for c in cut(s, "en")], [c for s in paragraph.zh for c in cut(s, "zh")])


def _similarities(paragraphs: list[AlignedParagraph], vectors: dict) -> dict[str, list[float]]:
    """Cosine of aligned pairs (positives), of a clause with its sentence's translation, and of hard negatives:
    other sentences of the same paragraph and every sentence of the neighbouring paragraphs."""
    def sim(a: str, b: str) -> float:
        return float(vectors[a] @ vectors[b])

    out: dict[str, list[float]] = {"positives": [], "negatives": [], "clauses": []}
    for k, p in enumerate(paragraphs):
        out["positives"] += [sim(en, zh) for en, zh in zip(p.en, p.zh)]
        out["negatives"] += [sim(en, zh) for i, en in enumerate(p.en) for j, zh in enumerate(p.zh) if i != j]
        out["negatives"] += [sim(en, zh) for m in (k - 1, k + 1) if 0 <= m < len(paragraphs)
                             for en in p.en for zh in paragraphs[m].zh]
        for en, zh in zip(p.en, p.zh):
            single = AlignedParagraph(p.paragraph_id, [en], [zh])
            en_parts, zh_parts = clauses(single)
            out["clauses"] += [sim(c, zh) for c in en_parts] + [sim(c, en) for c in zh_parts]
    return out


def write_threshold(result: dict, path: Path = THRESHOLDS) -> None:
    """Store one embedder's calibration (threshold and figures) beside the others."""
    table = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    table[result["model"]] = {k: v for k, v in result.items() if k != "model"}
    text = json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=2)
    # one line per list of quantiles keeps the file readable
    text = re.sub(r"\[\s+([-\d.,\s]+?)\s+\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]",
                  text)
    path.write_text(text + "\n", encoding="utf-8")
