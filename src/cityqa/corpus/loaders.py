"""Own file loading: .md .txt .html .pdf .docx → Document, with one clear error per unusable file."""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from cityqa.corpus.documents import Document, paragraphs_from_blocks, parse_markdown
from cityqa.corpus.docx_blocks import docx_blocks
from cityqa.corpus.files import UnreadableFile, bom_encoding, decode_text, links_outside, read_file
from cityqa.corpus.frontmatter import BadFrontMatter
from cityqa.corpus.hidden import drop_hidden_html
from cityqa.corpus.layout import pdf_blocks, text_blocks
from cityqa.corpus.profiles import derived_title
from cityqa.corpus.properties import byline, dated, file_properties
from cityqa.corpus.scans import IMAGE_SUFFIXES, Scanner, image_frames, needs_ocr, pdf_page
from cityqa.corpus.tables import data_table, html_rows, row_paragraphs
from cityqa.corpus.text import detect_language

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", *IMAGE_SUFFIXES)
MAX_PDF_PAGES = 1000
log = logging.getLogger("cityqa.corpus")
DROPPED_HTML = ("script", "style", "nav", "footer", "aside", "header", "form", "noscript", "template", "iframe")


def load_document(path: Path, root: Path, max_mb: float, scanner: Scanner | None = None) -> Document:
    """Load one file into a Document, or raise UnreadableFile saying why (scans need a scanner with an engine)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"不支持的文件类型 {suffix or '（无扩展名）'}，支持：{' '.join(SUPPORTED)}",
                             f"unsupported file type {suffix or '(none)'}; supported: {' '.join(SUPPORTED)}")
    if links_outside(path, root):
        raise UnreadableFile("符号链接指向语料文件夹之外，未读取",
                             "a symbolic link to outside the corpus folder; not followed")
    data = read_file(path, max_mb)
    if not data.strip():
        raise UnreadableFile("文件为空", "file is empty")
    if suffix in (".md", ".markdown", ".txt", ".html", ".htm") and b"\x00" in data[:8192] and not bom_encoding(data):
        raise UnreadableFile("这是二进制文件，不是文本", "binary file, not text")
    source = _relative(path, root)
    doc_id = re.sub(r"[^\w.\-]+", "-", str(Path(source).with_suffix(""))).strip("-")
    reader = {".pdf": _pdf_blocks, ".docx": docx_blocks, ".html": _html_blocks, ".htm": _html_blocks,
              **dict.fromkeys(IMAGE_SUFFIXES, _image_blocks)}
    scanner, notes = scanner or Scanner(None), []  # notes: what could not be read of a file that loads
    try:
        if suffix in (".md", ".markdown"):
            meta, title, paragraphs = parse_markdown(decode_text(data))
        else:
            blocks = reader.get(suffix, _text_blocks)(path, data, scanner, notes)
            meta, title, paragraphs = file_properties(suffix, data), "", paragraphs_from_blocks(blocks)
    except MemoryError:
        raise UnreadableFile("文件展开后过大，内存不足", "the file expands beyond the memory available") from None
    except BadFrontMatter as exc:
        raise UnreadableFile(exc.zh, exc.en) from None
    if not paragraphs:
        raise UnreadableFile("没有可提取的文字（空白页，或文字识别没有读出文字）",
                             "no extractable text (blank pages, or OCR read no text)")
    # front matter wins over what the text states; what the text states wins over file properties (authors, date,
    # issuer), and a file's creation date counts only where nothing states a date
    stated = byline([p.text for p in paragraphs])
    meta = dated({**stated, **meta} if suffix in (".md", ".markdown") else {**meta, **stated})
    sample = " ".join(p.text for p in paragraphs[:20])
    title = str(meta.get("title") or title or derived_title(paragraphs) or path.stem)
    paragraphs = paragraphs[title_lines(paragraphs, title):]
    return Document(
        doc_id=str(meta.get("doc_id") or doc_id), title=title,
        language=str(meta.get("language") or ("en" if detect_language(sample) == "en" else "zh")),
        source=source, paragraphs=paragraphs, meta=meta, file_hash=hashlib.sha1(data).hexdigest(), notes=notes)


def title_lines(paragraphs: list, title: str) -> int:
    """How many opening paragraphs are the title (wrapped over lines, or the heading over all), not text."""
    first = " ".join(paragraphs[0].text.split())
    if len(paragraphs) > 1 and paragraphs[1].section_path[:1] == (first,):
        return 1
    wanted, spelled = "".join(title.split()), ""
    for n, paragraph in enumerate(paragraphs[:-1][:4], 1):
        spelled += "".join(paragraph.text.split())
        if spelled == wanted:
            return n
        if not wanted.startswith(spelled):
            break
    return 0


def _text_blocks(path: Path, data: bytes, scanner: Scanner, notes: list):
    return text_blocks(decode_text(data).replace("\r\n", "\n"))


def _html_blocks(path: Path, data: bytes, scanner: Scanner, notes: list):
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(DROPPED_HTML):
        tag.decompose()
    drop_hidden_html(soup)  # hidden, display:none, off-screen: a visitor never reads it, so neither does the index
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    blocks, headings, offset = [], [], 0
    for el in soup.find_all(re.compile(r"^(h[1-6]|p|li|blockquote|pre|td|th|dd|table)$")):
        table = el if el.name == "table" else el.find_parent("table")
        if table is not None and data_table(table) and el is not table:
            continue  # a data table's text is read row by row, with the table
        if el.name == "table":
            texts = row_paragraphs(*html_rows(el)) if data_table(el) else []  # a layout table: its parts, one by one
        elif el.find(re.compile(r"^(p|li|blockquote|pre|td|th|dd|table)$")):
            continue
        else:
            texts = [re.sub(r"\s+", " ", el.get_text(" ")).strip()]
        for text in (text for text in texts if text):
            if el.name[0] == "h" and el.name[1:].isdigit():
                level = int(el.name[1:])
                headings = [h for h in headings if h[0] < level] + [(level, text)]
                continue
            blocks.append((offset, text, tuple(h[1] for h in headings)))
            offset += len(text) + 2
    return blocks


def _image_blocks(path: Path, data: bytes, scanner: Scanner, notes: list):
    from cityqa.corpus.ocr_layout import scan_blocks

    return scan_blocks(scanner.read_pages(image_frames(data)))


def _pdf_blocks(path: Path, data: bytes, scanner: Scanner, notes: list):
    import io

    from pypdf import PdfReader

    quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("PDF 已加密", "encrypted PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableFile(f"PDF 有 {len(reader.pages)} 页，超过 {MAX_PDF_PAGES} 页上限",
                                 f"the PDF has {len(reader.pages)} pages, over the {MAX_PDF_PAGES}-page limit")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (UnreadableFile, MemoryError):
        raise
    except Exception as exc:  # pypdf raises many types for damaged files: the class name is for the log only
        log.info("unreadable PDF %s: %s: %s", path, type(exc).__name__, exc)
        raise UnreadableFile("无法读取 PDF：文件已损坏，或不是 PDF 文件",
                             "unreadable PDF: the file is damaged or is not a PDF") from None
    scanned = [i for i, text in enumerate(pages) if needs_ocr(text)]
    if not scanned or (scanner.engine is None and len(scanned) < len(pages)):
        return pdf_blocks(pages)  # a text PDF (with OCR off, a mixed one's text pages)
    from cityqa.corpus.ocr_layout import scan_blocks

    read = {page.number - 1: page for page in scanner.read_pages(
        [(i + 1, lambda i=i: pdf_page(data, i)) for i in scanned])}
    return scan_blocks([read[i] if i in read else ("" if i in scanned else text) for i, text in enumerate(pages)])


def quiet_pypdf() -> None:
    """Send pypdf's own warnings ("invalid pdf header", …) to cityqa's debug log, never to the console."""
    pypdf_log = logging.getLogger("pypdf")
    if not any(isinstance(h, _ToDebugLog) for h in pypdf_log.handlers):
        pypdf_log.addHandler(_ToDebugLog())
        pypdf_log.propagate = False


class _ToDebugLog(logging.Handler):
    """Re-log a library's records at debug level under cityqa's own logger."""

    def emit(self, record: logging.LogRecord) -> None:
        """Pass the record on at debug level."""
        log.debug("pypdf: %s", record.getMessage())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
