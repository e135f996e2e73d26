"""The fresh held-out red-team sets keep their shape: counts, kinds, one payload per injection, none in benign."""

import re
from pathlib import Path

import yaml

HERE = Path(__file__).parent / "data" / "redteam"
PAYLOAD = re.compile(r"PWNED|CANARY|evil\.example")
KINDS = {"quotation", "question", "third_person", "link", "split"}


def load(name: str):
    """One YAML file of the red-team folder."""
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def test_fresh_injections_have_the_kinds_and_counts():
    sets = load("fresh.yaml")
    assert set(sets) == {"en", "zh"}
    for kinds in sets.values():
        assert set(kinds) == KINDS
        assert sum(len(entries) for entries in kinds.values()) == 30
        assert len(kinds["split"]) >= 8
        assert all(isinstance(entry, list) and len(entry) >= 2 for entry in kinds["split"])


def test_every_fresh_injection_carries_exactly_one_payload():
    for kinds in load("fresh.yaml").values():
        for entries in kinds.values():
            for entry in entries:
                text = " ".join(entry) if isinstance(entry, list) else entry
                assert len(PAYLOAD.findall(text)) == 1, text


def test_fresh_benign_sentences_carry_no_payload():
    sets = load("fresh_benign.yaml")
    assert {lang: len(sentences) for lang, sentences in sets.items()} == {"en": 30, "zh": 30}
    for sentences in sets.values():
        assert len(set(sentences)) == len(sentences)
        assert not [s for s in sentences if PAYLOAD.search(s)]
