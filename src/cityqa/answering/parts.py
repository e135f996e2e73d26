"""Own the parts of a numbered item: （一）（二） or 3.1, 3.2 under a heading, and which one a question asks for."""
from __future__ import annotations

import re

from cityqa.answering import listing
from cityqa.answering.context import CorpusContext
from cityqa.answering.structure import gloss_note, item_title
from cityqa.corpus.text import zh_number
from cityqa.language import base, cue, listed, say
from cityqa.types import Draft

NUMERAL = r"[一二三四五六七八九十\d]{1,3}"
# a sub-heading's own number: （二）公共数据开放, (2) Open data, 3.2 Open data, 2. Open data
PART_HEADING = re.compile(rf"^\s*(?:[（(]({NUMERAL})[)）]|\d+\.(\d+)\.?|(\d+)[.)、])\s*(.+)$")
# the part a question asks for: 第三部分的第（二）项, 第三部分第二项, 三（二）, section 3.2, item 2 of section 3
ASKED_ZH, ASKED_EN = cue("parts_asked", "zh"), cue("parts_asked", "en")


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
    code = base(language)
    heading = item_title(item, doc, language)
    if number not in parts:
        text = say("parts_missing", language, heading=heading, count=len(parts), number=listing.numeral(number, code))
        return Draft([text], [], True, 0.0)
    names, keys = parts[number]
    name = names.get(code) or next(iter(names.values()))
    within = heading[0].lower() + heading[1:] if listed("lowered_mid_sentence", code) else heading
    lead = say("parts_named", language, heading=within, number=listing.numeral(number, code), part=name,
               gloss=gloss_note(name, code))
    return corpus.quote_items(reading, language, [(keys, lead)])
