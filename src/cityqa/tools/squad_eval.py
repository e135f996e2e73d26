"""Own the SQuAD-format benchmark: a corpus from the articles, each question asked through QA, peers beside it."""
from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cityqa.corpus.text import sentences, to_simplified, tokenize
from cityqa.errors import BadInput
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.tools.squad import Article, Question, contains_gold, sample, write_corpus

CACHE = PROJECT_ROOT / ".cityqa" / "eval-embeddings.sqlite"
Progress = Callable[[str, int, int], None]


def open_qa(articles: list[Article], root: Path, settings: Settings, progress: Progress | None = None):
    """Write the articles as a corpus under root, index it for real (Chroma, cached e5 vectors) and build QA."""
    from cityqa.app import build_qa
    from cityqa.index.embedder import make_embeddings
    from cityqa.tools.embed_cache import CachedEmbeddings

    write_corpus(articles, root / "corpus")
    local = Settings(**settings.model_dump() | {"corpus_dir": root / "corpus", "index_dir": root / "index",
                                                "data_dir": root, "llm_provider": None, "llm_base_url": None,
                                                "llm_model": None, "store": "chroma", "chroma_url": None})
    embeddings = CachedEmbeddings(make_embeddings(local), CACHE, queries=False)  # latency includes the query's
    return build_qa(local, progress, embeddings)


class Peers:
    """The plain methods cityqa must beat, over the same index: dense and BM25 sentences, LangChain paragraphs."""

    def __init__(self, qa):
        import bm25s

        keys = list(qa.paragraphs())
        rows = qa.search.sentences(keys)
        self.qa = qa
        self.texts = [p.text for p, _ in rows]
        self.matrix = np.stack([v for _, v in rows]) if rows else np.zeros((0, qa.embeddings.dimension))
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(to_simplified(t)) or ["_"] for t in self.texts], show_progress=False)
        from langchain_chroma import Chroma

        collection = qa.search.collection
        self.chroma = Chroma(client=qa.search.store.client, collection_name=collection.name,
                             embedding_function=qa.embeddings)

    def answers(self, question: str) -> dict[str, tuple[str, float]]:
        """Each peer's answer text and its score (the top similarity for the dense peers)."""
        vector = np.asarray(self.qa.embeddings.embed_query(to_simplified(question)), dtype=np.float32)
        sims = self.matrix @ vector
        order = np.argsort(-sims)[:2]
        query = tokenize(to_simplified(question)) or ["_"]
        docs, scores = self.bm25.retrieve([query], k=1, show_progress=False)
        paragraph = self.chroma.similarity_search(question, k=1, filter={"kind": "paragraph"})
        return {"dense top-1 sentence": (self.texts[order[0]], float(sims[order[0]])),
                "dense top-2 sentences": (" ".join(self.texts[i] for i in order), float(sims[order[0]])),
                "BM25 top-1 sentence": (self.texts[int(docs[0][0])], float(scores[0][0])),
                "LangChain Chroma paragraph": (paragraph[0].page_content if paragraph else "", 0.0)}


def run_pair(name: str, articles: list[Article], settings: Settings, documents: int = 60, held_out: float = 0.2,
             questions: int = 300, seed: int = 7, progress: Progress | None = None, near_miss: float = 0.0) -> dict:
    """Benchmark one language pair: cityqa and its peers on one sampled corpus; return the pair's report."""
    chosen = sample(articles, documents, held_out, questions, seed, near_miss)
    with tempfile.TemporaryDirectory(prefix="cityqa-squad-") as tmp:
        qa = open_qa(chosen.corpus, Path(tmp), settings, progress)
        peers = Peers(qa)
        rows = []
        for done, (question, inside) in enumerate(chosen.questions):
            rows.append(ask_one(qa, peers, question, inside))
            if progress:
                progress(name, done + 1, len(chosen.questions))
    return {"pair": name, "documents": len(chosen.corpus), "held_out_documents": len(chosen.held_out),
            "questions": len(rows), "cityqa": score(rows, "cityqa"),
            "peers": {peer: score(rows, peer) for peer in rows[0]["peers"]} if rows else {},
            "peer_best_threshold": best_threshold(rows, "dense top-1 sentence"), "cases": rows}


