"""Own the page view of recognised text: a scan's page as an image with the quoted lines outlined over it."""
from __future__ import annotations

import base64
import io
from pathlib import Path

from cityqa.corpus.files import UnreadableFile
from cityqa.corpus.scans import image_page, pdf_page

VIEW_DPI = 100  # enough to read a page beside its text; the boxes are page fractions, so any size fits them
VIEW_WIDTH = 1000


def page_png(corpus_dir: Path, source: str, page: int) -> bytes:
    """One page (from 1) of a scanned file of the corpus as PNG; a path outside the corpus is refused."""
    root = corpus_dir.resolve()
    path = (root / source).resolve()
    if root not in path.parents or not path.is_file():
        raise UnreadableFile("找不到这一页的原文件", "the page's file is not in the corpus")
    data = path.read_bytes()
    image = pdf_page(data, page - 1, VIEW_DPI) if path.suffix.lower() == ".pdf" else image_page(data, page - 1)
    if image.width > VIEW_WIDTH:
        image = image.resize((VIEW_WIDTH, round(image.height * VIEW_WIDTH / image.width)))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def outlined_page(png: bytes, boxes: list[list[float]], label: str) -> str:
    """HTML: the page image with one outline per quoted line ([page, x0, y0, x1, y1] in page fractions)."""
    outlines = "".join(
        f'<div class="ocr-box" style="position:absolute;left:{x0:.2%};top:{y0:.2%};width:{x1 - x0:.2%};'
        f'height:{y1 - y0:.2%};border:2px solid #d9480f;background:rgba(255,212,59,.25);border-radius:2px">'
        "</div>" for _, x0, y0, x1, y1 in boxes)
    image = base64.b64encode(png).decode()
    return (f'<div class="ocr-page" role="img" aria-label="{_attribute(label)}" style="position:relative;'
            f'line-height:0;border:1px solid #ccc"><img src="data:image/png;base64,{image}" alt="" '
            f'style="width:100%;height:auto">{outlines}</div>')


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
