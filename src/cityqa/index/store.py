"""Own the Chroma store: clients, versioned collections, the active pointer and the model check."""
from __future__ import annotations

import time
from dataclasses import asdict
from urllib.parse import urlparse

import httpx

from cityqa.corpus.glossary import Term
from cityqa.errors import ConfigError, IndexMissing, ModelMismatch, StoreUnavailable
from cityqa.index import artifacts
from cityqa.index.chroma_http import patient
from cityqa.index.lexical import (
    LexicalTables,
    build_tables,
    glossary_fingerprint,
    load_tables,
    save_tables,
    serving_paragraph,
)
from cityqa.index.readonly import copied_from, refuse_writes, serving_folder
from cityqa.index.versions import (  # noqa: F401  (re-exported: the store's names)
    PARAGRAPHS_PREFIX,
    PREFIX,
    IndexInfo,
    check_model,
    corrupt,
    paragraphs_name,
    version_of,
)
from cityqa.settings import Settings

META = "cityqa-meta"
PAGE = 5000
PUBLISH_BATCH = 1000
WORK_PER_TIMEOUT = 10_000  # records a writer's request timeout covers; larger versions get a proportionally longer one


def open_client(settings: Settings):
    """Open Chroma: a server when CITYQA_CHROMA_URL is set, else an embedded PersistentClient."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            from cityqa.index.chroma_http import bounded_http_client

            return with_retries(lambda: bounded_http_client(  # a silent server costs seconds, not for ever
                url.hostname or "localhost", url.port or (443 if url.scheme == "https" else 8000),
                url.scheme == "https", settings.store_timeout_s, chroma_settings))
        if settings.index_dir.exists() and not settings.index_dir.is_dir():
            raise ConfigError(f"CITYQA_INDEX_DIR={settings.index_dir} 是文件，不是文件夹",
                              f"CITYQA_INDEX_DIR={settings.index_dir} is a file, not a folder")
        try:
            settings.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"无法建立索引文件夹 CITYQA_INDEX_DIR={settings.index_dir}（{exc.strerror}）",
                              f"cannot create the index folder CITYQA_INDEX_DIR={settings.index_dir} "
                              f"({exc.strerror})") from None
        folder = serving_folder(settings.index_dir)  # Chroma writes on every open: a read-only folder is copied
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except (StoreUnavailable, ConfigError):
        raise
    except Exception as exc:
        raise unavailable(exc) from None


def unavailable(exc: Exception) -> StoreUnavailable:
    """Turn a Chroma or OS failure into the one-line "search unavailable" error."""
    if isinstance(exc, httpx.TimeoutException):
        try:
            seconds = f"{max(v for v in exc.request.extensions['timeout'].values() if v):g} s"
        except (RuntimeError, KeyError, ValueError, AttributeError):
            seconds = "CITYQA_STORE_TIMEOUT_S"
        return StoreUnavailable(f"检索服务在 {seconds} 内没有应答，请稍后再试",
                                f"search unavailable: the store did not answer within {seconds}; try again shortly")
    if damaged := corrupt(exc):
        return damaged
    return StoreUnavailable(f"检索服务不可用（{type(exc).__name__}: {str(exc)[:120]}），请稍后再试",
                            f"search unavailable ({type(exc).__name__}: {str(exc)[:120]}); try again shortly")


def with_retries(call, attempts: int = 3, delay_s: float = 0.3):
    """Run a store call, retrying transient failures a bounded number of times."""
    for attempt in range(attempts):
        try:
            return call()
        except (IndexMissing, ModelMismatch):
            raise
        except Exception as exc:
            if attempt == attempts - 1:
                raise unavailable(exc) from None
            time.sleep(delay_s * (attempt + 1))


class Store:
    """Versioned collections behind one active pointer, so readers never see a half-built index."""

    def __init__(self, client):
        self.client = client
        self.tables_root = artifacts.tables_root(client)
        self.read_only = "" if artifacts.is_server(client) else copied_from(self.tables_root.parent)

    def info(self) -> IndexInfo | None:
        """Read the active pointer, or None when no index was ever published."""
        meta = self._meta().metadata or {}
        if not meta.get("active"):
            return None
        return IndexInfo(collection=meta["active"], model=meta["model"], dimension=int(meta["dimension"]),
                         chunks=int(meta["chunks"]), built_at=meta["built_at"], previous=meta.get("previous", ""))

    def active(self, model_id: str, dimension: int):
        """Return the serving collection after checking it was built with this embedding model."""
        info = check_model(self.info(), model_id, dimension)
        return self.client.get_collection(info.collection)

    def records(self, collection, include_embeddings: bool = False, where: dict | None = None) -> dict:
        """Read every record of a collection (or those matching where), page by page."""
        include = ["documents", "metadatas"] + (["embeddings"] if include_embeddings else [])
        out: dict = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
        offset = 0
        while True:
            page = collection.get(include=include, limit=PAGE, offset=offset, where=where)
            for key in out:
                values = page.get(key)
                out[key] += list(values) if values is not None else []
            if len(page["ids"]) < PAGE:
                return out
            offset += PAGE

    def publish(self, ids, documents, metadatas, embeddings, model_id: str, dimension: int,
                glossary: list[Term] | None = None) -> IndexInfo:
        """Write a version (records, paragraph vectors, lexical tables), verify, switch the pointer, drop old ones."""
        refuse_writes(self.read_only)  # a private copy of a read-only folder: what is written here would be lost
        name = f"{PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
        serving = [n for n, meta in enumerate(metadatas) if serving_paragraph(meta)]
        # a writer's requests carry work in the corpus size (a server's vector index build): a patient timeout
        with patient(self.client, factor=max(1.0, len(ids) / WORK_PER_TIMEOUT)):
            try:
                collection = self._create(name, model_id, dimension)
                self._add(collection, ids, documents, metadatas, embeddings)
                vectors = self._create(paragraphs_name(name), model_id, dimension, of=str(collection.id))
                self._add(vectors, [ids[n] for n in serving], None, None, [embeddings[n] for n in serving])
                # the first query builds and persists the vector index here, not in the first reader
                answered = not serving or bool(vectors.query(query_embeddings=[embeddings[serving[0]]],
                                                             n_results=1)["ids"][0])
                if collection.count() != len(ids) or vectors.count() != len(serving) or not answered:
                    raise StoreUnavailable("新索引校验失败，仍使用旧索引",
                                           "the new index failed verification; the old one still serves")
                self.write_tables(collection, ids, documents, metadatas, glossary or [])
            except BaseException:
                self._delete({name, paragraphs_name(name)})
                raise
            previous = self.info()
            info = IndexInfo(collection=name, model=model_id, dimension=dimension, chunks=len(ids),
                             built_at=time.strftime("%Y-%m-%d %H:%M:%S"),
                             previous=previous.collection if previous else "")
            self._meta().modify(metadata=asdict(info) | {"active": name})
            self.drop_stale(keep={info.collection, info.previous})
        return info

    def paragraphs(self, collection):
        """The version's paragraph vectors (serving paragraphs only), or None for a version written without them."""
        from chromadb.errors import NotFoundError

        try:
            vectors = self.client.get_collection(paragraphs_name(collection.name))
        except (NotFoundError, ValueError):
            return None
        # written for this very collection (its UUID), not for an older version that had the same name
        return vectors if (vectors.metadata or {}).get("of") == str(collection.id) else None

    def _create(self, name: str, model_id: str, dimension: int, **metadata):
        return self.client.create_collection(name, metadata={"model": model_id, "dimension": dimension} | metadata,
                                             configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)

    def _add(self, collection, ids, documents, metadatas, embeddings) -> None:
        """Add records in batches of bounded size (a server request carries ~1,000 vectors, not the whole corpus)."""
        batch = max(1, min(self.client.get_max_batch_size(), PUBLISH_BATCH))
        for i in range(0, len(ids), batch):
            part = slice(i, i + batch)
            collection.add(ids=ids[part], embeddings=embeddings[part],
                           documents=documents[part] if documents is not None else None,
                           metadatas=metadatas[part] if metadatas is not None else None)

    def _delete(self, names: set[str]) -> None:
        existing = {c.name for c in self.client.list_collections()}
        for name in names & existing:
            self.client.delete_collection(name)

    def drop_stale(self, keep: set[str]) -> None:
        """Delete versioned collections other than the active and previous ones (left by killed ingests)."""
        for collection in self.client.list_collections():
            version = version_of(collection.name)
            if version and version not in keep:  # a version's paragraph vectors go with it
                self.client.delete_collection(collection.name)
        artifacts.drop_folders(self.tables_root, keep)
        if artifacts.is_server(self.client):
            artifacts.delete_versions(self.client, keep=keep)

    def write_tables(self, collection, ids, documents, metadatas, glossary: list[Term]) -> LexicalTables:
        """Build a version's lexical tables once, save them next to it, and mirror them to a Chroma server."""
        stamp = artifacts.stamp_of(collection, glossary_fingerprint(glossary))
        tables = build_tables(stamp, ids, documents, metadatas, glossary)
        folder = save_tables(tables, self.tables_root / collection.name)
        if artifacts.is_server(self.client):
            artifacts.upload(self.client, folder, collection.name)
        return tables

    def open_tables(self, collection, glossary: list[Term]) -> LexicalTables:
        """Open a version's tables, checked against it by stamp; rebuild (and cache) them only when none fit."""
        stamp = artifacts.stamp_of(collection, glossary_fingerprint(glossary))
        folder = self.tables_root / collection.name
        tables = load_tables(folder, stamp)
        if (tables is None and artifacts.is_server(self.client)
                and artifacts.download(self.client, stamp.version, folder)):
            tables = load_tables(folder, stamp)
        if tables is not None:
            return tables  # else a version written before tables existed, or another glossary: build, cache if we can
        records = self.records(collection)
        tables = build_tables(stamp, records["ids"], records["documents"], records["metadatas"], glossary)
        try:
            save_tables(tables, folder)
        except OSError:
            pass  # a read-only index folder still serves, from memory
        return tables

    def _meta(self):
        return self.client.get_or_create_collection(META, embedding_function=None)
