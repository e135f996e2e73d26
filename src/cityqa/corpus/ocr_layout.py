"""Own the layout of recognised pages: lines → paragraphs and headings by geometry, running lines dropped."""
from __future__ import annotations

import unicodedata
from collections import Counter
from statistics import median

from cityqa.corpus.layout import (
    MAX_HEADING_CHARS,
    TERMINAL,
    heading_style,
    is_page_number,
    join_lines,
    page_lines,
    running_lines,
    shape,
    text_page_paragraphs,
    with_headings,
)
from cityqa.corpus.ocr import OcrLine
from cityqa.corpus.ocr_place import chunk_place, low_confidence, place, quoted_boxes  # noqa: F401  (their home)
from cityqa.corpus.ocr_text import fixed_brackets, fixed_line
from cityqa.corpus.scans import ScanPage
from cityqa.corpus.spacing import respaced, spaced

LARGE = 1.25  # a line this much taller than the page's body lines is set in large type: a heading or the title
# or this much wider per character (an em: a Chinese character, about two Latin letters): a line without ascenders
# or descenders ("Green Growth") is short for its type size, never narrow; bold headings run 1.2–1.35, titles 1.5+
LARGE_EM = 1.45
MIN_EM_CHARS = 4  # the width of a shorter line says little about its type size
LARGE_SHORT = 1.5  # nor its height: the box of a last line "品。" stands 1.27 body lines tall
BOLD = 1.3  # strokes this much wider than the body's: bold type (measured 1.55–1.75 for headings, body 0.9–1.07)
GAP = 0.6  # a vertical gap this many body-line heights wide ends a paragraph (lines of print sit ~0.2 apart)
PITCH = 1.3  # a line this many usual line pitches below the last starts a paragraph (measured 1.5–1.6)
EDGE = 0.1  # running headers and footers sit in the top and bottom tenth of the page
SENTENCE_END = tuple("。！？；.!?;")  # a piece ending so is a sentence in large or bold type, not a heading
Piece = tuple[str, list, str]  # text, its lines [offset, page, x0, y0, x1, y1, confidence], its type (TYPES)
TYPES = ("", "bold", "large")  # body type; bold type of body size; large type


def scan_blocks(pages: list[str | ScanPage]) -> list[tuple]:
    """Blocks (offset, text, section path, place) of pages that are text layers (str) or recognised scans."""
    scans = [p for p in pages if isinstance(p, ScanPage)]
    repeated = repeated_lines(scans)
    running = running_lines([page_lines(p) for p in pages if isinstance(p, str)])
    merged: list[Piece] = []
    for page in pages:
        if isinstance(page, str):
            pieces = [(text, [], "") for text in text_page_paragraphs(page_lines(page), running)]
        else:
            pieces = page_pieces(page, repeated)
        if merged and pieces and _cut(merged[-1]) and not _heading(pieces[0]):  # a paragraph goes on over the page
            merged[-1] = _joined(merged[-1], pieces.pop(0))
        merged += pieces
    # the title: the first unnumbered piece in large type near the top (a small header line may stand above it)
    first = next((i for i, piece in enumerate(merged[:3]) if piece[2] == "large" and not heading_style(piece[0])),
                 None)
    if first is not None:
        merged.insert(0, merged.pop(first))  # first, where the loader takes a document's title from
        merged[1:] = [piece for piece in merged[1:] if not _names_title(piece, merged[0][0])]
    title = 0 if first is None else 1
    large = {i for i, piece in enumerate(merged) if _heading(piece) and heading_style(piece[0]) is None and i >= title}
    blocks = with_headings([piece[0] for piece in merged], large=large)
    kept = [piece for i, piece in enumerate(merged) if i not in large and heading_style(piece[0]) is None]
    return [(*block, place(piece[1])) for block, piece in zip(blocks, kept)]


def _names_title(piece: Piece, title: str) -> bool:
    """A running header or footer that repeats the title (often cut short), on a page of its own too."""
    entries = piece[1]
    edge = len(entries) == 1 and (entries[0][5] < EDGE or entries[0][3] > 1 - EDGE) and not piece[2]
    text, whole = _squashed(piece[0]), _squashed(title)
    return edge and len(text) >= MIN_EM_CHARS * 2 and text in whole


