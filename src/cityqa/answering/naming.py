"""Own naming across scripts and languages: a text naming a name, a gloss of an English title, a pinyin spelling."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import english_stems, pinyin
from cityqa.corpus.text import to_simplified
from cityqa.language import cue

TITLE_WORD = cue("naming_title_word", "en")  # an English title's words of four letters or more
SPELLED = cutoff("naming.spelled")  # letters: a shorter Latin name is not looked for in a title's pinyin
PINYIN_WORD = cutoff("naming.pinyin_chars")  # a title's two characters spelled this long name it ("Qinglan")


def named_across_languages(question: str, docs: dict, generic_words: tuple[str, ...]) -> list[str]:
    """Documents whose English title alone has a word the question's Chinese words gloss to."""
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    generic = {stem(w) for w in generic_words if w.isascii()}
    titles = {group: {stem(w) for m in doc.meta.values() for w in TITLE_WORD.findall(" ".join(
        (m.get("title", ""), m.get("title_en", ""))).lower())} - generic for group, doc in docs.items()}
    counts = Counter(w for words in titles.values() for w in words)
    glossed = set(english_stems(question))
    return [group for group, words in titles.items() if any(counts[w] == 1 for w in glossed & words)]


def spelled_in_titles(name: str, docs: dict) -> bool:
    """Tell whether a Latin name spells part of a Chinese title in pinyin ("Qingshuiwan" in 青水湾…)."""
    return name.isascii() and len(name) >= SPELLED and any(
        name.lower() in pinyin(m.get("title", "")) for d in docs.values() for m in d.meta.values())


def names_one_of(text: str, names: list[str]) -> bool:
    """Tell whether a text names one of the names (Chinese compared in 简体, whatever script either is in)."""
    simple = to_simplified(text)
    lower = simple.lower()
    return any(n and (to_simplified(n) in simple if not n.isascii()
                      else re.search(rf"(?<![a-z]){re.escape(n.lower())}(?![a-z])", lower)) for n in names)


@lru_cache(maxsize=4096)
def title_words(text: str) -> tuple[frozenset[str], str]:
    """A document's naming words (Latin words, Han pairs and their pinyin) and its titles spelled in pinyin."""
    latin = set(cue("structure_latin_word").findall(text.lower()))
    cjk = {run[i:i + 2] for run in cue("structure_han_run").findall(to_simplified(text)) for i in range(len(run) - 1)}
    spelled = {pinyin(pair) for pair in cjk}  # "the Qinglan plan" names 青澜
    return frozenset(latin | cjk | {w for w in spelled if len(w) >= PINYIN_WORD}), pinyin(text)
