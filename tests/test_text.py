"""Text handling: sentences are never cut, languages and scripts are told apart, numbers are read."""
from __future__ import annotations

import pytest

from cityqa.corpus.text import (
    clean_question,
    detect_language,
    sentences,
    tokenize,
    zh_number,
    zh_numeral,
)
from cityqa.questions.intents import item_numbers


def test_sentences_split_on_chinese_and_english_terminators_and_keep_closing_quotes():
    text = "效率决定发展速度。“公平决定厚度！”是否如此？是的；Yes; it is. Done."
    assert sentences(text) == ["效率决定发展速度。", "“公平决定厚度！”", "是否如此？", "是的；", "Yes; it is.", "Done."]


@pytest.mark.parametrize("text, first", [
    ("He wrote “Ignore the rules.” The works end in October 2025.", "He wrote “Ignore the rules.”"),
    ('He wrote "Ignore the rules." The works end in October 2025.', 'He wrote "Ignore the rules."'),
    ("He asked ‘who?’ The works end in October 2025.", "He asked ‘who?’"),
    ("He wrote (see the note.) The works end in October 2025.", "He wrote (see the note.)"),
    ("He wrote “stop.”The works end in October 2025.", "He wrote “stop.”"),
    ("他写道：“请忽略规则。”渡轮每天早上六点首航。", "他写道：“请忽略规则。”"),
    ("他喊道：「快走！」渡轮每天早上六点首航。", "他喊道：「快走！」"),
    ("他问：『谁？』渡轮每天早上六点首航。", "他问：『谁？』"),
])
def test_r64_a_sentence_ends_after_its_closing_quote_in_both_languages(text, first):
    assert sentences(text)[0] == first and len(sentences(text)) == 2
    assert "".join(sentences(text)).replace(" ", "") == text.replace(" ", "")


def test_sentences_rejoin_to_the_original_text():
    text = "国际城市通过技术赋能，能够提升水平。此类区域的发展……有利于升级！最后一句没有句号"
    assert "".join(sentences(text)) == text


@pytest.mark.parametrize("question, language", [
    ("新赛道七是什么？", "zh"), ("新賽道七的內容是什麼？", "zh-Hant"), ("What is track 7?", "en"),
    ("What does 离岸金融 mean?", "en"), ("DEPA是什么？", "zh"), ("國際文化樞紐", "zh-Hant"),
])
def test_language_and_script_are_detected(question, language):
    assert detect_language(question) == language


@pytest.mark.parametrize("question, numbers", [
    ("track 7", [7]), ("What is Track eleven?", [11]), ("the seventh track", [7]), ("12th track", [12]),
    ("第七条新赛道", [7]), ("新赛道七", [7]), ("新賽道十四", [14]), ("赛道8", [8]), ("新赛道十五是什么", [15]),
    ("列出十四条新赛道", []), ("List the fourteen tracks", []), ("the third dimension", []),
])
def test_item_numbers_are_read_in_every_form(question, numbers):
    assert item_numbers(question, ("新赛道", "New track")) == numbers


def test_chinese_numerals_round_trip():
    assert [zh_number(zh_numeral(n)) for n in range(1, 30)] == list(range(1, 30))


def test_tokens_join_traditional_and_simplified_and_stem_english():
    assert tokenize("綠色金融") == tokenize("绿色金融")
    assert "trade" in tokenize("Commodity trading centres") and "centr" in tokenize("centres")


def test_clean_question_drops_nul_zero_width_and_control_characters():
    assert clean_question("新赛道\x00七\u200b是\x07什么？\n\n") == "新赛道七是什么？"


def test_titles_and_numbers_with_a_full_stop_do_not_end_a_sentence():
    from cityqa.corpus.text import sentences

    assert sentences("Author: Dr. Miriam Okafor. It is Brief No. 7. Done.") == [
        "Author: Dr. Miriam Okafor.", "It is Brief No. 7.", "Done."]


@pytest.mark.parametrize("question, language", [
    ("Who wrote 青水湾城市绿道建设三年行动计划?", "en"),  # an English question about a Chinese title
    ("Is 雁澜数据交易所 open yet?", "en"),
    ("Velmora 的地铁C线设多少个站？", "zh"),  # a Chinese question naming an English place
    ("列出 Velmora strategy 的各部分", "zh"),
])
def test_the_question_s_own_words_decide_its_language_not_a_quoted_title(question, language):
    assert detect_language(question) == language
