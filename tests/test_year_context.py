"""A year a question asks about may be stated before the answering sentence, in its paragraph or the title."""
from __future__ import annotations

import pytest

NOTICE = """---
title: 白塔区更新工作通报
language: zh
---

# 白塔区更新工作通报

## 一、进展

2025年，白塔区共完成更新项目40个，总投资3.2亿元。其中，新建社区食堂12处，改造老旧电梯85部。

## 二、计划

2026年，白塔区计划再完成更新项目55个。
"""

REVIEW = """---
title: Ferry Review 2023
language: en
---

# Ferry Review 2023

## 1. Results

Ridership grew by a fifth. The Harbour line carried 2.4 million passengers.
"""


@pytest.mark.slow
@pytest.mark.parametrize("question, fact", [
    ("白塔区2025年改造了多少部老旧电梯？", "85部"),  # 2025 in the sentence before
    ("How many passengers did the Harbour line carry in 2023?", "2.4 million"),  # 2023 in the title
])
def test_a_year_stated_before_the_answer_does_not_refuse_it(tmp_path, question, fact):
    from cityqa.app import build_qa
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "baita-notice.md").write_text(NOTICE, encoding="utf-8")
    (corpus / "ferry-review.md").write_text(REVIEW, encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           store="memory", language="en"))
    answer = qa.ask(question)
    assert not answer.refused and fact in answer.answer
    assert qa.ask("白塔区2019年改造了多少部老旧电梯？").refused  # a year no sentence before it speaks of
