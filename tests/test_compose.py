"""Composing an answer: how a quote in another language than the answer's is labelled."""
from __future__ import annotations

import pytest

from cityqa.answering.compose import Composer
from cityqa.types import Hit, Passage

META = {"doc_id": "plan", "group": "plan", "title": "青川市行动计划", "section": "一、总体目标",
        "paragraph_id": "goal.1", "paragraph_key": "plan#goal.1", "index": 0, "source": "plan.docx"}


def _quoted(answer_language: str, text: str, language: str) -> str:
    sentence = Passage("plan#goal.1|s0", text, META | {"language": language})
    hit = Hit("plan#goal.1", 1.0, {language: [Passage("plan#goal.1", text, META | {"language": language})]})
    return Composer(answer_language, {f"{hit.key}|{language}": [sentence]}).quote(hit, sentence)


@pytest.mark.parametrize("answer_language, text, language, expected", [
    ("en", "计划完成老旧小区改造120个。", "zh", "“计划完成老旧小区改造120个。” (original Chinese) [1]"),
    ("zh", "The review recommends three measures.", "en", "“The review recommends three measures.”（英文原文）[1]"),
    ("en", "The review recommends three measures.", "en", "The review recommends three measures. [1]")])
def test_a_quote_in_the_other_language_is_labelled_in_the_answers_typography(answer_language, text, language,
                                                                              expected):
    assert _quoted(answer_language, text, language) == expected
