"""Own the in-domain candidate tables: the dev cases of the report's and the fixtures' suites, labelled by gold."""
from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import numpy as np

from cityqa.answering.scoring import FEATURES
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.tools.candidate_tables import Table
from cityqa.tools.evaluation import is_gold, load_cases
from cityqa.tools.squad import contains_gold

SUITES = {"report": (PROJECT_ROOT / "eval" / "cases.jsonl", ()),
          "fixtures": (PROJECT_ROOT / "eval" / "fixtures" / "cases.jsonl", (PROJECT_ROOT / "eval" / "fixtures" /
                                                                             "corpus",))}
DOMAIN_DEV_SHARE = 0.5  # of the suites' dev cases: half fit the model, half choose its settings; test never used


def domain_split(case: dict, seed: int = 5) -> str:
    """"train" or "dev" for a suite's dev case, by a seeded hash of its id."""
    return "dev" if random.Random(f"{seed}:{case['id']}").random() < DOMAIN_DEV_SHARE else "train"


def collect_suite(name: str, part: str, neutral, progress=None):
    """Candidate rows of one suite's dev cases in one part, asked through the chain over that suite's corpus."""
    from cityqa.app import build_qa
    from cityqa.errors import BadInput
    from cityqa.index.embedder import make_embeddings
    from cityqa.tools.embed_cache import CachedEmbeddings
    from cityqa.tools.squad_eval import CACHE

    path, extra = SUITES[name]
    cases = [c for c in load_cases(path) if c.get("split") == "dev" and domain_split(c) == part]
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="cityqa-domain-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(PROJECT_ROOT / "corpus", corpus)
        for folder in extra:
            for file in folder.iterdir():
                shutil.copy(file, corpus / file.name)
        settings = Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index", data_dir=Path(tmp), top_k=8,
                            llm_provider=None, llm_base_url=None, llm_model=None, store="chroma", chroma_url=None)
        qa = build_qa(settings, embeddings=CachedEmbeddings(make_embeddings(settings), CACHE))
        for number, case in enumerate(cases):
            inside = not case.get("refuse") and bool(case.get("gold"))
            try:
                reading, retrieval = qa.read(case["question"], case.get("history"), k=8)
            except BadInput:
                continue
            found = qa.extractive.learned.candidates(reading, retrieval, neutral)
            qa.extractive.learned.judge(reading, retrieval, found, qa.extractive.corpus, len(found))
            gold = [c for c in found if inside and is_gold(c.hit.key, set(case["gold"]))]
            stating = [c for c in gold if contains_gold(c.sentence.text, case.get("facts") or [])]
            positive = {id(c) for c in (stating or gold)}  # no fact word for word: the gold paragraph's sentences
            for c in found or [None]:
                features = [c.features[f] for f in FEATURES] if c else [0.0] * len(FEATURES)
                base = "en" if case["language"] == "en" else "zh"
                rows.append((features, id(c) in positive, number, inside, f"{name}-{base}",
                             c.features["stated"] if c else 0.0))
            if progress:
                progress(f"{name} {part}", number + 1, len(cases))
    return Table(*(np.asarray(column) for column in zip(*rows)))