def ask_one(qa, peers: Peers, question: Question, inside: bool) -> dict:
    """Ask one question of cityqa and of every peer; record what each got right."""
    gold = question.answers if inside else []
    started = time.perf_counter()
    try:
        answer = qa.ask(question.text)
        text, refused = answer.answer, answer.refused
        quotes = " ".join(q for c in answer.citations for q in (c.quotes or [c.quote]))
        grounding = answer.grounding
    except BadInput:
        text, refused, quotes, grounding = "", True, "", 0.0
    ms = (time.perf_counter() - started) * 1000
    peer_rows = {peer: {"answer": t, "score": s, "right": bool(gold) and contains_gold(t, gold)}
                 for peer, (t, s) in peers.answers(question.text).items()}
    return {"id": question.qid, "question": question.text, "gold": gold, "answerable": bool(gold),
            "cityqa": {"answer": text, "refused": refused, "grounding": grounding, "ms": round(ms, 1),
                       "right": bool(gold) and not refused and contains_gold(text, gold),
                       "quoted": bool(gold) and not refused and contains_gold(quotes, gold),
                       "sentences": 0 if refused else len(sentences(quotes or text))},
            "peers": peer_rows}


def score(rows: list[dict], who: str) -> dict:
    """Joint accuracy, false and out-of-corpus refusals, answer length and latency for cityqa or a peer."""
    def get(row):
        return row["cityqa"] if who == "cityqa" else row["peers"][who]

    answerable = [r for r in rows if r["answerable"]]
    outside = [r for r in rows if not r["answerable"]]
    refused = [bool(get(r).get("refused")) for r in rows]
    right = sum(get(r)["right"] for r in answerable) + sum(bool(get(r).get("refused")) for r in outside)
    out = {"n": len(rows), "joint": round(right / max(1, len(rows)), 3),
           "answer_right": round(sum(get(r)["right"] for r in answerable) / max(1, len(answerable)), 3),
           "false_refusals": round(sum(bool(get(r).get("refused")) for r in answerable) / max(1, len(answerable)), 3),
           "out_of_corpus_refused": round(sum(bool(get(r).get("refused")) for r in outside) / max(1, len(outside)), 3)
           if outside else None,
           "refused": round(sum(refused) / max(1, len(rows)), 3)}
    if who == "cityqa":
        times = sorted(r["cityqa"]["ms"] for r in rows)
        lengths = [r["cityqa"]["sentences"] for r in rows if not r["cityqa"]["refused"]]
        out |= {"gold_in_quote": round(sum(r["cityqa"]["quoted"] for r in answerable) / max(1, len(answerable)), 3),
                "median_sentences": statistics.median(lengths) if lengths else 0,
                "latency_p50_ms": round(times[len(times) // 2], 1) if times else 0.0,
                "latency_p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1) if times else 0.0}
    return out


def best_threshold(rows: list[dict], peer: str) -> dict:
    """The peer's joint accuracy at the refusal threshold best for this very run (an oracle ceiling, not a method)."""
    if not rows:
        return {}
    best = (score(rows, peer)["joint"], None)
    for cut in sorted({r["peers"][peer]["score"] for r in rows}):
        right = sum((r["peers"][peer]["score"] >= cut and r["peers"][peer]["right"]) if r["answerable"]
                    else r["peers"][peer]["score"] < cut for r in rows)
        best = max(best, (round(right / len(rows), 3), round(cut, 4)), key=lambda b: b[0])
    return {"peer": peer, "joint": best[0], "threshold": best[1]}
