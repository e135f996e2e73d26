"""Own document profiles: numbered items read from each document's headings, and its citable metadata."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cityqa.corpus.text import EN_NUMBERS, EN_ORDINALS, sentences, zh_number

NUMBER = r"[一二三四五六七八九十两]{1,3}|\d{1,2}"
EN_WORD = "|".join(sorted(EN_NUMBERS[1:] + EN_ORDINALS[1:], key=len, reverse=True))
# label + number + separator + name: 路径一：X · 第三章 X · 一、X · （二）X · 1. X · Pillar 4: X · Chapter 3 – X
HEADING_ITEM = [
    re.compile(rf"^(?P<label>第)(?P<num>{NUMBER})(?P<unit>[章节部分条篇项])\s*[：:、.．\s]\s*(?P<name>.+)$"),
    re.compile(rf"^[（(](?P<num>{NUMBER})[）)]\s*(?P<name>.+)$"),
    re.compile(rf"^(?P<num>{NUMBER})\s*[、.．]\s*(?P<name>\D.*)$"),
    re.compile(rf"^(?P<label>[\u4e00-\u9fff]{{1,6}}?)(?P<num>{NUMBER})\s*[：:]\s*(?P<name>.+)$"),
    re.compile(rf"^(?P<label>[A-Za-z][A-Za-z ]{{0,20}}?)\s+(?P<num>\d{{1,2}}|{EN_WORD})\s*[:.\-–—]\s*(?P<name>.+)$",
               re.IGNORECASE),
]
# index keys a document's own metadata may not overwrite; its "source" (where the text comes from) becomes "origin"
RESERVED = {"doc_id", "group", "language", "kind", "file_hash", "section", "section_id", "paragraph_id",
            "paragraph_key", "index", "start", "end", "instruction_like", "item", "item_label", "item_name",
            "place", "low_confidence"}
RENAMED = {"source": "origin"}
META_FIELDS = ("title", "title_en", "publisher", "date", "publication", "summary", "url", "doc_type")


@dataclass(frozen=True)
class HeadingItem:
    """A numbered heading: its label (路径, Chapter, 第…章 or ""), number and name."""

    label: str
    number: int
    name: str


def heading_item(heading: str) -> HeadingItem | None:
    """Read a numbered heading such as "路径五：绿色金融", "二、绿色金融改革" or "3. Transport"."""
    text = heading.strip()
    for pattern in HEADING_ITEM:
        match = pattern.match(text)
        if not match:
            continue
        number = read_number(match.group("num"))
        if not number:
            continue
        groups = match.groupdict()
        label = (groups.get("label") or "") + (groups.get("unit") or "")
        if label == "第" or label.strip().lower() in ("in", "on", "at", "by", "of"):
            label = ""
        return HeadingItem(label.strip(), number, match.group("name").strip().strip("“”\""))
    return None


def read_number(word: str) -> int | None:
    """Read 1–99 in digits, Chinese numerals or English words (seven, seventh)."""
    word = word.lower()
    if word in EN_NUMBERS:
        return EN_NUMBERS.index(word)
    if word in EN_ORDINALS:
        return EN_ORDINALS.index(word)
    return zh_number(word)


def item_series(paths: list[tuple[str, ...]]) -> int:
    """Choose the heading depth whose numbered headings form the document's item list (0: none)."""
    counts: dict[int, set[int]] = {}
    for path in paths:
        for depth, heading in enumerate(path, 1):
            item = heading_item(heading)
            if item:
                counts.setdefault(depth, set()).add(item.number)
    usable = [depth for depth, numbers in sorted(counts.items()) if len(numbers) >= 2]
    return usable[0] if usable else 0


def item_of(path: tuple[str, ...], depth: int) -> HeadingItem | None:
    """The numbered item a paragraph belongs to, at the document's item depth."""
    if not depth or len(path) < depth:
        return None
    return heading_item(path[depth - 1])


def citable_meta(meta: dict) -> dict:
    """Flatten front matter or file properties into index metadata: scalars as strings, authors joined."""
    authors = [a for a in meta.get("authors") or [] if isinstance(a, dict | str)]
    names = [a if isinstance(a, str) else str(a.get("name", "")) for a in authors]
    names_en = [a if isinstance(a, str) else str(a.get("name_en") or a.get("name", "")) for a in authors]
    roles = [("" if isinstance(a, str) else str(a.get("role", ""))) for a in authors]
    flat = {RENAMED.get(key, key): str(value) for key, value in meta.items()
            if isinstance(value, str | int | float | date) and not isinstance(value, bool) and key not in RESERVED}
    flat.update({"authors": "、".join(n for n in names if n), "authors_en": ", ".join(n for n in names_en if n),
                 "author_roles": "\n".join(f"{n}: {r}" for n, r in zip(names, roles) if r)})
    for key in META_FIELDS:
        flat.setdefault(key, "")
    flat["date"] = flat["date"][:10] if re.match(r"\d{4}-\d{2}-\d{2}", flat["date"]) else flat["date"]  # ISO: the day
    return flat


def derived_summary(paragraphs: list[str]) -> str:
    """A one-line summary when the document gives none: its first sentence of some length."""
    for text in paragraphs:
        for sentence in sentences(text):
            if len(sentence) >= 20:
                return sentence[:300]
    return ""


MAX_TITLE_CHARS = 80  # a headline; a title printed over two or three lines may run to LONG_TITLE_CHARS
LONG_TITLE_CHARS = 200
SENTENCE_BREAK = re.compile(r"[。！？]|[.!?]\s+[A-Z]")  # "Containers. The port" (but "Brief No. 7: …" is one title)


def derived_title(paragraphs) -> str:
    """A title when the file gives none: a first line that is not a sentence (a headline, a title set over lines)."""
    first = paragraphs[0].text.strip() if paragraphs else ""
    if not first or "\n" in first or first.endswith(("。", ".", "！", "？")):
        return ""
    return first if len(first) <= MAX_TITLE_CHARS or (
        len(first) <= LONG_TITLE_CHARS and not SENTENCE_BREAK.search(first)) else ""
