"""The word bridge tells which sentence in the other language states what a question asks; names match by pinyin."""
from __future__ import annotations

from cityqa.answering.answerability import content_words, names_in
from cityqa.answering.structure import kinds_named
from cityqa.corpus.bilingual import coverage, pinyin, weighted_coverage


def test_a_chinese_question_covers_the_english_sentence_that_answers_it():
    question = "港口的从业人员中女性占多少？"
    answer = "Women make up 19% of the port workforce."
    other = "38% of crane operators are over 50."
    assert coverage(question, answer) > coverage(question, other)


def test_an_english_question_covers_the_chinese_sentence_that_answers_it():
    question = "How many subway stations will the new line have?"
    answer = "新建地铁线路设站14座。"
    other = "全市新建公园80个。"
    assert coverage(question, answer) > coverage(question, other)


def test_rare_words_weigh_more_than_the_subject_every_candidate_shares():
    question = "Velmora 的地铁C线设多少个站？"
    sentences = ["Velmora will build 48,000 new homes.", "Metro Line C will have 14 stations.",
                 "Velmora Central station opens a welcome centre."]
    scores = weighted_coverage(question, sentences)
    assert scores.index(max(scores)) == 1


def test_a_latin_name_is_found_as_the_pinyin_of_a_chinese_one():
    assert pinyin("鹤汀市") == "hetingshi"
    assert names_in("鹤汀数据交易中心挂牌一周年", ["Heting"])
    assert not names_in("鹤汀数据交易中心挂牌一周年", ["Quillhaven"])


def test_attribute_words_are_read_whole():
    assert "注册资本" in content_words("鹤汀数据交易中心的注册资本是多少？")
    assert "注册" not in content_words("鹤汀数据交易中心的注册资本是多少？")


def test_questions_name_kinds_of_document():
    assert kinds_named("When was this article published?") == {"article"}
    assert kinds_named("这份规划的作者是谁？") == {"plan"}
    assert kinds_named("Who wrote it?") == set()
