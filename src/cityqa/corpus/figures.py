"""Own the figures a text states (years, amounts, counts, shares) as values comparable across zh and en."""
from __future__ import annotations

import re
import unicodedata

from cityqa.corpus.text import EN_NUMBERS, EN_ORDINALS, ZH_NUMERALS, to_simplified

ZH_SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
EN_SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
# a number in digits, then a scale word: 4.8万, 300亿, 30 billion, £750m ("m", "bn", "k" only after a currency sign)
DIGITS = re.compile(r"(?P<sign>[£$€¥]\s?)?(?P<num>\d+(?:\.\d+)?)\s*(?:(?P<zh>万亿|亿|万|千)"
                    r"|(?P<en>trillion|billion|million|thousand)\b|(?P<short>bn|m|k)\b)?", re.IGNORECASE)
NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
WORDS = re.compile(r"[a-z]+")


def states_figures(claim: str, source: str) -> bool:
    """Tell whether a source states every figure of a claim (2030 is not 2035; 300亿 is 30 billion)."""
    stated = _stated(source)
    return all(readings & stated for readings in _claimed(claim))


def _claimed(text: str) -> list[set[float]]:
    """Each figure a claim makes, as the values it may be read as (a scaled amount only as that amount)."""
    text = _normal(text)
    figures = []
    for match in DIGITS.finditer(text):
        number, scale = float(match.group("num")), _scale(match)
        figures.append({_key(number * scale)} if scale != 1 else {_key(number)})
    # numerals of one character are words more often than figures (一体化, 三维): only longer runs count
    figures += [{_key(value)} for run in NUMERALS.findall(text) if len(run) > 1
                if (value := zh_value(run)) is not None]
    return figures


def _stated(text: str) -> set[float]:
    """Every value a source states, in any reading: digits with and without their scale, numerals, number words."""
    text = _normal(text)
    values = set()
    for match in DIGITS.finditer(text):
        number = float(match.group("num"))
        values |= {_key(number), _key(number * _scale(match))}
    values |= {_key(value) for run in NUMERALS.findall(text) if (value := zh_value(run)) is not None}
    for word in WORDS.findall(text.lower()):
        for table in (EN_NUMBERS, EN_ORDINALS):
            if word in table:
                values.add(_key(table.index(word)))
        if word in MONTHS:
            values.add(_key(MONTHS.index(word) + 1))
    return values


def zh_value(run: str) -> float | None:
    """Read Chinese numerals of any size (十四 → 14, 一亿五千万 → 150000000, 二〇三五 → 2035), else None."""
    digits = {**ZH_NUMERALS, "〇": 0}
    if len(run) == 4 and all(ch in digits for ch in run) and any(ch in "〇零" for ch in run):
        return float("".join(str(digits[ch]) for ch in run))  # a year read digit by digit
    total, section, number, last_digit = 0.0, 0.0, None, False
    for ch in run:
        if ch in digits:
            if last_digit:
                return None  # 一二, 五六: a range or a list, not one number
            number, last_digit = digits[ch], True
            continue
        last_digit = False
        if ch in ZH_UNITS:
            section += (1 if number is None else number) * ZH_UNITS[ch]
        elif ch == "万":
            total += (section + (number or 0)) * 1e4 or 1e4
            section = 0.0
        elif ch == "亿":
            total = (total + section + (number or 0)) * 1e8 or 1e8
            section = 0.0
        number = None
    return total + section + (number or 0)


def _scale(match: re.Match) -> float:
    if match.group("zh"):
        return ZH_SCALES[match.group("zh")]
    word = (match.group("en") or (match.group("short") if match.group("sign") else "") or "").lower()
    return EN_SCALES.get(word, 1.0)


def _normal(text: str) -> str:
    """Simplified script, ASCII digits, no thousands separators (48,000 → 48000)."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def _key(value: float) -> float:
    return float(f"{value:.9g}")
