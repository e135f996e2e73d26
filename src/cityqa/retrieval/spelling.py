"""Own how a question reaches text in another script: Chinese names spelled in pinyin, English-only documents."""
from __future__ import annotations

import re

from cityqa import language
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import pinyin

HAN_RUN, LATIN_NAME = language.cue("spelling_han_run"), language.cue("spelling_latin_name")
MAX_SPELLED = cutoff("spelling.max_spelled")  # Chinese words one Latin name may spell


def spelling_table(text: str) -> dict[str, list[str]]:
    """Map the pinyin of every two-character Chinese run in a text to the runs ("xingwan" → ["星湾"])."""
    table: dict[str, list[str]] = {}
    for part in sorted({run[i:i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)}):
        table.setdefault(pinyin(part), []).append(part)
    return table


def spelled_names(question: str, table: dict[str, list[str]], text: str = "") -> str:
    """The Chinese words that the question's Latin names spell, space-separated (at most MAX_SPELLED per name): two
    characters from the table, three (青石湾 "Qingshiwan") found in the text through it."""
    return " ".join(w for name in LATIN_NAME.findall(question) for w in (
        table.get(name.lower()) or (spelled_three(name.lower(), table, text) if name[0].isupper() else ())
    )[:MAX_SPELLED])


def spelled_three(name: str, table: dict[str, list[str]], text: str) -> list[str]:
    """The three-character runs of the text a Latin name spells: a spelled pair, then one more character."""
    found = []
    for cut in range(2, len(name) - 1):
        for pair in table.get(name[:cut], ()):
            found += [pair + c for c in set(re.findall(rf"{pair}([\u4e00-\u9fff])", text))
                      if pinyin(c) == name[cut:]]
    return sorted(set(found))


def has_english_only(by_key: dict[str, dict]) -> bool:
    """Tell whether some document has no Chinese version (a Chinese question must reach it in English words)."""
    languages: dict[str, set[str]] = {}
    for key, versions in by_key.items():
        languages.setdefault(key.partition("#")[0], set()).update(versions)
    return any(found == {"en"} for found in languages.values())
