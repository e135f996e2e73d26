"""A refusal names the titles the corpus holds and reads naturally for one, two or many documents, in zh and en."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cityqa.answering.holdings import held_sentence, refusal_text

PLAN = """---
doc_id: ferry-plan
title: The Brightwater Ferry Plan
language: en
---

## 1. Night ferries {#part1}

{#part1.1} Night ferries will leave the harbour every twenty minutes.
"""


@dataclass
class Doc:
    """A document as the refusal sees it: its versions' metadata by language."""

    meta: dict = field(default_factory=dict)

    def title(self, language: str) -> str:
        base = "en" if language == "en" else "zh"
        return (self.meta.get(base) or next(iter(self.meta.values()))).get("title", "")


def doc(**titles) -> Doc:
    """A document with a title per language given."""
    return Doc({lang: {"title": title} for lang, title in titles.items()})


@pytest.mark.parametrize("docs, language, expected", [
    ([doc(en="Ferry Plan")], "zh", "现有1份文档：《Ferry Plan》。"),  # a title in the other language, not nothing
    ([doc(en="Ferry Plan")], "en", "The corpus holds one document: “Ferry Plan”."),
    ([doc(zh="港口规划", en="Harbour Plan"), doc(en="Ferry Plan")], "zh",
     "现有2份文档：《港口规划》和《Ferry Plan》。"),
    ([doc(zh="港口规划", en="Harbour Plan"), doc(en="Ferry Plan")], "en",
     "The corpus holds two documents: “Harbour Plan” and “Ferry Plan”."),
    ([doc(en=f"Plan {i}") for i in range(5)], "en", "The corpus holds 5 documents, among them “Plan 0”, “Plan 1” and "
                                                    "“Plan 2”."),
    ([doc(zh=f"规划{i}") for i in range(5)], "zh", "现有5份文档，包括《规划0》、《规划1》、《规划2》等。"),
])
def test_the_documents_held_are_named_by_title_for_any_count(docs, language, expected):
    assert held_sentence(docs, language) == expected


@pytest.mark.parametrize("language, expected", [
    ("zh", "现有4份文档：《港口规划》、《渡轮规划》（2份）、《Night Brief》。"),
    ("en", "The corpus holds 4 documents: “Harbour Plan”, “Night Brief” and “渡轮规划” (two files)."),
])
def test_a_title_two_documents_share_is_named_once_with_its_count_and_crowds_no_title_out(language, expected):
    docs = [doc(zh="港口规划", en="Harbour Plan"), doc(zh="渡轮规划"), doc(zh="渡轮规划"), doc(en="Night Brief")]
    assert held_sentence(docs, language) == expected


def test_a_refusal_ends_with_what_the_corpus_holds():
    assert refusal_text([doc(en="Ferry Plan")], "zh") == "语料中没有能回答这个问题的内容。现有1份文档：《Ferry Plan》。"


def test_a_mention_refusal_in_a_one_document_index_names_its_title(make_settings, tmp_path):
    from cityqa.app import build_qa

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "ferry-plan.md").write_text(PLAN, encoding="utf-8")
    answer = build_qa(make_settings(embedding="fake-words", store="memory")).ask("报告提到柏林了吗？")
    assert answer.refused and answer.answer.endswith("现有1份文档：《The Brightwater Ferry Plan》。"), answer.answer
