"""Own serving a read-only index folder: Chroma writes on every open, so it opens a private copy, never written back."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

from cityqa.errors import StoreUnavailable

MARKER = ".cityqa-read-only-copy"  # in a copy: the folder it was copied from
LOCKS = (".ingest.lock", ".open.lock")
_copies: dict[tuple[str, int], Path] = {}
_lock = threading.Lock()


def is_read_only(folder: Path) -> bool:
    """Tell whether an existing index folder (or its database) cannot be written: a read-only mount, chmod 555."""
    database = folder / "chroma.sqlite3"
    return database.is_file() and not (os.access(folder, os.W_OK) and os.access(database, os.W_OK))


def serving_folder(folder: Path) -> Path:
    """The folder Chroma should open for an index folder: itself, or a private copy when it is read-only."""
    return private_copy(folder) if is_read_only(folder) else folder


def refuse_writes(origin: str) -> None:
    """Raise StoreUnavailable when the store is a copy of a read-only folder (origin), whose writes would be lost."""
    if origin:
        raise StoreUnavailable(f"索引文件夹是只读的（{origin}）：可以查询，不能写入；旧索引仍在服务",
                               f"the index folder is read-only ({origin}): it can be queried, not written; "
                               "the old index still serves")


def private_copy(folder: Path) -> Path:
    """A copy of the index folder in the temporary folder, made once per database version, removed at exit."""
    key = (str(folder.resolve()), (folder / "chroma.sqlite3").stat().st_mtime_ns)
    with _lock:
        if key not in _copies or not _copies[key].is_dir():
            copy = Path(tempfile.mkdtemp(prefix="cityqa-read-only-index-"))
            shutil.copytree(folder, copy, dirs_exist_ok=True, ignore=lambda _, names: [n for n in names if n in LOCKS])
            (copy / MARKER).write_text(key[0], encoding="utf-8")
            atexit.register(shutil.rmtree, copy, ignore_errors=True)
            _copies[key] = copy
        return _copies[key]


def copied_from(folder: Path) -> str:
    """The read-only folder a private copy serves ("" for an index folder of its own)."""
    try:
        return (folder / MARKER).read_text(encoding="utf-8")
    except OSError:
        return ""
