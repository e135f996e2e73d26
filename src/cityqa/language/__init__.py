"""Own the language data: cue patterns, word lists and answer templates, one file per language (繁體 from zh)."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from cityqa.corpus.text import to_traditional

FILES = ("zh", "en")  # one .toml per language in this folder; a cue's patterns join in this order
DERIVED = {"zh-Hant": "zh"}  # a language written from another's data, converted to its script
FRAGMENT = re.compile(r"\{([a-z_]+)\}")


def base(language: str) -> str:
    """The language whose file serves `language` (zh for 简体 and 繁體)."""
    return DERIVED.get(language, language) if language in FILES or language in DERIVED else "zh"


KINDS = ("cues", "words", "templates")  # what a section of a file holds; a name is unique across sections


@cache
def data(code: str) -> dict:
    """One language's file, its sections (one per stage or module) merged into cues, words and templates."""
    with Path(__file__).with_name(f"{code}.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    merged = {"profile": raw.get("profile", {}), "fragments": raw.get("fragments", {})} | {k: {} for k in KINDS}
    for section, tables in raw.items():
        for kind in KINDS:
            for name, value in tables.get(kind, {}).items() if section not in ("profile", "fragments") else ():
                if name in merged[kind]:
                    raise ValueError(f"{code}.toml: {kind[:-1]} {name!r} is defined twice (again in [{section}])")
                merged[kind][name] = value
    return merged


def _pattern(code: str, name: str) -> str | None:
    """One language's pattern for a cue, its {fragment} names filled in; None where it has none."""
    entry = data(code)["cues"].get(name)
    if entry is None:
        return None
    fragments = data(code).get("fragments", {})
    return FRAGMENT.sub(lambda m: fragments.get(m[1], m[0]), entry["pattern"])


@cache
def cue(name: str, code: str | None = None) -> re.Pattern:
    """The compiled cue `name`: one language's pattern, or every language's joined as alternatives."""
    parts = [p for c in ((code,) if code else FILES) if (p := _pattern(c, name)) is not None]
    if not parts:
        raise KeyError(f"no language file has the cue {name!r}")
    flags = re.IGNORECASE if _ignores_case(name) else 0
    return re.compile(parts[0] if len(parts) == 1 else "|".join(f"(?:{p})" for p in parts), flags)


def _ignores_case(name: str) -> bool:
    """Whether any language marks the cue `ignore_case = true`."""
    return any(data(c)["cues"].get(name, {}).get("ignore_case", False) for c in FILES)


@cache
def words(name: str, code: str | None = None) -> frozenset[str]:
    """The word list `name` of one language, or of every language together."""
    return frozenset(w for c in ((code,) if code else FILES) for w in data(c)["words"].get(name, []))


def listed(name: str, code: str) -> tuple[str, ...]:
    """The word list `name` of one language in its file's order."""
    return tuple(data(code)["words"].get(name, []))


def in_script(text: str, language: str) -> str:
    """Text in the asker's script: converted for a language written from another's data (繁體 from 简体)."""
    return to_traditional(text) if DERIVED.get(language) == "zh" else text


def say(name: str, language: str, **values) -> str:
    """The answer template `name` in the asker's language and script, its {fields} filled."""
    return in_script(data(base(language))["templates"][name].format(**values), language)


def frame(name: str, language: str) -> str:
    """The template `name` in the asker's script, unfilled: for values that must stay as the asker wrote them."""
    return in_script(data(base(language))["templates"][name], language)


def spaced(language: str) -> bool:
    """Whether the language puts spaces between words (joins quotes with a space)."""
    return bool(data(base(language)).get("profile", {}).get("spaced", False))


def cues(code: str) -> dict[str, dict]:
    """Every cue entry of one language file (for the tests that check examples against patterns)."""
    return dict(data(code)["cues"])
