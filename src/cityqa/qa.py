"""Own composition: build_qa(settings) wires embedder, store, retrieval and answerers once; QA answers."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from cityqa.answer import Draft, ExtractiveAnswerer
from cityqa.cite import Citation
from cityqa.config import Settings
from cityqa.corpus import Term, load_glossary
from cityqa.embeddings import make_embeddings
from cityqa.errors import BadInput
from cityqa.ingest import Progress, ingest
from cityqa.retrieve import HybridSearch, glossary_matches, track_numbers
from cityqa.store import Store, open_client
from cityqa.text import clean_question, detect_language, tokenize

ANAPHORA = re.compile(r"这方面|这个|这些|这条|该赛道|其中|它们?|他们|上述|此类|这里|那里|\b(this|that|these|those|it|they|them|there|its|their)\b",
                      re.IGNORECASE)


@dataclass
class Answer:
    """A cited answer, in the JSON shape scripts and evaluators rely on."""

    question: str
    language: str
    answer: str
    refused: bool
    mode: str
    grounding: float
    citations: list[Citation]
    timings_ms: dict[str, float]
    flags: list[str] = field(default_factory=list)

    def to_dict(self, case_id: str | None = None) -> dict:
        """The answer as the stable JSON contract (with "id" when a batch case has one)."""
        body = {"question": self.question, "language": self.language, "answer": self.answer,
                "refused": self.refused, "mode": self.mode, "grounding": self.grounding,
                "citations": [c.to_dict() for c in self.citations], "timings_ms": self.timings_ms,
                "flags": self.flags}
        return ({"id": case_id} if case_id is not None else {}) | body


class QA:
    """Answer questions with citations: one object per process, safe to share between threads."""

    def __init__(self, settings: Settings, search: HybridSearch, glossary: list[Term], answerer=None):
        self.settings, self.search, self.glossary = settings, search, glossary
        self.extractive = ExtractiveAnswerer(search, glossary)
        self.answerer = answerer or self.extractive
        self.mode = "llm" if answerer else "extractive"

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        """Answer a question, using the history for follow-ups."""
        *_, answer = self.stream(question, history)
        return answer

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[str | Answer]:
        """Yield the answer text piece by piece (each piece already checked), then the Answer."""
        started = time.perf_counter()
        text = self.validate(question)
        language = detect_language(text)
        retrieval = self.search.search(text, self.settings.top_k, self.context(text, history or []))
        retrieved = time.perf_counter()
        draft: Draft | None = None
        for piece in self.answerer.stream(text, retrieval):
            if isinstance(piece, Draft):
                draft = piece
            else:
                yield piece
        done = time.perf_counter()
        yield Answer(question=question, language=language, answer=draft.text, refused=draft.refused,
                     mode="extractive" if "llm_fallback" in draft.flags or draft.structural else self.mode,
                     grounding=draft.grounding, citations=draft.citations, flags=draft.flags,
                     timings_ms={"retrieve": round((retrieved - started) * 1000, 1),
                                 "answer": round((done - retrieved) * 1000, 1),
                                 "total": round((done - started) * 1000, 1)})

    def validate(self, question: str) -> str:
        """Clean a question, or raise BadInput in its language when it is empty or too long."""
        if not isinstance(question, str):
            raise BadInput("问题必须是文字", "the question must be text")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise BadInput(f"问题太长：{len(question)} 个字符，上限为 {limit}",
                           f"question too long: {len(question)} characters, the limit is {limit}")
        text = clean_question(question)
        if not text:
            raise BadInput("问题是空的：请输入一个问题", "the question is empty: please type a question")
        return text

    def context(self, question: str, history: list[dict]) -> str:
        """Return the earlier user questions a follow-up refers to, or "" for a standalone question."""
        turns = [clean_question(str(t.get("content", ""))) for t in history[-2 * self.settings.history_turns:]
                 if isinstance(t, dict) and t.get("role") == "user"]
        if not turns:
            return ""
        standalone = track_numbers(question) or any(
            t.kind != "concept" for t in glossary_matches(question, self.glossary))
        follow_up = ANAPHORA.search(question) or len(tokenize(question)) <= 3
        return turns[-1][:500] if follow_up and not standalone else ""


def build_search(settings: Settings, progress: Progress | None = None) -> HybridSearch:
    """Open the index (building it from the corpus on first use) and return the hybrid search."""
    embeddings = make_embeddings(settings)
    store = Store(open_client(settings))
    if store.info() is None:
        ingest(settings, embeddings, progress=progress)
    return HybridSearch(store, embeddings, load_glossary(settings.corpus_dir))


def build_qa(settings: Settings | None = None, progress: Progress | None = None) -> QA:
    """Build the QA object: the one place where components are wired together."""
    settings = settings or Settings()
    search = build_search(settings, progress)
    glossary = search.glossary
    answerer = None
    if settings.llm_mode():
        from cityqa.llm import LLMAnswerer, make_chat_model

        answerer = LLMAnswerer(make_chat_model(settings), ExtractiveAnswerer(search, glossary),
                               settings)
    return QA(settings, search, glossary, answerer)


def run_evaluation(settings: Settings, datasets: list, mode: str, with_baselines: bool, progress=None) -> dict:
    """Run the evaluation suite through the QA API (extractive, or the configured LLM)."""
    from cityqa import benchmark
    from cityqa.errors import BadInput
    from cityqa.evaluation import evaluate, load_cases

    if mode == "llm" and not settings.llm_mode():
        raise BadInput("未配置 LLM：请设置 CITYQA_LLM_BASE_URL / CITYQA_LLM_MODEL", "no LLM configured: set "
                       "CITYQA_LLM_BASE_URL / CITYQA_LLM_MODEL")
    if mode == "extractive":
        settings = Settings(**settings.model_dump() | {"llm_provider": None, "llm_base_url": None, "llm_model": None})
    qa = build_qa(settings)
    cases = [case for path in datasets for case in load_cases(path)]

    def answer(case: dict) -> dict:
        try:
            return qa.ask(case["question"], case.get("history", [])).to_dict()
        except BadInput as exc:
            return {"answer": exc.message(case["language"]), "refused": True, "citations": [],
                    "timings_ms": {"total": 0.0}}

    def rank(case: dict) -> list[str]:
        try:
            text = qa.validate(case["question"])
        except BadInput:
            return []
        hits = qa.search.search(text, 10, qa.context(text, case.get("history", []))).hits
        return [h.meta["paragraph_id"] for h in hits]

    paragraphs = {f"{key}|{lang}": " ".join(f"{p.metadata['section']} {p.text}" for p in passages)
                  for key, versions in qa.search.by_key.items() for lang, passages in versions.items()}
    rankers = {}
    if with_baselines:
        rankers = {"BM25 only": _by_question(benchmark.bm25_ranker(qa.search)),
                   "dense only, fixed chunks": _by_question(benchmark.naive_dense_ranker(settings, qa.search))}
    report = evaluate(cases, answer, rank, paragraphs, rankers, progress)
    return report | {"dataset": ", ".join(str(p) for p in datasets), "mode": mode}


def _by_question(rank):
    """Adapt a ranker of questions to rank evaluation cases."""
    return lambda case: rank(case["question"])
