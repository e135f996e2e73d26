"""Own the retrieval benchmark: hit@1/3/5 and MRR per language for cityqa and two baselines."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from cityqa.corpus.loaders import load_document
from cityqa.settings import Settings
from cityqa.tools.cases import is_gold, load_cases

Ranker = Callable[[str], list[str]]
FIXED_CHARS = 400


def score(cases: list[dict], rank: Ranker) -> dict[str, dict[str, float]]:
    """Compute hit@1/3/5 and MRR per language (and "all") for a ranker over cases with gold ids."""
    per: dict[str, list[float]] = {}
    for case in cases:
        ranked = rank(case["question"])
        first = next((i for i, key in enumerate(ranked) if is_gold(key, set(case["gold"]))), None)
        for lang in (case["language"], "all"):
            per.setdefault(lang, []).append(first if first is not None else 10**6)
    return {lang: {"n": len(ranks), **{f"hit@{k}": sum(r < k for r in ranks) / len(ranks) for k in (1, 3, 5)},
                   "mrr": sum(1 / (r + 1) for r in ranks) / len(ranks)} for lang, ranks in per.items()}


def cityqa_ranker(qa) -> Ranker:
    """Rank paragraph keys with the full hybrid search."""
    return lambda q: [h.key for h in qa.retrieve(q, k=10).hits]


def bm25_ranker(qa) -> Ranker:
    """Rank paragraph keys with BM25 alone (no dense, no glossary, no structure)."""
    return lambda q: [key for key, _ in qa.lexical_ranking(q)]


def naive_dense_ranker(settings: Settings, qa) -> Ranker:
    """Rank paragraph ids by dense search over plain fixed-size chunks of each document file."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection(f"naive-{time.time_ns()}", configuration={"hnsw": {"space": "cosine"}},
                                          embedding_function=None)
    ids, texts, spans = [], [], []
    for path in sorted(settings.corpus_dir.glob("*.md")):
        doc = load_document(path, settings.corpus_dir, settings.max_file_mb)
        raw = path.read_text(encoding="utf-8")
        body = doc.paragraphs[0].start
        for start in range(body, len(raw), FIXED_CHARS):
            overlap = [f"{doc.group}#{p.paragraph_id}" for p in doc.paragraphs
                       if p.start < start + FIXED_CHARS and p.end > start]
            ids.append(f"{doc.doc_id}:{start}")
            texts.append(raw[start:start + FIXED_CHARS])
            spans.append(",".join(overlap))
    collection.add(ids=ids, documents=texts, embeddings=qa.embeddings.embed_documents(texts),
                   metadatas=[{"paragraphs": s} for s in spans])

    def rank(question: str) -> list[str]:
        result = collection.query(query_embeddings=[qa.embeddings.embed_query(question)], n_results=20,
                                  include=["metadatas"])
        ordered: list[str] = []
        for meta in result["metadatas"][0]:
            ordered += [pid for pid in meta["paragraphs"].split(",") if pid and pid not in ordered]
        return ordered

    return rank


def run(settings: Settings, qa, dataset: Path) -> dict[str, dict]:
    """Score cityqa and both baselines on the answerable cases of a dataset."""
    cases = [c for c in load_cases(dataset) if c.get("gold")]
    return {"cityqa (hybrid)": score(cases, cityqa_ranker(qa)),
            "BM25 only": score(cases, bm25_ranker(qa)),
            "dense only, fixed chunks": score(cases, naive_dense_ranker(settings, qa))}


def timed_asks(qa, questions: list[str], rounds: int) -> list[float]:
    """Warm QA.ask times in ms over the questions, several rounds, sorted (one ask first, untimed, to warm up)."""
    qa.ask(questions[0])
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            qa.ask(question)
            samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)


def latency(settings: Settings, dataset: Path, rounds: int = 3) -> dict[str, float]:
    """Measure warm QA.ask p50/p95 over a dataset, and cold start to first answer in a fresh process."""
    import os
    import statistics
    import subprocess
    import sys

    from cityqa.app import build_qa

    questions = [c["question"] for c in load_cases(dataset)]
    cold_started = time.perf_counter()
    env_settings = {"CITYQA_INDEX_DIR": str(settings.index_dir), "CITYQA_CORPUS_DIR": str(settings.corpus_dir),
                    "CITYQA_EMBEDDING": settings.embedding}
    subprocess.run([sys.executable, "-c", f"from cityqa.app import build_qa; build_qa().ask({questions[0]!r})"],
                   check=True, env=os.environ | env_settings, capture_output=True)
    cold = time.perf_counter() - cold_started
    qa = build_qa(settings)
    samples = timed_asks(qa, questions, rounds)
    return {"questions": len(questions), "asks": len(samples), "warm_p50_ms": statistics.median(samples),
            "warm_p95_ms": samples[int(0.95 * (len(samples) - 1))], "warm_max_ms": samples[-1], "cold_start_s": cold}
