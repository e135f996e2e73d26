"""Questions are read in one place: each real question gets its intent; only one without a subject follows up."""
from __future__ import annotations

import json

import pytest

from cityqa.corpus.glossary import load_glossary
from cityqa.questions.conversation import read
from cityqa.questions.intents import classify
from conftest import CORPUS

ROWS = [json.loads(line) for line in (CORPUS.parent / "tests" / "data" / "intents.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]
GLOSSARY = load_glossary(CORPUS)
LABELS = ("New track", "新赛道")


@pytest.mark.parametrize("row", [r for r in ROWS if not r.get("history")], ids=lambda r: r["question"])
def test_a_standalone_question_gets_its_intent_and_items(row):
    intent = classify(row["question"], GLOSSARY, LABELS)
    assert intent.kind == row["intent"]
    if row["intent"] == "item":
        assert list(intent.items) == row["items"]


@pytest.mark.parametrize("row", [r for r in ROWS if r.get("history")], ids=lambda r: r["question"])
def test_only_a_question_without_a_subject_of_its_own_depends_on_the_history(row):
    reading = read(row["question"], row["history"], GLOSSARY, LABELS)
    assert reading.dependent == row["dependent"]
    assert bool(reading.understood_as) == row["dependent"]
    if not row["dependent"]:
        assert reading.query == row["question"] and reading.intent == classify(row["question"], GLOSSARY, LABELS)


@pytest.mark.parametrize("zh, hant, en", [
    ("哪些赛道涉及金融？", "哪些賽道涉及金融？", "Which tracks involve finance?"),
    ("列出十四条新赛道。", "列出十四條新賽道。", "List the fourteen new tracks."),
    ("报告提出了多少条新赛道？", "報告提出了多少條新賽道？", "How many new tracks does the report identify?"),
    ("全部作者是谁？", "全部作者是誰？", "Who are all the authors?"),
    ("报告提到巴黎了吗？", "報告提到巴黎了嗎？", "Does the report mention Paris?"),
])
def test_the_same_question_in_three_scripts_gets_the_same_intent(zh, hant, en):
    kinds = {classify(q, GLOSSARY, LABELS).kind for q in (zh, hant, en)}
    assert len(kinds) == 1


def test_a_follow_up_to_a_list_takes_the_item_it_points_at():
    history = [{"role": "user", "content": "List the fourteen new tracks."}, {"role": "assistant", "content": "…"}]
    reading = read("What about the second one?", history, GLOSSARY, LABELS)
    assert reading.dependent and reading.intent.kind == "item" and reading.intent.items == (2,)


def test_a_standalone_question_after_any_turn_is_read_as_if_asked_first():
    history = [{"role": "user", "content": "新赛道五是什么？哪些城市有实践？"}, {"role": "assistant", "content": "…"}]
    for question in ("文章作者是谁？", "What does the report say about Paris?", "报告发表于哪一天？"):
        assert read(question, history, GLOSSARY, LABELS) == read(question, [], GLOSSARY, LABELS)
