"""Own uploads: save a user's file into the corpus under a safe name and size, never outside it."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from cityqa.corpus.loaders import SUPPORTED
from cityqa.errors import BadInput

UPLOADS = "uploads"
MAX_NAME_BYTES = 200


def safe_name(name: str) -> str:
    """Reduce a client-given file name to a safe base name (no folders, no dots first, ≤ 200 bytes)."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    stem, suffix = (stem, suffix.lower()) if dot else (base, "")
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem or 'upload'}{'.' + suffix if suffix else ''}"


def existing(corpus_dir: Path, name: str) -> bytes | None:
    """The bytes an upload of this name would replace (None when there is no such file)."""
    target = corpus_dir / UPLOADS / safe_name(name)
    return target.read_bytes() if target.is_file() else None


def save_upload(corpus_dir: Path, name: str, data: bytes, max_mb: float) -> Path:
    """Write an uploaded file to corpus/uploads/, or raise BadInput (type, size) without writing anything."""
    clean = safe_name(name)
    if Path(clean).suffix.lower() not in SUPPORTED:
        raise BadInput(f"不支持的文件类型：{clean}（可用 {' '.join(SUPPORTED)}）",
                       f"unsupported file type: {clean} (use {' '.join(SUPPORTED)})")
    if len(data) > max_mb * 1024 * 1024:
        raise BadInput(f"文件超过 {max_mb:g} MB 上限", f"the file is over the {max_mb:g} MB limit")
    folder = (corpus_dir / UPLOADS).resolve()
    target = (folder / clean).resolve()
    if target.parent != folder:
        raise BadInput("文件名无效", "invalid file name")
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    partial.replace(target)  # whole file or nothing
    return target


def discard(path: Path, previous: bytes | None) -> None:
    """Take back a saved upload that was refused: the file it replaced comes back, else it goes."""
    if previous is None:
        path.unlink(missing_ok=True)
        return
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(previous)
    partial.replace(path)
