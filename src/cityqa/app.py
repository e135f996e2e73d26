"""Own composition: build_qa(settings) wires every component once and returns the QA façade."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from langchain_core.embeddings import Embeddings

from cityqa.answering.chain import build_chain, build_reader
from cityqa.answering.extractive import ExtractiveAnswerer
from cityqa.corpus.glossary import Term, load_glossary
from cityqa.corpus.text import clean_question
from cityqa.errors import BadInput, CityQAError, IndexBusy
from cityqa.index.embedder import make_embeddings
from cityqa.index.ingest import IngestReport, Progress, ingest, wait_for_build
from cityqa.index.store import IndexInfo
from cityqa.index.stores import open_store
from cityqa.index.uploads import Upload, upload_files
from cityqa.pages import page_png
from cityqa.questions.conversation import Reading, bounded_history, read_part
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.retrieval.retriever import CityRetriever
from cityqa.seams import Answerer
from cityqa.settings import Settings, masked
from cityqa.types import Answer, Passage, Retrieval


class QA:
    """Answer questions with citations: one object per process, safe to share between threads."""

    def __init__(self, settings: Settings, search: HybridSearch, glossary: list[Term],
                 answerer: Answerer | None = None, extractive: ExtractiveAnswerer | None = None):
        self.settings, self.search, self.glossary = settings, search, glossary
        self.extractive = extractive or ExtractiveAnswerer(search, glossary, settings.quoting)
        self.answerer = answerer or self.extractive
        self.mode = "llm" if answerer else "extractive"
        self.retriever = CityRetriever(search_engine=search, k=settings.top_k)
        self.chain = build_chain(self.retriever, self.extractive.corpus, self.answerer, glossary, settings)
        self.reader = build_reader(self.retriever, self.extractive.corpus, glossary, settings)

    def ask(self, question: str, history: list[dict] | None = None, documents: list[str] | None = None) -> Answer:
        """Answer a question, using the history for follow-ups (documents: limit it to these doc ids)."""
        *_, answer = self.stream(question, history, documents)
        return answer

    def stream(self, question: str, history: list[dict] | None = None, documents: list[str] | None = None,
               config=None) -> Iterator[str | Answer]:
        """Yield the answer text piece by piece (each piece already checked), then the Answer."""
        started = time.perf_counter()
        text, cut = read_part(self.validate(question))  # cut before segmentation and search: a bounded cost
        groups = self.groups(documents) if documents else ()
        final: dict = {}
        turns = bounded_history(history, self.settings.history_turns)
        for chunk in self.chain.stream({"question": text, "history": turns, "documents": groups}, config):
            if "text" in chunk:
                yield chunk["text"]
            final.update({k: v for k, v in chunk.items() if k != "text"})
        done = time.perf_counter()
        draft, reading, retrieval = final["draft"], final["reading"], final["retrieval"]
        yield Answer(question=question, language=retrieval.language, answer=draft.text, refused=draft.refused,
                     mode="extractive" if "llm_fallback" in draft.flags or draft.structural else self.mode,
                     grounding=draft.grounding, citations=draft.citations,
                     flags=draft.flags + (["question_cut"] if cut else []),
                     understood_as=reading.understood_as,
                     timings_ms={"retrieve": round(retrieval.ms, 1),
                                 "answer": round((done - started) * 1000 - retrieval.ms, 1),
                                 "total": round((done - started) * 1000, 1)})

    def validate(self, question: str) -> str:
        """Clean a question, or raise BadInput in its language when it is empty, wordless or too long."""
        if not isinstance(question, str):
            raise BadInput("问题必须是文字", "the question must be text")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise BadInput(f"问题太长：{len(question)} 个字符，上限为 {limit}",
                           f"question too long: {len(question)} characters, the limit is {limit}")
        text = clean_question(question)
        if not text:
            raise BadInput("问题是空的：请输入一个问题", "the question is empty: please type a question")
        if not any(ch.isalnum() for ch in text):  # only emoji, punctuation or symbols: nothing to search for
            raise BadInput("问题里没有文字：请输入一个问题", "the question has no words: please type a question")
        return text

    def retrieve(self, question: str, k: int | None = None, history: list[dict] | None = None) -> Retrieval:
        """Rank paragraphs for a question as the chain does (with the history a follow-up refers to)."""
        return self.read(question, history, k=k)[1]

    def read(self, question: str, history: list[dict] | None = None, documents: list[str] | None = None,
             k: int | None = None) -> tuple[Reading, Retrieval]:
        """The chain's own reading and retrieval of a question, before any answer is written."""
        text, _ = read_part(self.validate(question))
        state = self.reader.invoke({"question": text, "history": bounded_history(history, self.settings.history_turns),
                                    "k": k, "documents": self.groups(documents) if documents else ()})
        retrieval = state["retrieval"]
        retrieval.question, retrieval.intent = text, state["reading"].intent
        return state["reading"], retrieval

    def lexical_ranking(self, question: str) -> list[tuple[str, float]]:
        """Paragraph keys ranked by BM25 alone: the lexical baseline."""
        return self.search.bm25_ranking(self.validate(question))

    embeddings = property(lambda self: self.search.embeddings, doc="The embedder the index was built with.")

    def version(self) -> str:
        """The index version answers are served from now (a newer published one is loaded first)."""
        self.search.refresh()
        return self.search.view.name

    def documents(self) -> list[dict]:
        """List the indexed documents: id, title, language, source, group, paragraphs, and when the file was added."""
        self.search.refresh()  # another process may have added or removed a document
        docs: dict[tuple[str, str], dict] = {}
        for passage in self.search.passages:
            meta = passage.metadata
            # one row per file: an index written before ids were owned may hold one doc_id in two files
            row = docs.setdefault((meta["doc_id"], meta["source"]), {key: meta[key] for key in (
                "doc_id", "title", "language", "source")} | {"group": meta.get("group", meta["doc_id"]),
                                                             "paragraphs": 0})
            row["paragraphs"] += 1
        for row in docs.values():
            path = self.settings.corpus_dir / row["source"]
            row["added"] = time.strftime("%Y-%m-%d", time.localtime(path.stat().st_mtime)) if path.exists() else ""
        return sorted(docs.values(), key=lambda d: d["source"])

    def paragraphs(self) -> dict[str, dict[str, list[Passage]]]:
        """Every paragraph by key, each with its passages per language, in index order."""
        self.search.refresh()
        return self.search.by_key

    def paragraph(self, key: str) -> dict[str, list[Passage]]:
        """One paragraph's passages per language ({} when the key is unknown)."""
        return self.search.by_key.get(key, {})

    def page_image(self, source: str, page: int) -> bytes:
        """A scanned document's page as PNG (source as its passages name it), for outlining quoted lines."""
        return page_png(self.settings.corpus_dir, source, page)

    def index_info(self) -> IndexInfo | None:
        """What the serving index version records (model, chunks, build time)."""
        return self.search.store.info()

    def add_files(self, paths: list[Path], progress: Progress | None = None) -> IngestReport:
        """Ingest files into a new index version and serve it."""
        report = ingest(self.settings, self.search.embeddings, paths, progress=progress)
        self.search.refresh(force=True)
        return report

    def upload(self, files: list[tuple[str, bytes]]) -> Upload:
        """Save uploaded files into corpus/uploads/ and index those that load; a refused file is not kept."""
        return upload_files(self.settings, files, self.add_files)

    def groups(self, documents: list[str]) -> tuple[str, ...]:
        """The works (original and translations) that some doc ids belong to, or BadInput naming an unknown id."""
        known = {d["doc_id"]: d["group"] for d in self.documents()}
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise BadInput(f"没有这个文档：{unknown[0]}（cityqa docs 列出全部文档）",
                           f"no such document: {unknown[0]} (cityqa docs lists them)")
        return tuple(dict.fromkeys(known[d] for d in documents))

    def remove(self, doc_id: str) -> IngestReport:
        """Take a document out of the index; its file moves to corpus/.removed/ so nothing is lost."""
        self.groups([doc_id])
        sources = [d["source"] for d in self.documents() if d["doc_id"] == doc_id]
        if len(sources) > 1:  # never guess which file is meant: the wrong one would go
            raise BadInput(f"{doc_id} 对应 {len(sources)} 个文件（{'、'.join(sources)}）：请先移走多余的文件再重建索引",
                           f"{doc_id} names {len(sources)} files ({', '.join(sources)}): move the extra file away "
                           "and rebuild the index")
        source = sources[0]
        path = self.settings.corpus_dir / source
        target = self.settings.corpus_dir / ".removed" / source
        moved = path.exists()
        if moved:
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
        try:
            report = ingest(self.settings, self.search.embeddings, [path])
        except BaseException:
            if moved:  # the index still holds the document: its file goes back, nothing half-done
                target.replace(path)
            raise
        self.search.refresh(force=True)
        return report

    def rebuild(self, progress: Progress | None = None) -> IngestReport:
        """Re-ingest the whole corpus into a new index version and serve it."""
        report = ingest(self.settings, self.search.embeddings, progress=progress)
        self.search.refresh(force=True)
        return report


