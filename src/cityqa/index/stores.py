"""Own store choice: open_store(settings) → Chroma (embedded or server) or the in-memory fake."""
from __future__ import annotations

from contextlib import nullcontext

from cityqa.errors import ConfigError, StoreUnavailable
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
