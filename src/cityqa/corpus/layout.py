"""Own the structure of plain-text layouts (PDF pages, .txt): paragraphs, running headers, numbered headings."""
from __future__ import annotations

import re
from collections import Counter

from cityqa.corpus.profiles import HEADING_ITEM, heading_item

Block = tuple[int, str, tuple[str, ...]]
TERMINAL = tuple(".!?。！？;；:：…”\"」』)）")
CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
WIDE = r"[\u3000-\u303f\uff01-\uff60]"  # Chinese punctuation and full-width forms (not “ ” —: English has them)
MAX_HEADING_CHARS = 80


def page_lines(text: str) -> list[str]:
    """One page's lines, trimmed, with layout padding collapsed (a blank line is kept as "")."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\u3000]{2,}", " ", line.strip())
        lines.append(re.sub(rf"(?<={CJK}) (?={CJK})", "", line))
    return lines


def running_lines(pages: list[list[str]]) -> set[str]:
    """Header and footer lines repeated on most pages (page numbers ignored)."""
    if len(pages) < 2:
        return set()
    seen = Counter()
    for lines in pages:
        filled = [line for line in lines if line]
        seen.update({_shape(line) for line in filled[:3] + filled[-3:]})
    return {shape for shape, n in seen.items() if n >= max(2, len(pages) * 0.6)}


def pdf_blocks(pages_text: list[str]) -> list[Block]:
    """Paragraph blocks of a PDF's pages: running lines dropped, paragraphs joined across page breaks."""
    pages = [page_lines(text) for text in pages_text]
    running = running_lines(pages)
    merged: list[str] = []
    for lines in pages:
        paragraphs = text_page_paragraphs(lines, running)
        # a paragraph cut by the page break goes on at the top of the next page
        if merged and paragraphs and _cut(merged[-1]) and not is_heading(paragraphs[0]):
            merged[-1] = join_lines([merged[-1], paragraphs.pop(0)])
        merged += paragraphs
    return with_headings(merged)


def text_page_paragraphs(lines: list[str], running: set[str]) -> list[str]:
    """One text page's paragraphs (blank-line separated), running lines and bare page numbers left out."""
    paragraphs, current = [], []
    for line in lines + [""]:
        kept = line and _shape(line) not in running and not is_page_number(line)
        if kept and is_heading(line) and (not current or current[-1].endswith(TERMINAL)):
            paragraphs += [join_lines(current)] if current else []  # a numbered line of its own heads a section,
            paragraphs.append(line)  # with no blank line around it ("2. Ferries" then its text)
            current = []
        elif kept:
            current.append(line)
        elif current:
            paragraphs.append(join_lines(current))
            current = []
    return paragraphs


def is_page_number(line: str) -> bool:
    """A line that is only a page number ("12", "- 3 -", "— 4 —", "第 5 页", "Page 6"), never a year ("2025")."""
    match = re.fullmatch(r"[-–—\s]*(第\s*)?(page\s*)?(\d{1,4})(\s*页)?(?:\s*/\s*\d{1,4})?[-–—\s]*",
                         line.strip(), re.IGNORECASE)
    # a bare four-digit number reads as a year (a wrapped title's last line), not as page 1000 and over
    return bool(match) and (len(match.group(3)) < 4 or any(match.group(i) for i in (1, 2, 4)))


def text_blocks(text: str) -> list[Block]:
    """Paragraph blocks of plain text split on blank lines, a numbered heading line starting a section."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and is_heading(lines[0]):
            paragraphs += [lines[0], "\n".join(lines[1:])]
        elif lines:
            paragraphs.append("\n".join(lines))
    return with_headings(paragraphs, offsets_in=text)


def with_headings(paragraphs: list[str], offsets_in: str | None = None, large: set[int] = frozenset()
                  ) -> list[Block]:
    """Turn heading paragraphs (numbered, or set in large type) into section paths; first style seen is outer."""
    styles: list[int] = []
    path: list[tuple[int, str]] = []
    blocks, offset, cursor = [], 0, 0
    for number, text in enumerate(paragraphs):
        if offsets_in is not None:
            found = offsets_in.find(text.split("\n")[0], cursor)
            offset = found if found >= 0 else cursor
            cursor = offset + len(text.split("\n")[0])
        style = heading_style(text)
        if style is None and number in large:  # large type without a number: a heading style of its own
            style = -1
        if style is not None:
            if style not in styles:
                styles.append(style)
            level = styles.index(style)
            path = [(lv, t) for lv, t in path if lv < level] + [(level, text)]
        else:
            blocks.append((offset, text, tuple(t for _, t in path)))
        if offsets_in is None:
            offset += len(text) + 2
    return blocks


def is_heading(text: str) -> bool:
    """A short single line that numbers a section ("3. Transport", "二、绿色金融", "（一）数据交易场所")."""
    return heading_style(text) is not None


def heading_style(text: str) -> int | None:
    """Which numbered-heading pattern a line follows (None when it is not a heading)."""
    item = None if "\n" in text or len(text) > MAX_HEADING_CHARS else heading_item(text)
    if item is None or text.endswith(TERMINAL[:8]) or re.search(r"[。，；]|[.;,]\s+\S", item.name):
        return None  # a numbered sentence is not a heading
    return next(i for i, pattern in enumerate(HEADING_ITEM) if pattern.match(text.strip()))


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space between CJK characters, one space between words."""
    text = lines[0]
    for line in lines[1:]:
        if re.search(rf"(?:{CJK}|{WIDE})$", text) or re.match(rf"{CJK}|{WIDE}", line):
            text += line  # Chinese takes no space at a line break, beside a number or Latin word either
        elif text.endswith("-") and re.match(r"[a-z]", line):
            text += line
        else:
            text += " " + line
    return text


def _cut(paragraph: str) -> bool:
    return not paragraph.endswith(TERMINAL) and not is_heading(paragraph)


def shape(line: str) -> str:
    """A line with its digits masked, so "Page 3" and "Page 4" repeat as one running line."""
    return _shape(line)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())