def build_search(settings: Settings, progress: Progress | None = None,
                 embeddings: Embeddings | None = None) -> HybridSearch:
    """Open the index (building it from the corpus on first use) and return the hybrid search."""
    embeddings = embeddings or make_embeddings(settings)
    store = open_store(settings)
    if store.info() is None:
        try:
            ingest(settings, embeddings, progress=progress)
        except IndexBusy:  # concurrent cold starts: the first builds, the others wait for it
            wait_for_build(settings, progress)
    return HybridSearch(store, embeddings, load_glossary(settings.corpus_dir))


def build_qa(settings: Settings | None = None, progress: Progress | None = None,
             embeddings: Embeddings | None = None) -> QA:
    """Build the QA object: the one place where components are wired together (embeddings: a wrapped embedder)."""
    settings = settings or Settings()
    search = build_search(settings, progress, embeddings)
    glossary = search.glossary
    extractive, answerer = ExtractiveAnswerer(search, glossary, settings.quoting), None
    if settings.llm_mode():  # the LLM path falls back to the same extractive answerer (one corpus context, one cache)
        from cityqa.answering.generative import LLMAnswerer, make_chat_model

        answerer = LLMAnswerer(make_chat_model(settings), extractive, settings, search.embeddings)
    return QA(settings, search, glossary, answerer, extractive)


