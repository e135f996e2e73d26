"""Own file loading: .md .txt .html .pdf .docx → Document, with one clear error per unusable file."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from cityqa.corpus.documents import Document, paragraphs_from_blocks, parse_markdown
from cityqa.corpus.profiles import derived_title
from cityqa.corpus.properties import file_properties
from cityqa.corpus.text import detect_language
from cityqa.errors import CityQAError

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
DROPPED_HTML = ("script", "style", "nav", "footer", "aside", "header", "form", "noscript", "template", "iframe")


class UnreadableFile(CityQAError):
    """A file that cannot be ingested; the rest of the corpus still is."""


def load_document(path: Path, root: Path, max_mb: float) -> Document:
    """Load one file into a Document, or raise UnreadableFile saying why."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"不支持的文件类型 {suffix or '（无扩展名）'}，支持：{' '.join(SUPPORTED)}",
                             f"unsupported file type {suffix or '(none)'}; supported: {' '.join(SUPPORTED)}")
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("文件为空", "file is empty")
    if len(data) > max_mb * 1024 * 1024:
        raise UnreadableFile(f"文件超过 {max_mb:g} MB 上限", f"file is over the {max_mb:g} MB limit")
    if suffix in (".md", ".markdown", ".txt", ".html", ".htm") and b"\x00" in data[:8192]:
        raise UnreadableFile("这是二进制文件，不是文本", "binary file, not text")
    source = _relative(path, root)
    doc_id = re.sub(r"[^\w.\-]+", "-", str(Path(source).with_suffix(""))).strip("-")
    reader = {".pdf": _pdf_blocks, ".docx": _docx_blocks, ".html": _html_blocks, ".htm": _html_blocks}
    if suffix in (".md", ".markdown"):
        meta, title, paragraphs = parse_markdown(decode_text(data))
    else:
        blocks = reader.get(suffix, _text_blocks)(path, data)
        meta, title, paragraphs = file_properties(suffix, data), "", paragraphs_from_blocks(blocks)
    if not paragraphs:
        raise UnreadableFile("没有可提取的文字（扫描版 PDF？）", "no extractable text (a scanned PDF?)")
    sample = " ".join(p.text for p in paragraphs[:20])
    return Document(
        doc_id=str(meta.get("doc_id") or doc_id), title=str(meta.get("title") or title or derived_title(paragraphs) or path.stem),
        language=str(meta.get("language") or ("en" if detect_language(sample) == "en" else "zh")),
        source=source, paragraphs=paragraphs, meta=meta, file_hash=hashlib.sha1(data).hexdigest())


def decode_text(data: bytes) -> str:
    """Decode UTF-8, or detect GBK / Big5 and other legacy encodings."""
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
    return _split_blocks(decode_text(data).replace("\r\n", "\n"), ())


def _split_blocks(text: str, path: tuple[str, ...], base: int = 0):
    """Split text on blank lines into (offset, text, section path) blocks."""
    return [(base + m.start(), m.group(0).strip(), path)
            for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text) if m.group(0).strip()]


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

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("PDF 已加密", "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise UnreadableFile(f"无法读取 PDF（{type(exc).__name__}）", f"unreadable PDF ({type(exc).__name__})") from None
    blocks, offset = [], 0
    for page in pages:
        text = _unwrap(page)
        blocks += _split_blocks(text, (), offset)
        offset += len(text) + 2
    return blocks


def _docx_blocks(path: Path, data: bytes):
    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise UnreadableFile(f"无法读取 .docx（{type(exc).__name__}）",
                             f"unreadable .docx ({type(exc).__name__})") from None
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


def _unwrap(text: str) -> str:
    """Join hard-wrapped PDF lines: no space between CJK characters, one space between words."""
    text = re.sub(r"(?<=[\u3400-\u9fff，。；：、])\n(?=[\u3400-\u9fff])", "", text)
    return re.sub(r"(?<=\S)\n(?=\S)", " ", text)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