def _squashed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def page_pieces(page: ScanPage, repeated: set[tuple[str, int]], restore: bool | None = None) -> list[Piece]:
    """One recognised page as paragraphs in reading order, each with its lines' boxes (restore: word spaces)."""
    restore = not page.spaced if restore is None else restore
    lines = [line for line in rows(page.lines) if not is_page_number(line.text)
             and _key(line, page) not in repeated]
    if not lines:
        return []
    body = median(line.height for line in lines)
    measured = [line for line in lines if len(line.text.replace(" ", "")) >= MIN_EM_CHARS]
    body_em = median(_em_width(line) for line in measured) if measured else 0.0
    strokes = [line.stroke for line in measured if line.stroke > 0]
    body_stroke = median(strokes) if strokes else 0.0
    pieces: list[Piece] = []
    previous = None
    ordered = reading_order(lines, page.width)
    spacing = (body, _pitch(ordered, body))
    for line in ordered:
        box = [round(line.box[0] / page.width, 4), round(line.box[1] / page.height, 4),
               round(line.box[2] / page.width, 4), round(line.box[3] / page.height, 4)]
        entry = [0, page.number, *box, round(line.confidence, 3)]
        large = _type(line, body, body_em, body_stroke)
        text = fixed_line(spaced(line) if restore else respaced(line.text, large == "large"))
        if previous is not None and not _breaks(previous, line, spacing, pieces[-1], large,
                                                _right(lines, previous, body)):
            pieces[-1] = _joined(pieces[-1], (text, [entry], large))
        else:
            pieces.append((text, [entry], large))
        previous = line
    return [(fixed_brackets(text), entries, kind) for text, entries, kind in pieces]  # one character for one


def _type(line: OcrLine, body: float, body_em: float, body_stroke: float) -> str:
    """A line's type (TYPES): large (taller, or wider per character, than the body), bold (thicker strokes), body."""
    if len(line.text) > MAX_HEADING_CHARS:
        return ""
    long = len(line.text.replace(" ", "")) >= MIN_EM_CHARS
    wide = long and _em_width(line) >= LARGE_EM * body_em > 0
    if line.height >= (LARGE if long else LARGE_SHORT) * body or wide:
        return "large"
    return "bold" if line.stroke >= BOLD * body_stroke > 0 else ""


def _em_width(line: OcrLine) -> float:
    """A line's width per em: a wide (CJK) character counts 1, a space 0.3, any other character 0.55."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.3 if c == " " else 0.55 for c in line.text)
    return (line.box[2] - line.box[0]) / max(ems, 1.0)


def rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines with the pieces of one printed line (boxes side by side, overlapping vertically) joined."""
    out: list[OcrLine] = []
    for line in sorted(lines, key=lambda x: (x.box[1], x.box[0])):
        last = out[-1] if out else None
        if last and _overlap(last, line) > 0.6 and 0 <= line.box[0] - last.box[2] < 2 * last.height:
            box = (last.box[0], min(last.box[1], line.box[1]), line.box[2], max(last.box[3], line.box[3]))
            widths = (last.box[2] - last.box[0], line.box[2] - line.box[0])
            stroke = (last.stroke * widths[0] + line.stroke * widths[1]) / max(sum(widths), 1.0)
            out[-1] = OcrLine(join_lines([last.text, line.text]), box, min(last.confidence, line.confidence), stroke)
        else:
            out.append(line)
    return out


def reading_order(lines: list[OcrLine], width: float) -> list[OcrLine]:
    """Top to bottom; where the page runs in two columns, the left column's band before the right's."""
    left = [x for x in lines if x.box[2] < width * 0.53]
    right = [x for x in lines if x.box[0] > width * 0.47]
    if min(len(left), len(right)) < 3:
        return sorted(lines, key=lambda x: x.box[1])
    ordered, band = [], []
    for line in sorted(lines, key=lambda x: x.box[1]):
        if line in left or line in right:
            band.append(line)
            continue
        ordered += _columns(band, width) + [line]  # a full-width line (a heading, a table) closes the band
        band = []
    return ordered + _columns(band, width)


