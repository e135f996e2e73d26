"""Parts of numbered items, document kinds a question points at, and word-by-word glosses of Chinese names."""
from __future__ import annotations

import pytest

from cityqa.answering.parts import asked_part, part_number
from cityqa.answering.structure import kinds_referred
from cityqa.corpus.bilingual import word_gloss
from cityqa.corpus.text import named_entities


@pytest.mark.parametrize("question, part", [
    ("青澜纲要第二章的第（三）项讲什么？", (2, 3)),
    ("第四部分第一项是什么", (4, 1)),
    ("二（一）有哪些目标", (2, 1)),
    ("What does section 4.1 of the outline cover?", (4, 1)),
    ("Tell me about point 3 of chapter 2.", (2, 3)),
])
def test_the_part_a_question_asks_for(question, part):
    assert asked_part(question) == part


@pytest.mark.parametrize("question", ["第十二条新赛道是什么？", "What is the 3.5% target?", "an 18.2 km line",
                                      "What is item 4?", "第二条和第五条新赛道有什么不同？"])
def test_a_single_number_or_a_figure_is_no_part(question):
    assert asked_part(question) is None


@pytest.mark.parametrize("section, found", [
    ("四、产业布局 > （三）生物医药", (3, "生物医药")),
    ("2. Energy > 2.4 Heat networks", (4, "Heat networks")),
    ("四、产业布局", None),
    ("Energy > Background", None),
])
def test_a_sub_heading_s_own_number(section, found):
    assert part_number(section) == found


@pytest.mark.parametrize("question, kinds", [
    ("哪座城市通过什么规划推进旧城改造？", set()),  # asks which plan, points at no document
    ("Which strategy did Oslo adopt?", set()),
    ("这份规划的第二部分讲什么？", {"plan"}),
    ("What does the Brenholt brief say about ferries?", {"brief"}),
    ("规划中提到了哪些目标？", {"plan"}),
])
def test_a_kind_of_document_is_pointed_at_only_with_a_determiner(question, kinds):
    assert kinds_referred(question) == kinds


def test_a_chinese_name_is_glossed_word_by_word_from_the_dictionary():
    gloss = word_gloss("绿色金融改革")
    assert gloss.split(" · ")[0] == "green" and "finance" in gloss and gloss.endswith("reform")


@pytest.mark.parametrize("question, name", [("Brenholt 的轮渡有几条航线？", "Brenholt"),
                                            ("港口 PortLink 平台上线了吗", "PortLink")])
def test_a_capitalised_latin_word_in_a_chinese_question_is_a_name_even_first(question, name):
    assert name in named_entities(question)


def test_an_english_sentence_s_first_word_is_no_name():
    assert "Ferries" not in named_entities("Ferries leave Brenholt every hour?")


def test_a_chinese_word_glossing_to_a_word_of_one_english_title_names_that_document():
    from cityqa.answering.structure import DocInfo, named_documents

    docs = {"ferry": DocInfo("ferry", {"en": {"title": "Harbour Night Ferry Pilot: Evaluation Report"}}),
            "port": DocInfo("port", {"en": {"title": "Container Port Review"}}),
            "plan": DocInfo("plan", {"zh": {"title": "青水湾城市绿道建设三年行动计划"}})}
    assert named_documents("这份渡轮评估报告的作者是谁？", docs) == ["ferry"]
    assert named_documents("渡轮有几条航线？", docs) == []  # points at no document: retrieval decides


def test_a_document_is_named_by_the_kind_its_title_gives_it_in_either_language():
    from cityqa.answering.structure import DocInfo, named_documents, pick_document

    docs = {"report": DocInfo("report", {"zh": {"title": "国际城市发展的新赛道与新维度", "doc_type": "newspaper"}}),
            "review": DocInfo("review", {"en": {"title": "Review of the Marren Harbour Waterfront Programme"}}),
            "plan": DocInfo("plan", {"zh": {"title": "青川市2026年城市更新行动计划"}})}
    assert named_documents("這篇評論是誰寫的？", docs) == ["review"]
    assert named_documents("这份计划是谁发布的？", docs) == ["plan"]
    assert pick_document("What does the review recommend?", docs, []).group == "review"
