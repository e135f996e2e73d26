"""Smaller findings of the newsroom trial: natural example questions, 繁體 source titles, only clear word glosses."""
from __future__ import annotations

import pytest

from cityqa.present import example_questions


def test_examples_for_a_document_whose_first_heading_is_its_title_ask_about_its_other_sections():
    doc = {"title": "霁川市数字经济发展规划（2025—2027年）",
           "sections": ["霁川市数字经济发展规划（2025—2027年）", "一、总体目标", "二、重点任务"]}
    english = example_questions([doc], "en")
    assert all(q.count("霁川市") <= 1 for q in english), english
    assert "What does the section “一、总体目标” say?" in english
    assert not any("say about 霁川" in q or "say about 一" in q for q in english)
    chinese = example_questions([doc], "zh")
    assert all(q.count("霁川市") <= 1 for q in chinese)
    assert "《霁川市数字经济发展规划（2025—2027年）》中“一、总体目标”部分讲了什么？" in chinese


def test_an_english_section_reads_as_a_topic_of_the_question():
    doc = {"title": "The Brightwater Ferry Plan", "sections": ["The Brightwater Ferry Plan", "Night ferries"]}
    assert "What does “The Brightwater Ferry Plan” say about night ferries?" in example_questions([doc], "en")


def test_a_traditional_answer_titles_its_sources_in_traditional(tiny_qa):
    answer = tiny_qa.ask("潮汐公園保護盧門免受什麼侵襲？")
    assert answer.language == "zh-Hant" and answer.citations
    assert answer.citations[0].title == "盧門港口規劃" and "卢" not in answer.citations[0].section
    assert tiny_qa.ask("潮汐公园保护卢门免受什么侵袭？").citations[0].title == "卢门港口规划"


@pytest.mark.parametrize("name, shown", [("重点任务", ""), ("绿色金融改革", ""), ("数据安全", "data · safe")])
def test_a_heading_is_glossed_word_by_word_only_where_every_word_has_one_clear_sense(name, shown):
    from cityqa.answering.structure import gloss_note

    assert gloss_note(name, "en") == (f" (word by word: {shown})" if shown else "")
    assert gloss_note(name, "zh") == ""
