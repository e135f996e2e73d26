"""Render image-only scans of documents (A4, 150 dpi, Noto CJK): clean and noisy PDFs plus each page's true lines.

    python -m cityqa.tools.render_scans OUT [FILES_OR_FOLDERS …]     (default: eval/fixtures/corpus)

OUT/clean/NAME.pdf and OUT/noisy/NAME.pdf keep each file's stem (so doc ids match the text versions);
OUT/truth/NAME.json holds {"language", "pages": [[line, …], …]}: the printed lines, page numbers and running
header aside (the layout drops those). Noisy: blur, grain, a grey cast and a rotation within ±1° (fixed seed).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from cityqa.corpus.documents import Document
from cityqa.corpus.loaders import load_document
from cityqa.settings import PROJECT_ROOT

FONTS = Path("/usr/share/fonts/opentype/noto")
DPI, WIDTH, HEIGHT, MARGIN = 150, 1240, 1754, 150
BODY, HEADING, TITLE, SMALL = 22, 26, 34, 18  # pixels at 150 dpi: 10.5 pt body text
LEADING = 1.6
FIXTURES = PROJECT_ROOT / "eval" / "fixtures" / "corpus"


def printed_lines(doc: Document) -> list[tuple[str, str]]:
    """What a printed copy shows, as (style, text): title, byline, headings, paragraphs ("" between blocks)."""
    zh = doc.language != "en"
    out = [("title", doc.title)]
    authors = "；".join(a.get("name", "") + (f"，{a['role']}" if a.get("role") else "")
                       for a in doc.meta.get("authors", []) if isinstance(a, dict))
    if authors:
        out.append(("body", f"作者：{authors}" if zh else f"Author: {authors.replace('；', '; ')}"))
    for key, zh_label, en_label in (("publisher", "发布单位", "Publisher"), ("publication", "刊载", "Published in"),
                                    ("date", "日期", "Date")):
        if doc.meta.get(key) and not doc.meta.get("date_note_en" if key == "date" else ""):
            out.append(("body", f"{zh_label}：{doc.meta[key]}" if zh else f"{en_label}: {doc.meta[key]}"))
    section: tuple[str, ...] = ()
    for paragraph in doc.paragraphs:
        path = paragraph.section_path
        for depth, heading in enumerate(path):
            if depth >= len(section) or section[depth] != heading:
                out += [("", ""), ("heading", heading)]
        section = path
        out += [("", ""), ("body", paragraph.text)]
    return out


def wrap(text: str, font, width: int) -> list[str]:
    """Break text into lines that fit width: between words for English, between characters for Chinese."""
    lines, current = [], ""
    for token in _tokens(text):
        trial = current + token
        if current and font.getlength(trial.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = trial
    return lines + ([current.rstrip()] if current.strip() else [])


def _tokens(text: str) -> list[str]:
    import re

    return re.findall(r"[£€$¥]?[A-Za-z0-9.,;:'’%()\-–/]+\s*|\s+|.", text)  # a currency sign stays with its amount


def render(doc: Document, heading_px: int = HEADING) -> tuple[list, list[list[str]]]:
    """The document's pages as white A4 images at 150 dpi, and each page's true lines (headings bold, heading_px)."""
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int, bold: bool = False):
        return ImageFont.truetype(str(FONTS / ("NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc")),
                                  size, index=2 if doc.language != "en" else 0)

    styles = {"title": font(TITLE, True), "heading": font(heading_px, True), "body": font(BODY)}
    pages, truth, y, page, lines = [], [], HEIGHT, None, []

    def new_page():
        nonlocal page, y, lines
        image = Image.new("L", (WIDTH, HEIGHT), 255)
        page, lines, y = ImageDraw.Draw(image), [], MARGIN
        pages.append(image)
        truth.append(lines)
        page.text((MARGIN, 70), doc.title[:40], font=font(SMALL), fill=90)  # the running header
        page.text((WIDTH // 2 - 10, HEIGHT - 90), str(len(pages)), font=font(SMALL), fill=60)

    for style, text in printed_lines(doc):
        if not style:
            y += int(BODY * 0.9)
            continue
        face = styles[style]
        indent = 2 * BODY if style == "body" and doc.language != "en" else 0
        for number, part in enumerate(wrap(text, face, WIDTH - 2 * MARGIN - indent)):
            step = int(face.size * LEADING)
            if y + step > HEIGHT - MARGIN:
                new_page()
            page.text((MARGIN + (indent if number == 0 else 0), y), part, font=face, fill=20)
            lines.append(part)
            y += step
    return pages, truth


def noisy(image, seed: int):
    """A scanner's copy: rotated within ±1°, blurred, with grain and a grey cast."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    turned = image.rotate(rng.uniform(-1.0, 1.0), resample=Image.BICUBIC, fillcolor=255)
    soft = np.asarray(turned.filter(ImageFilter.GaussianBlur(0.9)), dtype=np.float32) * 0.92
    grain = np.random.default_rng(seed).normal(0, 14, soft.shape)
    return Image.fromarray(np.clip(soft + grain, 0, 255).astype("uint8"))


def render_all(out: Path, sources: list[Path]) -> list[Path]:
    """Render every loadable document of sources into out/clean, out/noisy and out/truth; return the truth files."""
    written = []
    for folder in ("clean", "noisy", "truth"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    files = [f for s in sources for f in (sorted(s.iterdir()) if s.is_dir() else [s]) if f.is_file()]
    for seed, path in enumerate(files):
        doc = load_document(path, path.parent, 50.0)
        pages, truth = render(doc)
        for folder, images in (("clean", pages), ("noisy", [noisy(p, seed * 100 + i) for i, p in enumerate(pages)])):
            images[0].save(out / folder / f"{path.stem}.pdf", "PDF", resolution=DPI, save_all=True,
                           append_images=images[1:], title=None, creationDate=None, modDate=None)  # a bare scan
        truth_file = out / "truth" / f"{path.stem}.json"
        truth_file.write_text(json.dumps({"language": doc.language, "pages": truth}, ensure_ascii=False, indent=1),
                              encoding="utf-8")
        written.append(truth_file)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("scans")
    for written in render_all(target, [Path(a) for a in sys.argv[2:]] or [FIXTURES]):
        print(written)
