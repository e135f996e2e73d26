"""Own the parts of a numbered item: （一）（二） or 3.1, 3.2 under a heading, and which one a question asks for."""
from __future__ import annotations

import re

from cityqa.answering import listing
from cityqa.answering.context import CorpusContext
from cityqa.answering.structure import gloss_note, item_title
from cityqa.corpus.text import to_traditional, zh_number, zh_numeral
from cityqa.types import Draft

NUMERAL = r"[一二三四五六七八九十\d]{1,3}"
# a sub-heading's own number: （二）公共数据开放, (2) Open data, 3.2 Open data, 2. Open data
PART_HEADING = re.compile(rf"^\s*(?:[（(]({NUMERAL})[)）]|\d+\.(\d+)\.?|(\d+)[.)、])\s*(.+)$")
# the part a question asks for: 第三部分的第（二）项, 第三部分第二项, 三（二）, section 3.2, item 2 of section 3
ASKED_ZH = re.compile(rf"第({NUMERAL})(?:个部分|部分|章|节|条|项)的?第[（(]?({NUMERAL})[)）]?(?:项|小节|条|点|部分)?|"
                      rf"({NUMERAL})[（(]({NUMERAL})[)）]")
ASKED_EN = re.compile(r"\b(?:section|part|chapter|item|pillar)\s+(\d{1,2})\.(\d{1,2})\b|"
                      r"\b(?:sub-?item|sub-?section|part|point|item)\s*\(?(\d{1,2})\)?"
                      r"\s+of\s+(?:the\s+)?(?:section|part|chapter|item|pillar)\s+(\d{1,2})\b", re.IGNORECASE)


def part_number(section: str) -> tuple[int, str] | None:
    """The number and name of the innermost heading of a section path when it is numbered ("（二）公共数据开放")."""
    if " > " not in section:
        return None
    found = PART_HEADING.match(section.rpartition(" > ")[2])
    if not found:
        return None
    number = zh_number(next(g for g in found.groups()[:3] if g))
    return (number, found.group(4).strip()) if number else None


def asked_part(question: str) -> tuple[int, int] | None:
    """(item, part) a question asks for, or None: 第三部分的第（二）项 → (3, 2); "item 2 of section 3" → (3, 2)."""
    found = ASKED_ZH.search(question)
    if found:
        item, part = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
    else:
        found = ASKED_EN.search(question)
        if not found:
            return None
        item, part = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    numbers = zh_number(item), zh_number(part)
    return numbers if all(numbers) else None


def answer_part(corpus: CorpusContext, reading, language: str, doc, item_number: int, number: int) -> Draft:
    """Name part N of item M of a document and quote its sentences best answering the question, or say it has none."""
    item = doc.items.get(item_number)
    if item is None:
        return listing.missing_item(doc, item_number, language)
    parts: dict[int, tuple[dict[str, str], list[str]]] = {}
    for key in item.keys:
        for lang, passages in corpus.search.by_key[key].items():
            found = part_number(passages[0].metadata.get("section", ""))
            if found:
                names, keys = parts.setdefault(found[0], ({}, []))
                names.setdefault(lang, found[1])
                keys.append(key) if key not in keys else None
    base = "en" if language == "en" else "zh"
    heading = item_title(item, doc, language)
    if number not in parts:
        text = (f"{heading} has {len(parts)} numbered parts; there is no part ({number})." if base == "en" else
                f"{heading}共有{len(parts)}项，没有第（{zh_numeral(number)}）项。")
        return Draft([to_traditional(text) if language == "zh-Hant" else text], [], True, 0.0)
    names, keys = parts[number]
    name = names.get(base) or next(iter(names.values()))
    lead = (f"Part ({number}) of {heading[0].lower() + heading[1:]} is “{name}”{gloss_note(name, base)}."
            if base == "en" else f"{heading}的第（{zh_numeral(number)}）项是“{name}”。")
    return corpus.quote_items(reading, language, [(keys, to_traditional(lead) if language == "zh-Hant" else lead)])
