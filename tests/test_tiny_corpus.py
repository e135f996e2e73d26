"""Answering behaviour on the three-paragraph synthetic corpus, with the word embedder and the memory store."""
from __future__ import annotations

import pytest

from cityqa.app import build_qa
from cityqa.corpus.text import to_traditional
from cityqa.errors import ModelMismatch

NIGHT_TRAMS = [{"role": "user", "content": "Tell me about the night trams."}]


def quoted_exactly(qa, answer) -> bool:
    """Every citation is marked in the answer and quotes its paragraph word for word."""
    return bool(answer.citations) and all(
        f"[{c.n}]" in answer.answer and c.quote in " ".join(p.text for p in qa.paragraph(c.paragraph_key)[c.language])
        for c in answer.citations)


def test_a_question_the_text_answers_gets_the_sentence_cited(tiny_qa):
    answer = tiny_qa.ask("What do the tidal parks protect Lumen from?")
    assert (answer.refused, answer.mode, answer.language) == (False, "extractive", "en")
    assert answer.answer == "The tidal parks protect Lumen from storm surges. [1]"
    assert [c.paragraph_id for c in answer.citations] == ["part1.1"] and quoted_exactly(tiny_qa, answer)


@pytest.mark.parametrize("question", ["Who is the mayor of Paris?", "How do I bake bread?", "巴黎的市长是谁？"])
def test_a_question_the_text_does_not_answer_is_refused_naming_what_it_holds(tiny_qa, question):
    answer = tiny_qa.ask(question)
    assert answer.refused and answer.citations == [] and "[" not in answer.answer
    assert "The Lumen Harbour Plan" in answer.answer or "卢门港口规划" in answer.answer


@pytest.mark.parametrize("question, lead", [("What is part 2?", "Section 2 is “Night trams”."),
                                            ("第二部分是什么？", "第二部分是“夜间有轨电车”。")])
def test_an_item_question_names_the_item_then_quotes_it(tiny_qa, question, lead):
    answer = tiny_qa.ask(question)
    assert answer.answer.startswith(lead) and {c.paragraph_id for c in answer.citations} == {"part2.1"}
    assert quoted_exactly(tiny_qa, answer)


def test_a_missing_item_is_refused(tiny_qa):
    answer = tiny_qa.ask("What is part 9?")
    assert answer.refused and answer.citations == []


def test_a_list_question_cites_every_item_in_order(tiny_qa):
    answer = tiny_qa.ask("List the parts of the plan.")
    assert [c.paragraph_id for c in answer.citations] == ["part1.1", "part2.1", "part3.1"]
    assert "2. Night trams [2]" in answer.answer


def test_a_follow_up_is_read_with_the_turn_before(tiny_qa):
    alone = tiny_qa.retrieve("Which cities are examples?")
    followed = tiny_qa.retrieve("Which cities are examples?", history=NIGHT_TRAMS)
    assert followed.hits[0].meta["paragraph_id"] == "part2.1" and followed.context and not alone.context
    answer = tiny_qa.ask("What else?", [{"role": "user", "content": "What do the tidal parks protect Lumen from?"}])
    assert answer.understood_as.startswith("What else?") and "tidal parks protect" not in answer.understood_as
    assert answer.citations[0].paragraph_id == "part1.1"


def test_a_standalone_question_ignores_the_history(tiny_qa):
    answer = tiny_qa.ask("What do the tidal parks protect Lumen from?", NIGHT_TRAMS)
    assert answer.understood_as == "" and [c.paragraph_id for c in answer.citations] == ["part1.1"]


@pytest.mark.parametrize("question, language, expected", [
    ("What do the tidal parks protect Lumen from?", "en", "The tidal parks protect Lumen from storm surges."),
    ("潮汐公园保护卢门免受什么侵袭？", "zh", "潮汐公园保护卢门免受风暴潮侵袭。"),
    ("潮汐公園保護盧門免受什麼侵襲？", "zh-Hant", to_traditional("潮汐公园保护卢门免受风暴潮侵袭。")),
])
def test_the_answer_is_in_the_language_and_script_of_the_question(tiny_qa, question, language, expected):
    answer = tiny_qa.ask(question)
    assert answer.language == language and answer.answer.startswith(expected)
    assert answer.citations[0].original == "潮汐公园保护卢门免受风暴潮侵袭。"


def test_retrieval_counts_the_zh_and_en_versions_of_a_paragraph_as_one_source(tiny_qa):
    hits = tiny_qa.retrieve("night trams 夜间有轨电车", k=3).hits
    assert hits[0].meta["paragraph_id"] == "part2.1" and set(hits[0].versions) == {"zh", "en"}
    assert len({h.key for h in hits}) == len(hits)


def test_the_fake_chat_model_answers_through_the_same_chain(tiny_settings):
    answer = build_qa(tiny_settings.model_copy(update={"llm_provider": "fake"})).ask("What do tidal parks protect?")
    assert answer.mode == "llm" and not answer.refused and answer.citations[0].paragraph_id == "part1.1"


def test_the_memory_store_refuses_an_index_built_with_another_model(tiny_qa, tiny_settings):
    with pytest.raises(ModelMismatch) as error:
        build_qa(tiny_settings.model_copy(update={"embedding": "fake"}))
    assert "fake-words-256" in error.value.en and "fake-64" in error.value.en


def test_a_name_is_known_whatever_script_the_document_and_the_question_use(tmp_path):
    from cityqa.answering.naming import names_one_of as _names
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "---\ntitle: 龜山島\nlanguage: zh\n---\n\n# 龜山島\n\n" \
           "1977年，國民政府將龜山島劃入射擊區域，蕭樹滋和南國農創辦了培訓班。\n"
    (corpus / "history.md").write_text(text, encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           embedding="fake-words", store="memory", language="zh"))
    qa.rebuild()
    assert _names("萧树滋和南国农", ["蕭樹滋"]) and _names("蕭樹滋和南國農", ["萧树滋"])
    assert qa.extractive.search.unknown_names("萧树滋和南国农创办了什么？") == []  # 简体 question, 繁體 text
    assert qa.extractive.search.unknown_names("萧树滋和王大明创办了什么？") == ["王大明"]