def ingest_files(settings: Settings, paths: list[Path] | None = None, rebuild: bool = False,
                 progress: Progress | None = None) -> IngestReport:
    """Ingest files (default: the corpus) into a new index version, without opening the QA."""
    return ingest(settings, make_embeddings(settings), paths, rebuild, progress)


def health(settings: Settings) -> list[str]:
    """Check embedder, index and LLM endpoint; return one status line each, or raise the first problem."""
    from cityqa.answering.endpoint import check_llm

    zh = settings.language == "zh"
    ok = "正常" if zh else "ok"
    embeddings = make_embeddings(settings)
    lines = [f"{'嵌入模型' if zh else 'embedder'}: {embeddings.model_id} ({embeddings.dimension} "
             f"{'维' if zh else 'dims'}) — {ok}"]
    store = open_store(settings)
    info = store.info()
    if info:
        store.active(embeddings.model_id, embeddings.dimension)
        lines.append(f"索引：{info.chunks} 个片段，{info.model}，建立于 {info.built_at} — {ok}" if zh else
                     f"index: {info.chunks} chunks, {info.model}, built {info.built_at} — {ok}")
    else:
        lines.append("索引：尚未建立（首次使用时自动建立）" if zh else "index: none yet (built on first use)")
    try:
        lines.append(masked(check_llm(settings)))
    except CityQAError as exc:  # the endpoint's URL is named in the message: never its credentials
        raise type(exc)(masked(exc.zh), masked(exc.en)) from None
    return lines
