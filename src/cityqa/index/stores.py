"""Own store choice: open_store(settings) → Chroma (embedded or server) or the in-memory fake; store checks."""
from __future__ import annotations

import logging
import re
from contextlib import nullcontext

from cityqa.errors import ConfigError, IndexCorrupt, IndexMissing, ModelMismatch, StoreUnavailable
from cityqa.seams import IndexStore
from cityqa.settings import Settings

CHOICES = "chroma | memory"


def open_store(settings: Settings) -> IndexStore:
    """Open the store the settings name."""
    match settings.store:
        case "chroma":
            from cityqa.index.store import Store, open_client

            with _first_open_lock(settings):
                return Store(open_client(settings))
        case "memory":
            from cityqa.index.memory import MemoryStore

            return MemoryStore.shared(settings.index_dir)
        case _:
            raise ConfigError(f"未知的 CITYQA_STORE={settings.store!r}；可选：{CHOICES}",
                              f"unknown CITYQA_STORE={settings.store!r}; choose one of: {CHOICES}")


def _first_open_lock(settings: Settings):
    """Serialise opening an embedded index between processes: Chroma's first open creates its tables unlocked."""
    from filelock import FileLock, Timeout

    if settings.chroma_url:
        return nullcontext()
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return FileLock(settings.index_dir / ".open.lock", timeout=settings.build_wait_s).acquire()
    except Timeout:
        raise StoreUnavailable(f"索引在 {settings.build_wait_s:g} 秒内无法打开，请稍后再试",
                               f"the index could not be opened within {settings.build_wait_s:g} s; "
                               "try again shortly") from None
    except OSError:
        return nullcontext()  # a folder we cannot write: nobody creates tables here; open_client names the problem


def check_model(info, model_id: str, dimension: int):
    """Return the active version's info after checking it was built with this embedding model."""
    if info is None:
        raise IndexMissing("还没有索引：请运行 cityqa ingest", "no index yet: run cityqa ingest")
    if (info.model, info.dimension) != (model_id, dimension):
        raise ModelMismatch(
            f"索引由 {info.model}（{info.dimension} 维）建立，当前模型为 {model_id}（{dimension} 维）；"
            "请运行 cityqa ingest --rebuild 重建索引",
            f"the index was built with {info.model} ({info.dimension} dims) but the configured model is "
            f"{model_id} ({dimension} dims); rebuild it with: cityqa ingest --rebuild")
    return info


# what SQLite (under embedded Chroma) and hnswlib say when the files on disk are not what they wrote
CORRUPT = re.compile(r"file is not a database|database disk image is malformed|malformed database schema|"
                     r"file is encrypted or is not a database|cannot read header|index file.*corrupt", re.I)


def corrupt(exc: Exception) -> IndexCorrupt | None:
    """The "index files damaged, rebuild" error when a store failure says its files are corrupt, else None."""
    if not CORRUPT.search(str(exc)):
        return None
    logging.getLogger("cityqa.index").info("index files damaged: %s: %s", type(exc).__name__, exc)
    return IndexCorrupt("索引文件已损坏（CITYQA_INDEX_DIR）：请运行 cityqa ingest --rebuild 重建索引",
                        "the index files are damaged (CITYQA_INDEX_DIR): run cityqa ingest --rebuild "
                        "to build the index again")
