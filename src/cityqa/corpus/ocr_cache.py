"""Own recognised pages kept on disk: a page's lines by its pixels and the engine's version, read once."""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from cityqa.corpus.ocr import OcrLine, lines_from_json, lines_json

log = logging.getLogger("cityqa.corpus")


def page_key(engine, image) -> str | None:
    """The key of a page for an engine: its version and the page's pixels (None: the engine's reading may vary)."""
    version = getattr(engine, "version", None)
    if not getattr(engine, "deterministic", False) or not version:
        return None
    digest = hashlib.sha256(f"{version}|{image.mode}|{image.width}x{image.height}|".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


class OcrCache:
    """Recognised pages as JSON files in a folder (under the data directory), one per page key."""

    def __init__(self, folder: Path) -> None:
        """The folder is made at the first page stored."""
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[OcrLine] | None:
        """The lines stored for a page, or None (not stored, or unreadable: the page is read again)."""
        path = self._path(key)
        try:
            return lines_from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("OCR cache entry %s unreadable (%s); the page is read again", path.name, exc)
            return None

    def put(self, key: str, lines: list[OcrLine]) -> None:
        """Store a page's lines (written whole, then renamed); a folder that cannot be written only costs reuse."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(lines_json(lines), encoding="utf-8")
            partial.replace(path)
        except OSError as exc:
            log.warning("OCR cache not written (%s): the page will be read again next time", exc.strerror or exc)
