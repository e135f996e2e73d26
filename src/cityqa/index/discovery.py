"""Own discovery: which files an ingest reads, how many it may read, and which paths are too long to open."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from cityqa.corpus.files import UnreadableFile
from cityqa.errors import CityQAError

PATH_MAX, NAME_MAX = 4096, 255  # Linux's limits, in bytes: a longer path or name cannot be opened


def discover(paths: list[Path], limit: int | None = None) -> list[Path]:
    """List the files to ingest: given files as is; in folders, all files except those under _ or . names."""
    found: list[Path] = []
    for path in paths:
        if not too_long(path) and path.is_dir():
            found += sorted(_walk(path, limit, len(found)))
        else:
            found.append(path)  # a file, or reported below: missing, or a path too long to open
        if limit is not None and len(found) > limit:
            raise _too_many(limit)
    return found


def too_long(path: Path) -> bool:
    """Tell whether a path is longer than PATH_MAX or holds a name longer than NAME_MAX bytes."""
    raw = os.fsencode(path)
    return len(raw) >= PATH_MAX or any(len(part) > NAME_MAX for part in raw.split(b"/"))


def path_too_long(path: Path) -> UnreadableFile:
    """The one-line problem of a path too long to open."""
    return UnreadableFile(f"路径过长（超过 {PATH_MAX} 字节，或某一级名称超过 {NAME_MAX} 字节），未读取",
                          f"path too long (over {PATH_MAX} bytes, or a name over {NAME_MAX} bytes); not read")


def short(path: Path) -> str:
    """A path to print on one line: a very long one keeps its start and its end."""
    text = str(path)
    return text if len(text) <= 240 else f"{text[:80]}…{text[-150:]}"


def _walk(root: Path, limit: int | None, before: int) -> list[Path]:
    """The files under root (links to folders followed once each); folders too deep to list are named."""
    inside: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unlisted(error: OSError) -> None:
        if error.errno == errno.ENAMETOOLONG and error.filename:
            inside.append(Path(os.fsdecode(error.filename)))

    for folder, dirs, files in os.walk(root, onerror=unlisted, followlinks=True):
        here = Path(folder)
        try:
            info = here.stat()
            if (info.st_dev, info.st_ino) in seen:  # a link back to a folder already walked
                dirs.clear()
                continue
            seen.add((info.st_dev, info.st_ino))
        except OSError:
            pass
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in files:
            path = here / name
            if name.startswith(("_", ".")):
                continue
            if too_long(path) or _file_or_broken_link(path):
                inside.append(path)
            if limit is not None and before + len(inside) > limit:
                raise _too_many(limit)  # counted, never read: nothing written, the old index serves
    return inside


def _file_or_broken_link(path: Path) -> bool:
    """A file, or a link that loops or points nowhere (reported, not silently skipped)."""
    try:
        return path.is_file() or (path.is_symlink() and not path.exists())
    except OSError:
        return True  # reported by the loader in one line


def _too_many(limit: int) -> CityQAError:
    return CityQAError(f"要读取的文件超过 {limit} 个（CITYQA_MAX_FILES）：索引未改变；"
                       "请逐个导入子文件夹，或调高上限",
                       f"more than {limit} files to read (CITYQA_MAX_FILES): the index is unchanged; ingest one "
                       "sub-folder at a time or raise the limit")
