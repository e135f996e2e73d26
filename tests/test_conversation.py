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
    assert answer.understood_as.startswith(first) and not answer.refused
    assert any(word in answer.answer for word in expected)
