"""Compare the structure ingest builds from each document's text with the one it builds from a scan of it.

    python -m cityqa.tools.scan_fidelity [--variant clean|noisy] [--scans DIR] [--cache DIR] [-v] [FILES …]

Per document: the title the same?, the byline fields (authors, publisher, publication, date) read the same, headings
matched (text and numbering), paragraphs matched (by normalised text; verbatim: as printed, spaces collapsed),
paragraphs matched with the same id and section, numbered items matched. Says nothing about questions: it measures
the layout's fidelity to the text.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cityqa.corpus.documents import Document
from cityqa.corpus.loaders import load_document
from cityqa.corpus.ocr import make_ocr
from cityqa.corpus.ocr_cache import OcrCache
from cityqa.corpus.profiles import citable_meta, item_of, item_series
from cityqa.corpus.scans import Scanner
from cityqa.tools.render_scans import FIXTURES, render_all

BYLINE = ("authors", "publisher", "publication", "date")


def norm(text: str) -> str:
    """Text as compared: NFKC, no whitespace, case folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


@dataclass
class Fidelity:
    """How much of one document's structure the scan kept: (matched, of) per part, and what differed."""

    name: str
    title: bool = False
    byline: tuple[int, int] = (0, 0)
    headings: tuple[int, int] = (0, 0)
    paragraphs: tuple[int, int] = (0, 0)
    verbatim: tuple[int, int] = (0, 0)
    placed: tuple[int, int] = (0, 0)
    items: tuple[int, int] = (0, 0)
    missed: list[str] = field(default_factory=list)


def headings(doc: Document) -> list[str]:
    """The document's headings in order, each once."""
    seen: list[str] = []
    for paragraph in doc.paragraphs:
        seen += [h for h in paragraph.section_path if h not in seen]
    return seen


def items(doc: Document) -> list[tuple[int, str]]:
    """The numbered items the document's paragraphs belong to: (number, normalised name), each once."""
    depth = item_series([p.section_path for p in doc.paragraphs])
    found = [item_of(p.section_path, depth) for p in doc.paragraphs]
    return list(dict.fromkeys((i.number, norm(i.name)) for i in found if i))


def _matched(want: list, got: list, missed: list[str], what: str) -> tuple[int, int]:
    pool = list(got)
    hits = 0
    for item in want:
        if item in pool:
            pool.remove(item)
            hits += 1
        else:
            missed.append(f"{what} missing: {str(item)[:90]}")
    missed += [f"{what} extra: {str(item)[:90]}" for item in pool]
    return hits, len(want)


def compare(text: Document, scan: Document) -> Fidelity:
    """The fidelity of a scan's document to the text version's."""
    out = Fidelity(text.doc_id, norm(text.title) == norm(scan.title))
    if not out.title:
        out.missed.append(f"title: {text.title[:60]!r} read as {scan.title[:60]!r}")
    a, b = citable_meta(text.meta), citable_meta(scan.meta)
    fields = [key for key in BYLINE if a.get(key)]
    for key in fields:
        if norm(a[key]) != norm(b.get(key, "")):
            out.missed.append(f"{key}: {a[key]!r} read as {b.get(key, '')!r}")
    out.byline = (sum(norm(a[key]) == norm(b.get(key, "")) for key in fields), len(fields))
    out.headings = _matched([norm(h) for h in headings(text)], [norm(h) for h in headings(scan)], out.missed,
                            "heading")
    out.paragraphs = _matched([norm(p.text) for p in text.paragraphs], [norm(p.text) for p in scan.paragraphs],
                              out.missed, "paragraph")
    exact = [" ".join(p.text.split()) for p in scan.paragraphs]
    wanted = [" ".join(p.text.split()) for p in text.paragraphs]
    out.verbatim = (sum(w in exact for w in wanted), len(wanted))
    out.missed += [f"not verbatim: {_first_difference(w, exact)}" for w in wanted if w not in exact]
    where = [(p.paragraph_id, tuple(norm(h) for h in p.section_path), norm(p.text)) for p in scan.paragraphs]
    hits = sum((p.paragraph_id, tuple(norm(h) for h in p.section_path), norm(p.text)) in where
               for p in text.paragraphs)
    out.placed = (hits, len(text.paragraphs))
    out.items = _matched(items(text), items(scan), out.missed, "item")
    return out


def _first_difference(want: str, texts: list[str]) -> str:
    """Where a paragraph first differs from the most similar text read from the scan: "…printed… | …read…"."""
    from difflib import SequenceMatcher

    got = max(texts, key=lambda t: SequenceMatcher(None, want, t, autojunk=False).ratio(), default="")
    at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"{want[max(0, at - 15):at + 15]!r} | {got[max(0, at - 15):at + 15]!r}"


def run(sources: list[Path], variant: str = "clean", scans: Path | None = None,
        cache: Path | None = None) -> list[Fidelity]:
    """Render the documents (or use renders in scans), load each text and its scan as ingest does; compare."""
    scanner = Scanner(make_ocr("rapidocr"), page_budget_s=600, cache=OcrCache(cache) if cache else None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = scans or Path(tmp)
        if not (folder / variant).is_dir():
            render_all(folder, sources)
        files = [f for s in sources for f in (sorted(s.iterdir()) if s.is_dir() else [s]) if f.is_file()]
        results = []
        for path in files:
            text = load_document(path, path.parent, 50.0)
            pdf = folder / variant / f"{path.stem}.pdf"
            results.append(compare(text, load_document(pdf, pdf.parent, 50.0, scanner)))
    return results


def table(results: list[Fidelity]) -> str:
    """The comparison as a Markdown table, with a total row."""
    def cell(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]}"

    rows = ["| document | title | byline | headings | paragraphs | verbatim | same id+section | items |",
            "|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows.append(f"| {r.name} | {'yes' if r.title else 'no'} | {cell(r.byline)} | {cell(r.headings)} | "
                    f"{cell(r.paragraphs)} | {cell(r.verbatim)} | {cell(r.placed)} | {cell(r.items)} |")
    total = [tuple(map(sum, zip(*(getattr(r, k) for r in results)))) for k in
             ("byline", "headings", "paragraphs", "verbatim", "placed", "items")]
    rows.append(f"| all | {sum(r.title for r in results)}/{len(results)} | " + " | ".join(map(cell, total)) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """Print the fidelity table (and with -v what differed)."""
    parser = argparse.ArgumentParser(prog="scan_fidelity")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--variant", default="clean", choices=("clean", "noisy"))
    parser.add_argument("--scans", type=Path, help="renders made before (render_scans OUT)")
    parser.add_argument("--cache", type=Path, help="a folder keeping recognised pages between runs")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.files or [FIXTURES], args.variant, args.scans, args.cache)
    print(table(results))
    if args.verbose:
        for r in results:
            print(f"\n## {r.name}", *r.missed, sep="\n")


if __name__ == "__main__":
    main()
