"""A conversation as users hold it: a new question is answered as if asked first, a follow-up uses its history."""
from __future__ import annotations

import json

import pytest

from conftest import CORPUS

CASES = [json.loads(line) for line in (CORPUS.parent / "eval" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
DEV = [c for c in CASES if c.get("split") == "dev" and not c.get("history")]
EARLIER = [  # a turn of every kind: an item, a list, a refusal, authors, a mention
    ("新赛道五是什么？哪些城市有实践？", "新赛道五是“绿色金融高地”。"), ("List the fourteen new tracks.", "…"),
    ("Tell me about track 15.", "There is no track 15."), ("谁是这篇文章的作者？", "苏宁、屠启宇、冯佳敏。"),
    ("Does the report mention Paris?", "Yes."),
]


def test_every_standalone_dev_question_is_answered_as_if_asked_first(e5_qa):
    changed = []
    for i, case in enumerate(DEV):
        question, reply = EARLIER[i % len(EARLIER)]
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": reply}]
        alone, after = e5_qa.ask(case["question"]), e5_qa.ask(case["question"], history)
        if (alone.answer, alone.refused) != (after.answer, after.refused) or after.understood_as:
            changed.append(case["question"])
    assert changed == [], f"{len(changed)} of {len(DEV)} read as follow-ups"


@pytest.mark.parametrize("first, follow_up, expected", [
    ("Which tracks involve finance?", "Which cities are examples?", ["London", "New York", "Singapore"]),
    ("新赛道十是什么？", "有哪些城市在这方面做了探索？", ["悉尼"]),
    ("List the fourteen new tracks.", "What about the second one?", ["Land allocation"]),
])
def test_a_dependent_question_is_rewritten_with_its_history_and_says_so(e5_qa, first, follow_up, expected):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": e5_qa.ask(first).answer}]
    answer = e5_qa.ask(follow_up, history)
    assert answer.understood_as.startswith(follow_up) and not answer.refused
    assert any(word in answer.answer for word in expected)


@pytest.mark.parametrize("first, follow_up, paragraph, expected", [
    ("Does the report mention Copenhagen?", "Which other project does the same paragraph name?", "track14.1",
     "Northern Virginia"),
    ("报告提到悉尼了吗？", "同一段还提到了哪个城市？", "track10.1", "旧金山湾区"),
    ("What is track 9?", "What else does that paragraph say about Singapore?", "track09.1", "Renaissance City"),
])
def test_the_same_paragraph_means_the_one_the_prior_answer_led_with(e5_qa, first, follow_up, paragraph, expected):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": e5_qa.ask(first).answer}]
    answer = e5_qa.ask(follow_up, history)
    assert answer.understood_as.startswith(follow_up) and not answer.refused
    assert {c.paragraph_id for c in answer.citations} == {paragraph} and expected in answer.answer


def test_the_same_paragraph_does_not_make_up_what_it_does_not_name(e5_qa):
    history = [{"role": "user", "content": "What is track 9?"}, {"role": "assistant", "content": "…"}]
    assert e5_qa.ask("What does that paragraph say about Tokyo?", history).refused


def test_a_question_made_only_of_kinds_of_answer_is_a_follow_up(e5_qa):
    history = [{"role": "user", "content": "新赛道九是什么？"}, {"role": "assistant", "content": "…"}]
    answer = e5_qa.ask("通过什么规划？", history)
    assert answer.understood_as and "文艺复兴城市规划" in answer.answer
    assert not e5_qa.ask("通过什么规划？").understood_as  # asked first, it stands alone


@pytest.mark.parametrize("first, follow_up, expected", [
    ("Does the report mention Berlin?", "And London?", "London in 3 paragraphs"),
    ("报告提到巴黎了吗？", "那东京呢？", "提到东京"),
])
def test_and_x_asks_the_same_of_another_subject(e5_qa, first, follow_up, expected):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": e5_qa.ask(first).answer}]
    answer = e5_qa.ask(follow_up, history)
    assert answer.understood_as and expected in answer.answer


@pytest.mark.parametrize("question", ["Which countries does the report mention?", "List all the cities"])
def test_a_list_of_the_whole_corpus_stands_alone(e5_qa, question):
    history = [{"role": "user", "content": "Does the report mention Paris?"}, {"role": "assistant", "content": "Yes."}]
    assert not e5_qa.ask(question, history).understood_as


def test_examples_of_a_thing_named_with_city_are_not_the_list_of_cities(e5_qa):
    answer = e5_qa.ask("数字孪生城市有哪些例子？")
    assert "昆明" in answer.answer and "芝加哥" not in answer.answer


@pytest.mark.parametrize("first, follow_up, understood", [
    ("哪些城市在绿色金融方面做了探索？", "那科技金融呢？", "哪些城市在科技金融方面做了探索？"),  # same head word
    ("Which cities are examples of green finance?", "What about offshore finance?",
     "Which cities are examples of offshore finance?"),
    ("What is Sydney's population?", "And Paris?", "What is Paris's population?"),  # a name of the same kind
    ("哪些城市在綠色金融方面做了探索？", "那藝術金融呢？", "哪些城市在藝術金融方面做了探索？"),  # shown in 繁體
])
def test_and_x_asks_the_question_before_of_a_new_subject(e5_qa, first, follow_up, understood):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "…"}]
    assert e5_qa.ask(follow_up, history).understood_as == understood


@pytest.mark.parametrize("first, follow_up, paragraph", [
    ("新赛道二讲的是什么？", "那全球人才枢纽呢？", "track10.1"),  # a track's name, not track 2 again
    ("What is track 12?", "And Copenhagen?", "track14.1"),  # what the text says of Copenhagen, not track 12
])
def test_and_x_after_an_item_is_about_x(e5_qa, first, follow_up, paragraph):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "…"}]
    answer = e5_qa.ask(follow_up, history)
    assert not answer.refused and answer.citations[0].paragraph_id == paragraph


@pytest.mark.parametrize("first, follow_up, language, expected", [
    ("What is track 9?", "And in Chinese?", "zh", "新赛道九"),
    ("谁是这篇文章的作者？", "用英文回答", "en", "Su Ning"),
    ("What is track 9?", "請用繁體中文回答", "zh-Hant", "新賽道九"),
    ("What is the third dimension?", "用中文回答", "zh", "第三维度"),  # quoted: floors by the question language
    ("什么是第三维度？", "And in English?", "en", "third dimension"),
])
def test_asking_for_another_language_answers_the_question_before_in_it(e5_qa, first, follow_up, language, expected):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "…"}]
    answer = e5_qa.ask(follow_up, history)
    assert answer.language == language and expected in answer.answer and not answer.refused


def test_and_x_asked_in_traditional_is_answered_in_traditional(e5_qa):
    history = [{"role": "user", "content": "哪些城市在綠色金融方面做了探索？"}, {"role": "assistant", "content": "…"}]
    answer = e5_qa.ask("那藝術金融呢？", history)
    assert answer.language == "zh-Hant" and "藝術" in answer.answer and answer.citations[0].paragraph_id == "track06.1"


def test_a_pronoun_follow_up_keeps_the_conversation_in_the_track_it_is_about(e5_qa):
    history = []
    for question in ("What is track 6?", "What forms does it take?"):
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": e5_qa.ask(question,
                                                                                                     history).answer}]
    answer = e5_qa.ask("Which cities are cited as examples?", history)
    assert answer.understood_as == "Which cities are cited as examples? (about new track 6)"
    assert answer.citations[0].paragraph_id == "track06.1" and "New York" in answer.answer
