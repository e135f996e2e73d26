"""The language files: every cue matches its examples and none of its counter-examples; templates agree."""
from __future__ import annotations

import string

import pytest

from cityqa import language
from cityqa.calibration import cutoff

CUES = [(code, name) for code in language.FILES for name in language.cues(code)]


@pytest.mark.parametrize(("code", "name"), CUES)
def test_a_cue_matches_its_examples_and_not_its_counter_examples(code, name):
    entry = language.cues(code)[name]
    pattern = language.cue(name, code)
    assert entry.get("examples"), f"{code}.toml: cue {name!r} has no examples"
    for example in entry["examples"]:
        assert pattern.search(example), f"{code}.toml: cue {name!r} does not match {example!r}"
    for example in entry.get("not_examples", []):
        assert not pattern.search(example), f"{code}.toml: cue {name!r} matches {example!r}"


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_template_is_in_every_language_with_the_same_fields():
    names = {code: language.data(code)["templates"] for code in language.FILES}
    for code, templates in names.items():
        for name, text in templates.items():
            for other in language.FILES:
                assert name in names[other], f"template {name!r} is in {code}.toml, not in {other}.toml"
                assert _fields(names[other][name]) == _fields(text), f"template {name!r}: fields differ"


def test_a_traditional_chinese_answer_is_written_from_the_chinese_file():
    assert language.base("zh-Hant") == "zh" and language.base("en") == "en"
    assert not language.spaced("zh-Hant") and language.spaced("en")


def test_a_name_defined_twice_in_one_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "xx.toml").write_text("[a.words]\nstop = ['x']\n[b.words]\nstop = ['y']\n", encoding="utf-8")
    monkeypatch.setattr(language, "__file__", str(tmp_path / "__init__.py"))
    language.data.cache_clear()
    try:
        with pytest.raises(ValueError, match="defined twice"):
            language.data("xx")
    finally:
        language.data.cache_clear()


def test_an_unknown_cut_off_is_named_in_the_error():
    with pytest.raises(KeyError, match="nothing.here"):
        cutoff("nothing.here")
