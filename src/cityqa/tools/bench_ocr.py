"""Benchmark OCR on rendered scans of documents: character error rate per language and variant, pages per second.

CER = edit distance / true length, on NFKC text: Chinese without whitespace, English with single spaces (so a
lost or extra space between words counts). Each page is recognised and laid out as at ingest (word spaces restored
if the engine drops them, page numbers and running headers dropped), and once more with spaces restored regardless;
pages per second include rendering the PDF page at 150 dpi, and pages are read as ingest reads them (side by side
when the engine runs one thread a page), nothing reused from an earlier read.
"""
from __future__ import annotations

import json
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from cityqa.corpus.ocr import OcrEngine, make_ocr
from cityqa.corpus.ocr_layout import page_pieces, repeated_lines
from cityqa.corpus.scans import OCR_DPI, RECOGNISED, Scanner, pdf_page
from cityqa.tools.render_scans import FIXTURES, render_all

BUDGET_S = 600  # a page is measured, never skipped for time


def normal(text: str, language: str) -> str:
    """Text as compared: NFKC; Chinese without whitespace, English with single spaces."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text) if language != "en" else re.sub(r"\s+", " ", text).strip()


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def document_texts(engine: OcrEngine, data: bytes, pages: int) -> tuple[list[tuple[str, str]], float, float]:
    """Each page's text as ingest lays it out (running lines dropped), and with word spaces restored; wall, CPU s."""
    RECOGNISED.clear()  # every page recognised, none remembered from an earlier read (no disk cache either)
    started, cpu = time.perf_counter(), time.process_time()
    scanner = Scanner(engine, page_budget_s=BUDGET_S)  # as ingest reads them: pages side by side if the engine can
    scans = scanner.read_pages([(index + 1, lambda index=index: pdf_page(data, index, OCR_DPI))
                                for index in range(pages)])
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    if scanner.skipped:
        raise RuntimeError(f"OCR skipped pages {scanner.skipped} (over {BUDGET_S} s or failed)")
    repeated = repeated_lines(scans)
    texts = [tuple("\n".join(piece[0] for piece in page_pieces(page, repeated, restore)) for restore in (None, True))
             for page in scans]
    return texts, seconds, cpu_s


def run(engine_name: str = "rapidocr", sources: list[Path] | None = None, scans: Path | None = None,
        engine: OcrEngine | None = None) -> dict:
    """Render the documents (default: the fixture corpus), recognise every page; CER and speed per group."""
    engine = engine or make_ocr(engine_name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = scans or Path(tmp)
        truths = render_all(folder, sources or [FIXTURES]) if not (folder / "truth").is_dir() else sorted(
            (folder / "truth").glob("*.json"))
        engine.read(pdf_page((folder / "clean" / f"{truths[0].stem}.pdf").read_bytes(), 0))  # load the models
        groups: dict[str, dict] = {}
        for truth_file in truths:
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            language = "en" if truth["language"] == "en" else "zh"
            for variant in ("clean", "noisy"):
                data = (folder / variant / f"{truth_file.stem}.pdf").read_bytes()
                group = groups.setdefault(f"{language} {variant}", dict.fromkeys(
                    ("errors", "raw", "chars", "pages", "s", "cpu_s"), 0))
                texts, seconds, cpu_s = document_texts(engine, data, len(truth["pages"]))
                group["s"] += seconds
                group["cpu_s"] += cpu_s
                for lines, (found, raw) in zip(truth["pages"], texts):
                    want = normal("\n".join(lines), language)
                    group["errors"] += distance(want, normal(found, language))
                    group["raw"] += distance(want, normal(raw, language))
                    group["chars"] += len(want)
                    group["pages"] += 1
    return {name: {"cer": round(g["errors"] / max(g["chars"], 1), 4),
                   "cer_restoring_spaces": round(g["raw"] / max(g["chars"], 1), 4), "chars": g["chars"],
                   "pages": g["pages"], "pages_per_s": round(g["pages"] / max(g["s"], 1e-9), 3),
                   "cpu_s_per_page": round(g["cpu_s"] / max(g["pages"], 1), 2)} for name, g in sorted(groups.items())}
