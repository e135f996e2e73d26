"""Own English word spacing in recognised text: PP-OCR glues words ("costofelectricity"); split them back."""
from __future__ import annotations

import math
import re
from functools import lru_cache

# a recognised run of letters is split where known words explain it more cheaply than one unknown word does:
# a word costs log(rank · log N) (Zipf, wordninja's English Wikipedia list), an unknown chunk BASE + PER_CHAR · len
BASE, PER_CHAR, BOUNDARY, SHORT = 4.0, 2.6, 1.0, 8.0  # tuned on the SASS article's English, words glued
SHORT_WORDS = frozenset("a of to in on at by is it as an or be we us no so up do if he me my".split())
COMMON = 7.5  # a name is split only from words this frequent ("Velmorawill"), never from "mouth" (a compound)
MIN_GLUED = 6  # shorter runs are words or names far more often than two glued words
# from an engine that keeps word spaces, a shorter run without a capital inside is a word as read ("Corran", never
# "Corr an"); what such an engine glues runs long ("Fictionaltextfortestingonly") or joins capitals ("GreenGrowth")
MIN_GLUED_SPACED = 10
RUN = re.compile(r"[A-Za-z]+")
CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
DIGITS_THEN_WORD = re.compile(r"(?<=\d)(?=[a-z]{3,})|(?<=[a-z]{3})(?=\d)|(?<=[a-z]{2})(?=[A-Z][a-z])")


def spaced(line) -> str:
    """A recognised line's text with English word spaces restored."""
    return restore_spaces(line.text)


def respaced(text: str, large: bool) -> str:
    """A line from an engine that keeps word spaces, restored only where it drops them: large type ("GreenGrowth"
    in a title) and English inside a Chinese line ("仅供测试/Fictionaltextfortestingonly")."""
    return restore_spaces(text, MIN_GLUED_SPACED) if large or CJK_CHAR.search(text) else text


def restore_spaces(text: str, min_glued: int = MIN_GLUED) -> str:
    """Put back the spaces between glued English words and between a word and a number ("was178" → "was 178")."""
    if not re.search(r"[a-z]{3}", text):
        return text
    text = DIGITS_THEN_WORD.sub(" ", text)
    return RUN.sub(lambda m: " ".join(split_run(m.group(0), min_glued)), text)


def split_run(run: str, min_glued: int = MIN_GLUED) -> list[str]:
    """The cheapest reading of a run of letters as known words and unknown chunks (the run itself if whole)."""
    lower = run.lower()
    costs = _costs()
    if len(run) < min_glued or lower in costs or run.isupper():
        return [run]
    best: list[tuple[float, int]] = [(0.0, 0)]  # best[i]: cost of lower[:i], where its last piece starts
    for end in range(1, len(lower) + 1):
        options = []
        for start in range(max(0, end - 24), end):
            piece = lower[start:end]
            cost = costs.get(piece)
            if cost is None:  # an unknown piece: the whole run, or a name ("Velmorawill" → "Velmora will")
                whole = start == 0 and end == len(lower)
                cost = BASE + PER_CHAR * len(piece) if whole or _name(run[start:end]) else math.inf
            elif len(piece) <= 2 and piece not in SHORT_WORDS:
                cost += SHORT
            options.append((best[start][0] + cost + BOUNDARY, start))
        best.append(min(options))
    pieces, end = [], len(run)
    while end > 0:
        start = best[end][1]
        pieces.append(run[start:end])
        end = start
    pieces.reverse()
    named = len(pieces) > 1 and any(p.lower() not in costs for p in pieces)
    if named and any(costs.get(p.lower(), 0.0) >= COMMON for p in pieces):
        return [run]
    return pieces


def _name(piece: str) -> bool:
    return len(piece) >= 5 and piece[0].isupper() and piece[1:].islower()


@lru_cache(maxsize=1)
def _costs() -> dict[str, float]:
    import wordninja

    words = wordninja.DEFAULT_LANGUAGE_MODEL._wordcost  # the package's own ranked list, loaded once
    return dict(words)
