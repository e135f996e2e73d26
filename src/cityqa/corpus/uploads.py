"""Own uploads: save a user's file into the corpus under a safe name and size, never outside it."""
from __future__ import annotations

import os
import re
import threading
import unicodedata
from pathlib import Path

from cityqa.corpus.identity import UPLOADS
from cityqa.corpus.loaders import SUPPORTED
from cityqa.errors import BadInput

MAX_NAME_BYTES = 200
MAX_SAME_NAME = 999


def safe_name(name: str) -> str:
    """Reduce a client-given file name to a safe base name (no folders, no dots first, ≤ 200 bytes)."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    stem, suffix = (stem, suffix.lower()) if dot else (base, "")
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem or 'upload'}{'.' + suffix if suffix else ''}"


def save_upload(corpus_dir: Path, name: str, data: bytes, max_mb: float) -> Path:
    """Write an upload to corpus/uploads/ beside any of that name (name-2.md), or raise BadInput, writing nothing."""
    clean = safe_name(name)
    if Path(clean).suffix.lower() not in SUPPORTED:
        raise BadInput(f"不支持的文件类型：{clean}（可用 {' '.join(SUPPORTED)}）",
                       f"unsupported file type: {clean} (use {' '.join(SUPPORTED)})")
    if len(data) > max_mb * 1024 * 1024:
        raise BadInput(f"文件超过 {max_mb:g} MB 上限", f"the file is over the {max_mb:g} MB limit")
    folder = (corpus_dir / UPLOADS).resolve()
    first = (folder / clean).resolve()
    if first.parent != folder:
        raise BadInput("文件名无效", "invalid file name")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{first.name}.{os.getpid()}.{threading.get_ident()}.part"
    partial.write_bytes(data)
    try:
        for number in range(1, MAX_SAME_NAME + 1):
            target = first if number == 1 else first.with_name(f"{first.stem}-{number}{first.suffix}")
            if target.is_file() and target.read_bytes() == data:
                raise BadInput(f"这个文件已经上传过：uploads/{target.name}",
                               f"this file is already uploaded: uploads/{target.name}")
            try:
                os.link(partial, target)  # whole file or nothing, and never over a file another upload holds
                return target
            except FileExistsError:
                continue
        raise BadInput(f"已有 {MAX_SAME_NAME} 个同名文件：请改名后再上传",
                       f"{MAX_SAME_NAME} files of this name are already uploaded: rename the file")
    finally:
        partial.unlink(missing_ok=True)


def discard(path: Path) -> None:
    """Take back a saved upload that was refused: it never replaced a file, so it just goes."""
    path.unlink(missing_ok=True)
