"""Own the place names a text uses beyond the glossary: CC-CEDICT proper nouns that jieba reads as places."""
from __future__ import annotations

import re
from functools import cache

from cityqa.corpus.bilingual import proper_names
from cityqa.corpus.text import named_entities


def places_in(text: str) -> list[tuple[str, str]]:
    """The places a Chinese text names, each with its English name (法国巴黎 → 法国 France, 巴黎 Paris)."""
    proper = proper_names()
    found: list[tuple[str, str]] = []
    for word in named_entities(text, ("ns",)):
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,}", word):
            continue
        for part in [word] if word in proper else _split(word, proper):
            if (part, proper[part]) not in found:
                found.append((part, proper[part]))
    return found


def is_country(english: str) -> bool:
    """Tell whether an English place name is a country's (ISO 3166 names, common and official)."""
    return english.lower() in _countries()


def _split(word: str, proper: dict[str, str]) -> list[str]:
    """A word made only of known proper nouns, split into them (longest first); [] when any part is unknown."""
    parts, start = [], 0
    while start < len(word):
        end = next((e for e in range(len(word), start + 1, -1) if word[start:e] in proper), 0)
        if not end:
            return []
        parts.append(word[start:end])
        start = end
    return parts


@cache
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(name.lower() for country in pycountry.countries
                     for name in (country.name, getattr(country, "common_name", ""),
                                  getattr(country, "official_name", "")) if name)
