"""A follow-up keeps the names its conversation asked about: evidence that does not name them does not answer."""
from __future__ import annotations

import pytest

BRIEF = """---
title: Marlport Night Economy Brief
language: en
---

# Marlport Night Economy Brief

## 1. Overview

In 2024, businesses open after 6 pm in the Harborview district took 312 million dollars in sales.

## 2. Transport

Night buses to Harborview run every 15 minutes until 2 am.
"""

PLAN = """---
title: 青石湾市社区更新报告
language: zh
---

# 青石湾市社区更新报告

## 一、交通

青石湾市新建公交候车亭30个，改造人行天桥4座。
"""


@pytest.mark.slow
def test_and_x_after_a_question_about_a_name_answers_from_evidence_naming_it(tmp_path):
    from cityqa.app import build_qa
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "marlport-brief.md").write_text(BRIEF, encoding="utf-8")
    (corpus / "qingshiwan-plan.md").write_text(PLAN, encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           store="memory", language="en"))
    first = qa.ask("Harborview 区2024年夜间消费额是多少？")
    assert "312 million" in first.answer
    history = [{"role": "user", "content": "Harborview 区2024年夜间消费额是多少？"},
               {"role": "assistant", "content": first.answer}]
    answer = qa.ask("那交通呢？", history)
    assert {c.paragraph_key.partition("#")[0] for c in answer.citations} <= {"marlport-brief"}
    assert answer.refused or "Night buses" in answer.answer
