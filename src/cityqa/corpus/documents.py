"""Own the document model: documents → sections → paragraphs with stable ids, chunks, and the glossary."""
from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from cityqa.corpus.frontmatter import split_front_matter
from cityqa.corpus.injection import flag_sentences, without
from cityqa.corpus.layout import heading_style
from cityqa.corpus.ocr_layout import chunk_place, low_confidence
from cityqa.corpus.profiles import citable_meta, derived_summary, item_of, item_series
from cityqa.corpus.tables import markdown_rows, row_texts
from cityqa.corpus.text import bounded_spans, to_simplified

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{#([\w.\-]+)([^}]*)\})?\s*$")
EMBED_CHARS, EMBED_HEADING_CHARS = 4000, 200  # e5 reads 512 tokens: more text only costs tokenizing time
PARAGRAPH_ID = re.compile(r"^\{#([\w.\-]+)\}\s*")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document, located by character offsets in its source file."""

    paragraph_id: str
    text: str
    start: int
    end: int
    section_id: str = ""
    section_path: tuple[str, ...] = ()
    place: str = ""  # recognised text: its lines' pages and boxes as JSON (corpus/ocr_layout)


@dataclass
class Document:
    """A loaded document: metadata plus its paragraphs in order."""

    doc_id: str
    title: str
    language: str
    source: str
    paragraphs: list[Paragraph]
    meta: dict = field(default_factory=dict)
    file_hash: str = ""
    notes: list = field(default_factory=list)  # one UnreadableFile per part left out (a table that cannot be read)

    @property
    def citation_meta(self) -> dict:
        """Front matter or file properties a reference and metadata answers need, flattened for the index."""
        meta = citable_meta(self.meta)
        meta["summary"] = meta["summary"] or derived_summary([p.text for p in self.paragraphs[:5]])
        meta["title"] = meta["title"] or self.title
        return meta

    @property
    def group(self) -> str:
        """Name the work this document belongs to: the original's id for a translation."""
        return self.meta.get("translation_of") or self.doc_id


@dataclass(frozen=True)
class Chunk:
    """An indexable piece of a paragraph, never cutting a sentence, with its metadata."""

    id: str
    text: str
    metadata: dict


def parse_markdown(raw: str) -> tuple[dict, str, list[Paragraph]]:
    """Parse Markdown with front matter, `{#id}` headings and paragraph ids into (meta, title, paragraphs)."""
    meta, offset = split_front_matter(raw)
    title, stack, counters = str(meta.get("title", "")), [], {}
    plain: dict[int, int] = {}  # numbered-line styles in the order they appear
    paragraphs: list[Paragraph] = []
    for block_start, block in _blocks(raw, offset):
        heading = HEADING.match(block) if block.startswith("#") and "\n" not in block else None
        style = heading_style(block) if not heading else None
        if style is not None:  # a plain line "一、发展目标" or "2. Transport" numbers a section as a heading would
            styles = plain.setdefault(style, len(plain))
            stack = [s for s in stack if s[0] < 2 + styles] + [(2 + styles, block.strip(), _slug(block))]
            continue
        if heading:
            level, text, sid = len(heading.group(1)), heading.group(2), heading.group(3)
            if level == 1:
                title = title or text
                continue
            stack = [s for s in stack if s[0] < level] + [(level, text, sid or _slug(text))]
            continue
        rows = markdown_rows(block)
        if rows is not None:  # a pipe table: each row a paragraph, at its line, its values named by the header
            starts = [block_start + m.start() for m in re.finditer(r"^", block, re.MULTILINE)]
            for i, text in row_texts(rows, header=True):
                section_id = stack[-1][2] if stack else "body"
                counters[section_id] = counters.get(section_id, 0) + 1
                paragraphs.append(_paragraph(f"{section_id}.{counters[section_id]}", text, starts[i + 1], stack))
            continue
        marker = PARAGRAPH_ID.match(block)
        section_id = stack[-1][2] if stack else "body"
        counters[section_id] = counters.get(section_id, 0) + 1
        pid = marker.group(1) if marker else f"{section_id}.{counters[section_id]}"
        start = block_start + (marker.end() if marker else 0)
        paragraphs.append(_paragraph(pid, raw[start:block_start + len(block)], start, stack))
    return meta, title, paragraphs


def paragraphs_from_blocks(blocks: list[tuple]) -> list[Paragraph]:
    """Number (offset, text, section path[, place]) blocks as paragraphs p1, p2, … within their sections."""
    counters: dict[str, int] = {}
    out = []
    for start, text, path, *place in blocks:
        section_id = _slug(path[-1]) if path else "body"
        counters[section_id] = counters.get(section_id, 0) + 1
        stack = [(i, title, _slug(title)) for i, title in enumerate(path)]
        paragraph = _paragraph(f"{section_id}.{counters[section_id]}", text, start, stack)
        out.append(replace(paragraph, place=place[0]) if place and place[0] else paragraph)
    return out


def chunk_document(doc: Document, max_chars: int) -> list[Chunk]:
    """Cut each paragraph into chunks of whole sentences, plus one record per sentence, with content ids."""
    chunks = []
    depth = item_series([p.section_path for p in doc.paragraphs])
    citation = doc.citation_meta  # once per document: a summary is derived from the first paragraphs
    for p in doc.paragraphs:
        item = item_of(p.section_path, depth)
        # a run without sentence ends is cut to max_chars: no record is longer than a chunk (bounded embedding)
        units = bounded_spans(p.text, max_chars) or [(0, len(p.text))]
        spans = [("paragraph", span) for span in _pack(units, max_chars)] + [("sentence", span) for span in units]
        # text addressed to an AI model is flagged per sentence: kept in the file, never quoted or sent to a model
        flagged = dict(zip(units, flag_sentences([p.text[a:b] for a, b in units])))
        counts: dict[str, int] = {}
        for kind, (a, b) in spans:
            inside = units[bisect_left(units, (a, -1)):bisect_right(units, (b, b))]
            inside = [(x, y) for x, y in inside if y <= b]
            cut = [flagged.get(u, False) for u in inside]
            text = without(p.text[a:b], inside, cut, a) if any(cut) else p.text[a:b]
            index, counts[kind] = counts.get(kind, 0), counts.get(kind, 0) + 1
            metadata = {
                "doc_id": doc.doc_id, "group": doc.group, "title": doc.title, "language": doc.language,
                "source": doc.source, "file_hash": doc.file_hash, "kind": kind, **citation,
                "section": " > ".join(p.section_path), "section_id": p.section_id,
                "item": item.number if item else 0, "item_label": item.label if item else "",
                "item_name": item.name if item else "",
                "paragraph_id": p.paragraph_id, "paragraph_key": f"{doc.group}#{p.paragraph_id}",
                "index": index, "start": p.start + a, "end": p.start + b,
                "instruction_like": (bool(cut) and all(cut)) or not text,
            }
            if any(cut) and kind == "paragraph":
                metadata["instruction_like_sentences"] = sum(cut)
            if p.place:  # recognised text: where on which page its lines stand, and whether any read poorly
                lines = chunk_place(p.place, a, b)
                metadata.update(place=lines, low_confidence=low_confidence(lines))
            # the id covers text and metadata (file hash aside), so any change to either replaces the record
            stable = json.dumps({k: v for k, v in metadata.items() if k != "file_hash"}, sort_keys=True,
                                ensure_ascii=False)
            digest = hashlib.sha1(f"{text}\x1f{stable}".encode()).hexdigest()
            chunks.append(Chunk(id=digest[:24], text=text, metadata=metadata))
    return chunks


def embedding_text(text: str, metadata: dict) -> str:
    """Prefix a chunk with its nearest heading for embedding, in 简体 as questions are; the stored text stays exact."""
    heading = metadata.get("section", "").rpartition(" > ")[2][:EMBED_HEADING_CHARS]
    return to_simplified(f"{heading}\n{text}" if heading else text)[:EMBED_CHARS]


def _blocks(raw: str, offset: int):
    """Yield (start, text) for blank-line separated blocks from offset on."""
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", raw[offset:]):
        text = match.group(0).rstrip()
        lead = len(text) - len(text.lstrip())
        yield offset + match.start() + lead, text.lstrip()


def _paragraph(pid: str, text: str, start: int, stack) -> Paragraph:
    section_id = stack[-1][2] if stack else "body"
    return Paragraph(paragraph_id=pid, text=text, start=start, end=start + len(text), section_id=section_id,
                     section_path=tuple(s[1] for s in stack))


def _pack(units: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Group sentence spans into windows of at most max_chars."""
    windows: list[tuple[int, int]] = []
    for a, b in units:
        if windows and b - windows[-1][0] <= max_chars:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")
    return slug[:40] or "section"
