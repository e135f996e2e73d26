"""A question asking for several things about a document answers each, or says which the documents do not state."""
from __future__ import annotations

import pytest

from cityqa.questions.intents import classify, metadata_asks

PLAN = """---
doc_id: ferry-plan
title: The Brightwater Ferry Plan
language: en
publisher: Brightwater Transport Office
date: 2025-03-12
---

## 1. Night ferries {#part1}

{#part1.1} Night ferries will leave the harbour every twenty minutes.
"""


@pytest.fixture
def plan_qa(tiny_qa):
    """The tiny corpus with an uploaded plan stating its publisher and date but no newspaper."""
    assert tiny_qa.upload([("ferry-plan.md", PLAN.encode())]).added
    return tiny_qa


@pytest.mark.parametrize("question, fields", [
    ("哪一天刊登的？登在哪份報紙上？", ["date", "publication"]),
    ("Who issued the plan, and on what date?", ["publisher", "date"]),
    ("Who wrote the article and when?", ["authors", "date"]),
    ("这篇文章是谁写的，发表在哪份报纸上？", ["authors", "publication"]),
    ("When was this article published?", ["date"]),
    ("文章刊登在《社会科学报》哪一期？", ["publication"]),
    ("When and in which newspaper was this article published?", ["date", "publication"]),  # one verb, two asks
    ("什么时候、在哪份报纸上发表的？", ["date", "publication"]),
])
def test_each_clause_of_a_question_names_the_field_it_asks_for(question, fields):
    from cityqa.corpus.text import to_simplified

    assert metadata_asks(to_simplified(question).lower()) == fields
    intent = classify(question)
    assert intent.kind in ("metadata", "authors") and (intent.detail.split("+") if len(fields) > 1 else fields) == \
        fields


def test_who_issued_the_plan_and_when_answers_both(plan_qa):
    answer = plan_qa.ask("Who issued the Brightwater Ferry Plan, and on what date?")
    assert "Brightwater Transport Office" in answer.answer and "2025-03-12" in answer.answer, answer.answer
    assert answer.answer.index("Brightwater Transport Office") < answer.answer.index("2025-03-12")
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations) and len(answer.citations) >= 2


def test_a_part_the_documents_do_not_state_is_named_as_such(plan_qa):
    answer = plan_qa.ask("《The Brightwater Ferry Plan》是哪一天發布的？登在哪份報紙上？")
    assert "2025-03-12" in answer.answer and "文檔沒有說明刊載於哪份報刊" in answer.answer, answer.answer
    english = plan_qa.ask("When was the Brightwater Ferry Plan published, and in which newspaper?")
    assert "2025-03-12" in english.answer and "do not say where it was published" in english.answer, english.answer


@pytest.mark.parametrize("question, unstated", [
    ("When and in which newspaper was the Brightwater Ferry Plan published?", "do not say where it was published"),
    ("《The Brightwater Ferry Plan》什么时候、在哪份报纸上发表的？", "文档没有说明刊载于哪份报刊"),
])
def test_two_asks_sharing_one_verb_are_both_answered(plan_qa, question, unstated):
    answer = plan_qa.ask(question)
    assert "2025-03-12" in answer.answer and unstated in answer.answer, answer.answer


NOTE = """The Brightwater Ferry Note

Date: 12 March 2025

By: Mara Fenn, harbour desk

The night ferries will leave the harbour every twenty minutes from May.

The ferry office will publish a timetable each spring.
"""


@pytest.fixture
def note_qa(tiny_qa):
    """The tiny corpus with an uploaded note whose date and byline stand in its text, not in front matter."""
    assert tiny_qa.upload([("ferry-note.txt", NOTE.encode())]).added
    return tiny_qa


@pytest.mark.parametrize("question, line", [
    ("When was the Brightwater Ferry Note published?", "Date: 12 March 2025"),
    ("Who wrote the Brightwater Ferry Note?", "By: Mara Fenn, harbour desk"),
    ("《The Brightwater Ferry Note》是什么时候发布的？", "Date: 12 March 2025"),
])
def test_a_metadata_citation_points_at_the_line_that_states_it(note_qa, question, line):
    answer = note_qa.ask(question)
    assert answer.citations and not answer.refused, answer.answer
    cited = answer.citations[0]
    assert cited.paragraph_id != "front-matter" and line in " ".join(
        p.text for p in note_qa.paragraph(cited.paragraph_key)[cited.language]), cited
    assert any(q in line for q in cited.quotes), cited.quotes  # the reader highlights the stating line


def test_a_value_only_the_front_matter_gives_is_cited_as_the_documents_metadata(plan_qa):
    from cityqa.present import cite_block, place_of

    answer = plan_qa.ask("When was the Brightwater Ferry Plan published?")
    cited = answer.citations[0]
    assert cited.paragraph_id == "front-matter" and cited.quote == "2025-03-12" and "date:" not in cited.quote
    assert place_of(cited.to_dict(), "en") == "from the document's metadata"
    assert place_of(cited.to_dict(), "zh") == "来自文档元数据"
    block = cite_block(answer.to_dict(), "en")
    assert "“2025-03-12” (from the document's metadata; reference 1)" in block and "front matter" not in block


def test_an_issuer_line_is_the_documents_publisher_cited_at_that_line(tiny_qa):
    text = ("霁川市滨水慢行系统建设方案\n\n发布单位：霁川市交通运输局\n\n日期：2025年4月8日\n\n"
            "到2027年建成48公里滨水慢行道。\n")
    assert tiny_qa.upload([("jichuan.txt", text.encode())]).added
    answer = tiny_qa.ask("Who issued the 霁川市滨水慢行系统建设方案, and on what date?")
    assert "霁川市交通运输局" in answer.answer and "2025-04-08" in answer.answer, answer.answer
    assert {"发布单位：霁川市交通运输局", "日期：2025年4月8日"} <= {q for c in answer.citations for q in c.quotes}
