"""Own how a question reaches text in another script: Chinese names spelled in pinyin, English-only documents."""
from __future__ import annotations

import re

from cityqa.corpus.bilingual import pinyin


def spelling_table(text: str) -> dict[str, list[str]]:
    """Map the pinyin of every two-character Chinese run in a text to the runs ("xingwan" → ["星湾"])."""
    table: dict[str, list[str]] = {}
    for part in sorted({run[i:i + 2] for run in re.findall(r"[\u4e00-\u9fff]{2,}", text) for i in range(len(run) - 1)}):
        table.setdefault(pinyin(part), []).append(part)
    return table


def spelled_names(question: str, table: dict[str, list[str]]) -> str:
    """The Chinese words that the question's Latin names spell, space-separated (at most three per name)."""
    return " ".join(w for name in re.findall(r"[A-Za-z]{4,}", question) for w in table.get(name.lower(), ())[:3])


def has_english_only(by_key: dict[str, dict]) -> bool:
    """Tell whether some document has no Chinese version (a Chinese question must reach it in English words)."""
    languages: dict[str, set[str]] = {}
    for key, versions in by_key.items():
        languages.setdefault(key.partition("#")[0], set()).update(versions)
    return any(found == {"en"} for found in languages.values())
