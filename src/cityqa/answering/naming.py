"""Own naming a document across scripts and languages: a gloss of its English title, a pinyin spelling of its title."""
from __future__ import annotations

import re
from collections import Counter

from cityqa.corpus.bilingual import english_stems, pinyin


def named_across_languages(question: str, docs: dict, generic_words: tuple[str, ...]) -> list[str]:
    """Documents whose English title alone has a word the question's Chinese words gloss to."""
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    generic = {stem(w) for w in generic_words if w.isascii()}
    titles = {group: {stem(w) for m in doc.meta.values() for w in re.findall(r"[a-z]{4,}", " ".join(
        (m.get("title", ""), m.get("title_en", ""))).lower())} - generic for group, doc in docs.items()}
    counts = Counter(w for words in titles.values() for w in words)
    glossed = set(english_stems(question))
    return [group for group, words in titles.items() if any(counts[w] == 1 for w in glossed & words)]


def spelled_in_titles(name: str, docs: dict) -> bool:
    """Tell whether a Latin name spells part of a Chinese title in pinyin ("Qingshuiwan" in 青水湾…)."""
    return name.isascii() and len(name) >= 4 and any(
        name.lower() in pinyin(m.get("title", "")) for d in docs.values() for m in d.meta.values())
