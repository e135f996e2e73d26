"""Own the line naming where a text appeared: the publication, and the volume, issue and page it gives."""
from __future__ import annotations

import re

DETAIL = r"(?:Vol(?:ume)?\.?|Issue|No\.?|Number|pp?\.)\s*\d+(?:\s*[–-]\s*\d+)?"
# a labelled line ("刊载：《鹤汀日报》2024年11月13日第3版", "本文原载《城市观察》2024年第3期",
# "Published in: The Harbour Times"); after 《…》 only a date and issue, page or volume numbers may follow,
# so a sentence that starts so ("发表于《…》的文章指出，…") is no such line
LABELLED = re.compile(r"^\s*(?:(?:Published in|Appeared in|First published in)\s*[:：]"
                      r"|(?:本文|原文|此文)?(?:首发于|刊载于|刊登于|刊载|刊于|原载于|原载|载于|发表于))\s*[:：]?"
                      r"\s*(?:《(?P<title>[^》]{2,60})》(?P<tail>[\d\s年月日第期版卷总号,，、.。()（）/-]*)"
                      r"|[“\"]?(?P<plain>[^《》，。；;]{2,60}?)[”\"]?"
                      rf"(?P<details>(?:,?\s*{DETAIL})*)\s*[。.]?)\s*$", re.IGNORECASE)
# a plain line ("Published in the Harbour Economic Review, Issue 14.", "This brief first appeared in Harbour
# Quarterly, Vol. 3, No. 2."): a capitalised name, never a year, month, season or language, and nothing after it
# but volume, issue and page numbers, so "The plan was published in 2024 after …" is body text
WORD = r"[A-Z][\w'’&.\-]*"
NOT_A_NAME = (r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|"
              r"Spring|Summer|Autumn|Fall|Winter|English|Chinese|French|German|Spanish|Japanese|Korean|Russian|"
              r"Arabic|Portuguese|Italian|Dutch|Print|Full|Part|Response|Cooperation|Partnership)\b)")
PLAIN = re.compile(rf"^\s*(?:(?:This|The) (?:article|brief|report|paper|note|essay|piece|text|study) (?:was )?)?"
                   rf"(?:[Ff]irst )?(?:[Pp]ublished|[Aa]ppeared) in\s+(?P<the>the\s+)?{NOT_A_NAME}"
                   rf"(?P<name>{WORD}(?:\s+(?:(?:of|and|for|on|in|the|&)\s+)*{WORD})*)"
                   rf"(?P<details>(?:,?\s+{DETAIL})*)\s*\.?\s*$")
NUMBERS = {"volume": [r"Vol(?:ume)?\.?\s*(\d+)", r"(\d+)\s*卷"], "issue": [r"(?:Issue|No\.?|Number)\s*(\d+)",
                                                                       r"第\s*(\d+)\s*期"],
           "page": [r"pp?\.\s*(\d+(?:\s*[–-]\s*\d+)?)", r"第?\s*(\d+)\s*版"]}


def carrier(line: str) -> dict:
    """The publication a line says the text appeared in, with its volume, issue and page ({} for any other line)."""
    labelled = LABELLED.match(line)
    if labelled:
        name = labelled.group("title") or labelled.group("plain")
        return {"publication": name.strip(), **_numbers(labelled.group("tail") or labelled.group("details") or "")}
    plain = PLAIN.match(line)
    if plain and (plain.group("the") or " " in plain.group("name") or plain.group("details")):
        return {"publication": plain.group("name").rstrip("."), **_numbers(plain.group("details"))}
    return {}


def _numbers(details: str) -> dict:
    """Volume, issue and page numbers a publication line gives after the name."""
    found = {}
    for field, patterns in NUMBERS.items():
        match = next((m for pattern in patterns if (m := re.search(pattern, details, re.IGNORECASE))), None)
        if match:
            found[field] = re.sub(r"\s+", "", match.group(1))
    return found
