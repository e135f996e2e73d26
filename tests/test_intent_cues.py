"""The intent cues of the language files: each cue that signals one kind reads its examples as that kind."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cityqa import language
from cityqa.corpus.glossary import load_glossary
from cityqa.questions.intents import Kind, classify
from conftest import CORPUS

GLOSSARY = load_glossary(CORPUS)
LABELS = ("New track", "新赛道")  # the item nouns of the corpus the intent table is read with (tests/test_intents.py)


def _intent_cues() -> list[tuple[str, str, dict]]:
    """Every [intents.cues.NAME] of every language file, as (code, name, entry)."""
    found = []
    for code in language.FILES:
        with Path(language.__file__).with_name(f"{code}.toml").open("rb") as handle:
            section = tomllib.load(handle).get("intents", {})
        found += [(code, name, entry) for name, entry in section.get("cues", {}).items()]
    return found


CUES = _intent_cues()
KINDED = [(code, name, entry) for code, name, entry in CUES if entry.get("intent")]


def test_the_intent_cues_are_read_from_both_language_files_and_name_real_kinds():
    assert {code for code, _, _ in KINDED} == set(language.FILES)
    for code, name, entry in KINDED:
        assert entry["intent"] in set(Kind), f"{code}.toml: cue {name!r} names the unknown kind {entry['intent']!r}"


@pytest.mark.parametrize(("code", "name", "entry"), KINDED, ids=[f"{c}:{n}" for c, n, _ in KINDED])
def test_an_intent_cue_s_examples_are_read_as_its_kind(code, name, entry):
    for example in entry["examples"]:
        assert classify(example, GLOSSARY, LABELS).kind == entry["intent"], f"{code}.toml: {name} on {example!r}"
