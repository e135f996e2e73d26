"""Own .docx reading: paragraphs under their headings, tables row by row, within the zip limits."""
from __future__ import annotations

import logging
import re
from pathlib import Path

from cityqa.corpus.files import UnreadableFile
from cityqa.corpus.hidden import visible_docx_text
from cityqa.corpus.tables import docx_rows, row_paragraphs

MAX_UNZIPPED_MB = 64  # a .docx is a zip: the file limit alone lets a 3 MB bomb inflate to gigabytes
MAX_ZIP_ENTRIES = 2000
log = logging.getLogger("cityqa.corpus")


def check_zip(data: bytes, max_unzipped_mb: float = MAX_UNZIPPED_MB, max_entries: int = MAX_ZIP_ENTRIES) -> None:
    """Refuse a zip-based file whose entries are too many or would inflate past the limit (declared sizes bind)."""
    import io
    import zipfile

    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile("无法读取 .docx（不是有效的 zip 包）",
                             "unreadable .docx (not a valid zip package)") from None
    if len(entries) > max_entries:
        raise UnreadableFile(f".docx 含 {len(entries)} 个部件，超过 {max_entries} 的上限",
                             f".docx has {len(entries)} parts, over the {max_entries} limit")
    total = sum(e.file_size for e in entries)
    if total > max_unzipped_mb * 1024 * 1024:
        raise UnreadableFile(f".docx 解压后 {total / 1048576:.0f} MB，超过 {max_unzipped_mb:g} MB 上限",
                             f".docx expands to {total / 1048576:.0f} MB, over the {max_unzipped_mb:g} MB limit")


def _docx_table(table, notes: list) -> list[str]:
    """A .docx table's rows as paragraphs; one note, and nothing else lost, when its grid cannot be read."""
    try:
        return row_paragraphs(docx_rows(table, _docx_cell_text))
    except UnreadableFile as exc:
        notes.append(exc)
        return []


def _docx_cell_text(cell) -> str:
    """A cell's visible text, a table inside it read as plain text."""
    from docx.table import Table

    parts = [" ".join(_docx_cell_text(c) for row in block.rows for c in row.cells) if isinstance(block, Table)
             else visible_docx_text(block) for block in cell.iter_inner_content()]
    return " ".join(part for part in parts if part.strip())


def docx_blocks(path: Path, data: bytes, scanner, notes: list) -> list[tuple]:
    """The blocks of a .docx: paragraphs and table rows in document order, under their headings (notes: tables lost)."""
    import io

    import docx
    from docx.table import Table

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        log.info("unreadable .docx %s: %s: %s", path, type(exc).__name__, exc)
        raise UnreadableFile("无法读取 .docx：文件已损坏，或不是 Word 文档",
                             "unreadable .docx: the file is damaged or is not a Word document") from None
    blocks, headings, offset = [], [], 0
    for para in document.iter_inner_content():
        if isinstance(para, Table):  # each row a paragraph of the section the table stands in
            for text in _docx_table(para, notes):
                blocks.append((offset, text, tuple(h[1] for h in headings)))
                offset += len(text) + 1
            continue
        text = visible_docx_text(para).strip()  # hidden runs (w:vanish) are not the document's visible text
        if not text:
            continue
        style = (para.style.name or "") if para.style is not None else ""
        level = re.match(r"(?:Heading|标题)\s*(\d)", style)
        if style == "Title" and not blocks and not headings:  # the document's name: its first line, read as the
            blocks.append((offset, text, ()))  # title where the file names none (then dropped as a paragraph), and
            offset += len(text) + 1  # the heading over all that follows
        if level or style == "Title":
            depth = int(level.group(1)) if level else 0
            headings = [h for h in headings if h[0] < depth] + [(depth, text)]
            continue
        blocks.append((offset, text, tuple(h[1] for h in headings)))
        offset += len(text) + 1
    return blocks
