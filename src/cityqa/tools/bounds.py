"""Print what the bounded-work probes cost (seconds): a long paragraph, a long history turn and question, many files."""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cityqa.app import build_qa
from cityqa.index.embedder import make_embeddings
from cityqa.index.ingest import ingest
from cityqa.settings import Settings

WORDS = "harbour ferry tram line station district budget plan river bridge port works".split()


def timed(work) -> str:
    """Run work once; its seconds, or the one-line error it ended with."""
    started = time.perf_counter()
    try:
        work()
    except Exception as exc:  # a refusal is a result here: the probe is bounded when it is refused fast
        return f"{time.perf_counter() - started:.1f} s ({type(exc).__name__}: {str(exc)[:70]})"
    return f"{time.perf_counter() - started:.1f} s"


def main(corpus: Path, embedding: str = "fake-words", files: int = 100_000) -> None:
    """Print one line per probe, on a copy of corpus with the given embedder and the in-memory store."""
    root = Path(tempfile.mkdtemp(prefix="cityqa-bounds-"))
    try:
        shutil.copytree(corpus, root / "corpus")
        settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data",
                            embedding=embedding, store="memory")
        rng = random.Random(1)
        for kind, end in (("sentences", "."), ("no sentence end", "")):
            words = [rng.choice(WORDS) + (end if i % 12 == 11 else "") for i in range(60_000)]
            (root / "corpus" / "long.md").write_text(f"# Long\n\n{' '.join(words)[:348_000]}\n", encoding="utf-8")
            print(f"348 KB paragraph ({kind}), ingest:", timed(lambda: ingest(settings, make_embeddings(settings))),
                  flush=True)
        (root / "corpus" / "long.md").unlink()
        qa = build_qa(settings)
        qa.ask("What is the plan about?")
        turn = [{"role": "user", "content": "When does the first ferry leave? " * 90_000}]
        print("3 MB history turn, ask:", timed(lambda: qa.ask("And the last one?", turn)), flush=True)
        question = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(2000))
        print("2,000 random CJK characters, ask:", timed(lambda: qa.ask(question)), flush=True)
        many = root / "corpus" / "many"
        many.mkdir()
        for i in range(files):
            (many / f"{i}.txt").write_text(f"Note {i}: the ferry leaves at {i % 24}:00.", encoding="utf-8")
        print(f"{files:,} tiny files, ingest:", timed(lambda: ingest(settings, make_embeddings(settings))), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), *(sys.argv[2:3] or ["fake-words"]), *[int(a) for a in sys.argv[3:4]])
