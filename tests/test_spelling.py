"""Chinese names written in pinyin: two-character words from the table, three-character ones through it."""
from __future__ import annotations

import pytest

from cityqa.retrieval.spelling import spelled_names, spelled_three, spelling_table

TEXT = "2024年，青石湾市共完成社区微更新项目127个。雁澜市也在推进。"


def test_a_three_character_name_is_found_through_its_first_two_characters():
    table = spelling_table(TEXT)
    assert spelled_three("qingshiwan", table, TEXT) == ["青石湾"]
    assert spelled_three("qingshiwen", table, TEXT) == []  # a syllable that is not there
    assert spelled_names("How many projects did Qingshiwan and Yanlan complete?", table, TEXT) == "青石湾 雁澜"


def test_ordinary_english_words_spell_nothing():
    table = spelling_table(TEXT)
    assert spelled_names("How many community projects were completed?", table, TEXT) == ""


@pytest.mark.slow
def test_a_question_naming_a_place_in_pinyin_is_answered_from_the_chinese_text(tmp_path):
    from cityqa.app import build_qa
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.md").write_text("---\ntitle: 社区更新年度报告\nlanguage: zh\n---\n\n# 社区更新年度报告\n\n"
                                      f"## 一、总体进展\n\n{TEXT}\n", encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           store="memory", language="en"))
    assert qa.search.unknown_names("How many projects did Qingshiwan complete in 2024?") == []
    assert qa.search.unknown_names("How many projects did Qingshuiwan complete in 2024?") == ["Qingshuiwan"]
    answer = qa.ask("How many micro-renewal projects did Qingshiwan complete in 2024?")
    assert not answer.refused and "127" in answer.answer