def _columns(band: list[OcrLine], width: float) -> list[OcrLine]:
    return sorted(band, key=lambda x: (x.box[0] > width * 0.47, x.box[1]))


def _right(lines: list[OcrLine], previous: OcrLine, body: float) -> float:
    """The right edge of the column a line stands in (lines starting near its left edge)."""
    return max(x.box[2] for x in lines if abs(x.box[0] - previous.box[0]) < 3 * body)


def _pitch(ordered: list[OcrLine], body: float) -> float:
    """The page's usual distance from one line's middle to the next's within a paragraph (the lower quartile)."""
    steps = sorted(_middle(b) - _middle(a) for a, b in zip(ordered, ordered[1:]))
    steps = [step for step in steps if 0.5 * body < step < 3 * body]
    return steps[len(steps) // 4] if len(steps) >= 3 else 0.0


def _middle(line: OcrLine) -> float:
    return (line.box[1] + line.box[3]) / 2


def _breaks(previous: OcrLine, line: OcrLine, spacing: tuple[float, float], piece: Piece, large: str,
            right: float) -> bool:
    """Whether a line starts a new paragraph: a gap, a new column, an indent, a heading, a short last line."""
    body, pitch = spacing
    gap = line.box[1] - previous.box[3]
    unit = max(body, min(previous.height, line.height))  # large type is set with leading of its own size
    if gap > GAP * unit or gap < -body or large != piece[2] or line.box[0] > previous.box[2]:
        return True
    # a blurred scan's boxes swell into the space between paragraphs; the lines' pitch still shows it
    if not large and pitch and _middle(line) - _middle(previous) > PITCH * pitch:
        return True
    numbered = heading_style(line.text) is not None or heading_style(piece[0]) is not None
    if large and piece[2]:  # a title or heading in large or bold type wrapped onto a second line
        return numbered
    indent = line.box[0] - previous.box[0] > body  # a first-line indent (two characters in Chinese), a new column
    # a paragraph's last line stops short of the column's edge by more than a ragged right margin leaves
    short = previous.box[2] < right - max(3 * body, 0.2 * (right - previous.box[0]))
    return numbered or indent or short


def repeated_lines(scans: list[ScanPage]) -> set[tuple[str, int]]:
    """Lines repeated near the same place at the top or bottom of several pages (headers, footers)."""
    if len(scans) < 2:
        return set()
    seen = Counter()
    for page in scans:
        seen.update({_key(line, page) for line in page.lines
                     if line.box[3] < page.height * EDGE or line.box[1] > page.height * (1 - EDGE)})
    return {key for key, n in seen.items() if n >= max(2, len(scans) * 0.5)}


def _key(line: OcrLine, page: ScanPage) -> tuple[str, int]:
    """A line as running headers repeat it: digits masked, spaces ignored (OCR spaces "No. 7" one way or another)."""
    return "".join(shape(line.text).split()), _band(line, page)


def _band(line: OcrLine, page: ScanPage) -> int:
    return round(line.box[1] / page.height * 50)


def _overlap(a: OcrLine, b: OcrLine) -> float:
    shared = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return max(0.0, shared) / max(1.0, min(a.height, b.height))


def _heading(piece: Piece) -> bool:
    """A numbered heading, or a short unnumbered line in large or bold type that does not end as a sentence does."""
    return heading_style(piece[0]) is not None or (
        bool(piece[2]) and len(piece[0]) <= MAX_HEADING_CHARS and not piece[0].endswith(SENTENCE_END))


def _cut(piece: Piece) -> bool:
    return not piece[0].endswith(TERMINAL) and not _heading(piece)


def _joined(first: Piece, then: Piece) -> Piece:
    """Two pieces as one paragraph, the second's line offsets moved along by where its text now starts."""
    text = join_lines([first[0], then[0]]) if first[0] else then[0]
    shift = len(text) - len(then[0])
    return text, first[1] + [[entry[0] + shift, *entry[1:]] for entry in then[1]], first[2]

