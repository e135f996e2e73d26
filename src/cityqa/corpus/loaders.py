"""Own file loading: .md .txt .html .pdf .docx → Document, with one clear error per unusable file."""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from cityqa.corpus.documents import Document, paragraphs_from_blocks, parse_markdown
from cityqa.corpus.files import UnreadableFile, bom_encoding, decode_text, links_outside, read_file
from cityqa.corpus.frontmatter import BadFrontMatter
from cityqa.corpus.hidden import drop_hidden_html, visible_docx_text
from cityqa.corpus.layout import pdf_blocks, text_blocks
from cityqa.corpus.profiles import derived_title
from cityqa.corpus.properties import byline, dated, file_properties
from cityqa.corpus.scans import IMAGE_SUFFIXES, Scanner, image_frames, needs_ocr, pdf_page
from cityqa.corpus.text import detect_language

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", *IMAGE_SUFFIXES)
MAX_UNZIPPED_MB = 64  # a .docx is a zip: the file limit alone lets a 3 MB bomb inflate to gigabytes
MAX_ZIP_ENTRIES = 2000
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
    reader = {".pdf": _pdf_blocks, ".docx": _docx_blocks, ".html": _html_blocks, ".htm": _html_blocks,
              **dict.fromkeys(IMAGE_SUFFIXES, _image_blocks)}
    scanner = scanner or Scanner(None)
    try:
        if suffix in (".md", ".markdown"):
            meta, title, paragraphs = parse_markdown(decode_text(data))
        else:
            blocks = reader.get(suffix, _text_blocks)(path, data, scanner)
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
        source=source, paragraphs=paragraphs, meta=meta, file_hash=hashlib.sha1(data).hexdigest())


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


def _text_blocks(path: Path, data: bytes, scanner: Scanner):
    return text_blocks(decode_text(data).replace("\r\n", "\n"))


def _html_blocks(path: Path, data: bytes, scanner: Scanner):
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(DROPPED_HTML):
        tag.decompose()
    drop_hidden_html(soup)  # hidden, display:none, off-screen: a visitor never reads it, so neither does the index
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    blocks, headings, offset = [], [], 0
    for el in soup.find_all(re.compile(r"^(h[1-6]|p|li|blockquote|pre|td|dd)$")):
        if el.find(re.compile(r"^(p|li|blockquote|pre|td|dd)$")):
            continue
        text = re.sub(r"\s+", " ", el.get_text(" ")).strip()
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            level = int(el.name[1:])
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            continue
        blocks.append((offset, text, tuple(h[1] for h in headings)))
        offset += len(text) + 2
    return blocks


def _image_blocks(path: Path, data: bytes, scanner: Scanner):
    from cityqa.corpus.ocr_layout import scan_blocks

    return scan_blocks(scanner.read_pages(image_frames(data)))


def _pdf_blocks(path: Path, data: bytes, scanner: Scanner):
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


def _docx_blocks(path: Path, data: bytes, scanner: Scanner):
    import io

    import docx

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        log.info("unreadable .docx %s: %s: %s", path, type(exc).__name__, exc)
        raise UnreadableFile("无法读取 .docx：文件已损坏，或不是 Word 文档",
                             "unreadable .docx: the file is damaged or is not a Word document") from None
    blocks, headings, offset = [], [], 0
    for para in document.paragraphs:
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


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
