"""Own the print conventions OCR loses: full-width marks in Chinese, a dash read as 一, a currency sign's space."""
from __future__ import annotations

import re

CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# (pattern, replacement) tried in order on each recognised line; each keeps what the page shows, as printed
LINE_FIXES = [
    (re.compile(r"(?<=\d)一(?=\d)"), "—"),  # a dash between numbers ("2025—2029") is read as the numeral 一
    (re.compile(r"([£$€¥￥])\s+(?=\d)"), r"\1"),  # "£ 3.1 million": a currency sign stands against its amount
]
FULL_WIDTH = {":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}
BETWEEN_CJK = re.compile(rf"(?<={CJK})([:;,?!])(?={CJK})")  # a half-width mark between Chinese characters
BRACKETS = re.compile(r"\(([^()（）]*)\)")


def fixed_line(text: str) -> str:
    """One recognised line as printed: the dash between numbers, currency signs, marks between Chinese."""
    for pattern, replacement in LINE_FIXES:
        text = pattern.sub(replacement, text)
    return BETWEEN_CJK.sub(lambda m: FULL_WIDTH[m.group(1)], text)


def fixed_brackets(text: str) -> str:
    """Brackets around Chinese text full-width as Chinese print sets them ("（一）"), one character for one."""
    return BRACKETS.sub(lambda m: f"（{m.group(1)}）" if re.search(CJK, m.group(1)) else m.group(0), text)
