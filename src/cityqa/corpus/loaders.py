"""Own file loading: .md .txt .html .pdf .docx → Document, with one clear error per unusable file."""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from cityqa.corpus.documents import Document, paragraphs_from_blocks, parse_markdown
from cityqa.corpus.frontmatter import BadFrontMatter
from cityqa.corpus.layout import pdf_blocks, text_blocks
from cityqa.corpus.profiles import derived_title
from cityqa.corpus.properties import byline, file_properties
from cityqa.corpus.text import detect_language
from cityqa.errors import CityQAError

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
MAX_UNZIPPED_MB = 64  # a .docx is a zip: the file limit alone lets a 3 MB bomb inflate to gigabytes
MAX_ZIP_ENTRIES = 2000
MAX_PDF_PAGES = 1000
log = logging.getLogger("cityqa.corpus")
DROPPED_HTML = ("script", "style", "nav", "footer", "aside", "header", "form", "noscript", "template", "iframe")


class UnreadableFile(CityQAError):
    """A file that cannot be ingested; the rest of the corpus still is."""


def load_document(path: Path, root: Path, max_mb: float) -> Document:
    """Load one file into a Document, or raise UnreadableFile saying why."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"不支持的文件类型 {suffix or '（无扩展名）'}，支持：{' '.join(SUPPORTED)}",
                             f"unsupported file type {suffix or '(none)'}; supported: {' '.join(SUPPORTED)}")
    if _links_outside(path, root):
        raise UnreadableFile("符号链接指向语料文件夹之外，未读取",
                             "a symbolic link to outside the corpus folder; not followed")
    data = _read(path, max_mb)
    if not data.strip():
        raise UnreadableFile("文件为空", "file is empty")
    if suffix in (".md", ".markdown", ".txt", ".html", ".htm") and b"\x00" in data[:8192] and not bom_encoding(data):
        raise UnreadableFile("这是二进制文件，不是文本", "binary file, not text")
    source = _relative(path, root)
    doc_id = re.sub(r"[^\w.\-]+", "-", str(Path(source).with_suffix(""))).strip("-")
    reader = {".pdf": _pdf_blocks, ".docx": _docx_blocks, ".html": _html_blocks, ".htm": _html_blocks}
    try:
        if suffix in (".md", ".markdown"):
            meta, title, paragraphs = parse_markdown(decode_text(data))
        else:
            blocks = reader.get(suffix, _text_blocks)(path, data)
            meta, title, paragraphs = file_properties(suffix, data), "", paragraphs_from_blocks(blocks)
    except MemoryError:
        raise UnreadableFile("文件展开后过大，内存不足", "the file expands beyond the memory available") from None
    except BadFrontMatter as exc:
        raise UnreadableFile(exc.zh, exc.en) from None
    if not paragraphs:
        raise UnreadableFile("没有可提取的文字（扫描版 PDF？）", "no extractable text (a scanned PDF?)")
    meta = {**byline([p.text for p in paragraphs]), **meta}  # front matter and file properties win
    sample = " ".join(p.text for p in paragraphs[:20])
    title = str(meta.get("title") or title or derived_title(paragraphs) or path.stem)
    if len(paragraphs) > 1 and " ".join(paragraphs[0].text.split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]  # the title line is the document's name, not a paragraph of its text
    return Document(
        doc_id=str(meta.get("doc_id") or doc_id), title=title,
        language=str(meta.get("language") or ("en" if detect_language(sample) == "en" else "zh")),
        source=source, paragraphs=paragraphs, meta=meta, file_hash=hashlib.sha1(data).hexdigest())


def _links_outside(path: Path, root: Path) -> bool:
    """Tell whether a file found in the corpus folder is a link (or under one) to a place outside it."""
    import os

    inside = os.path.abspath(root)
    if os.path.commonpath([os.path.abspath(path), inside]) != inside:
        return False  # a file named outside the corpus on the command line: the user chose it
    real = os.path.realpath(root)
    return os.path.commonpath([os.path.realpath(path), real]) != real


def _read(path: Path, max_mb: float) -> bytes:
    """Read a regular file within the size limit, or raise UnreadableFile saying why."""
    import errno
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("不是普通文件", "not a regular file")
        if info.st_size > max_mb * 1024 * 1024:
            raise UnreadableFile(f"文件超过 {max_mb:g} MB 上限", f"file is over the {max_mb:g} MB limit")
        with path.open("rb") as handle:
            data = handle.read(int(max_mb * 1024 * 1024) + 1)
    except UnreadableFile:
        raise
    except RuntimeError:  # pathlib reports a symlink loop this way on some versions
        raise UnreadableFile("符号链接循环", "symbolic link loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("符号链接循环", "symbolic link loop") from None
        reason = exc.strerror or "I/O error"
        raise UnreadableFile(f"无法读取文件（{reason}）", f"cannot read the file ({reason})") from None
    if len(data) > max_mb * 1024 * 1024:
        raise UnreadableFile(f"文件超过 {max_mb:g} MB 上限", f"file is over the {max_mb:g} MB limit")
    return data


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


def bom_encoding(data: bytes) -> str | None:
    """Name the UTF-16 or UTF-32 encoding a byte-order mark declares (their text is full of NUL bytes)."""
    import codecs

    marks = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
             (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32's little-endian mark starts with UTF-16's: tried first
    return next((name for mark, name in marks if data.startswith(mark)), None)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 or BOM-marked UTF-16/32, or detect GBK / Big5 and other legacy encodings."""
    if encoding := bom_encoding(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise UnreadableFile("无法识别文字编码", "cannot detect the text encoding") from None
        if "\x00" in text[:8192]:
            raise UnreadableFile("这是二进制文件，不是文本", "binary file, not text")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252", "latin_1"]).best()
    if best is None:
        raise UnreadableFile("无法识别文字编码", "cannot detect the text encoding")
    return str(best)


def _text_blocks(path: Path, data: bytes):
    return text_blocks(decode_text(data).replace("\r\n", "\n"))


def _html_blocks(path: Path, data: bytes):
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(DROPPED_HTML):
        tag.decompose()
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


def _pdf_blocks(path: Path, data: bytes):
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
    return pdf_blocks(pages)


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


def _docx_blocks(path: Path, data: bytes):
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
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "") if para.style is not None else ""
        level = re.match(r"(?:Heading|标题)\s*(\d)", style)
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
