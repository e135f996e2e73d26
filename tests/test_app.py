"""Streamlit AppTest: zh and en answers with citations, refusals, feedback, export, language switch."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from cityqa.present import conversation_markdown
from cityqa.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def app(e5_settings, monkeypatch, tmp_path):
    import streamlit as st

    monkeypatch.setenv("CITYQA_INDEX_DIR", str(e5_settings.index_dir))
    monkeypatch.setenv("CITYQA_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    yield at
    st.cache_resource.clear()


def ask(at, question):
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def test_a_chinese_question_is_answered_with_citation_cards(app):
    ask(app, "新赛道三是什么？")
    texts = [m.value for m in app.markdown]
    assert any(text.startswith("新赛道三是“大宗商品交易中心”") for text in texts)
    labels = [e.label for e in app.expander if e.label.startswith("\\[")]
    assert labels and all("track03\\.1" in label for label in labels)
    assert any(":orange-background[" in text for text in texts)  # the quote highlighted in its paragraph
    assert any("段落 track03.1." in code.value for code in app.code)  # copyable Chinese-style reference


def test_an_english_question_is_answered_in_english_with_the_original(app):
    ask(app, "Which cities are examples of green finance?")
    assert any("London, Shenzhen" in m.value for m in app.markdown)
    assert any(c.value == "Original Chinese" for c in app.caption)
    assert any("Paragraph track05.1." in code.value and "原文：" in code.value for code in app.code)


def test_a_refusal_is_shown_apart_without_sources(app):
    ask(app, "How do I bake sourdough bread?")
    assert app.info and "do not answer" in app.info[0].value
    assert not [e for e in app.expander if e.label.startswith("\\[")]
    assert any(c.value == "Not answered by the report" for c in app.caption)


def test_feedback_is_appended_with_question_answer_citations_and_settings(app, tmp_path):
    ask(app, "What is track 7?")
    app.get("feedback")[0].set_value(0).run()
    app.text_input[0].set_value("too long").run()
    next(b for b in app.button if b.label == "Send feedback").click().run()
    assert any(s.value == "Thank you, feedback saved." for s in app.success)
    record = json.loads((tmp_path / "data" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (record["rating"], record["comment"], record["question"]) == ("down", "too long", "What is track 7?")
    assert record["citations"][0]["paragraph_id"] == "track07.1" and record["settings"]["mode"] == "extractive"


def test_export_holds_the_answers_quotes_and_references(app):
    ask(app, "What is track 3?")
    ask(app, "哪些城市在绿色金融方面做了探索？")
    assert app.get("download_button")[0].label == "Export conversation (Markdown)"
    markdown = conversation_markdown(app.session_state["turns"], "en")
    assert "## Q: What is track 3?" in markdown and "## Q: 哪些城市在绿色金融方面做了探索？" in markdown
    assert "> The capacity for commodity trading" in markdown and "Paragraph track03.1." in markdown
    assert "段落 track05.1." in markdown


def test_the_interface_language_switches_all_text(app):
    assert app.title[0].value == "cityqa — City Q&A"
    app.button_group(key="ui_language").set_value("zh").run()
    assert app.title[0].value == "城市问答 cityqa"
    assert app.chat_input[0].placeholder.startswith("输入问题")
    assert any(b.label == "重建索引" for b in app.sidebar.button)


def test_follow_ups_use_the_session_conversation(app):
    ask(app, "新赛道十是什么？")
    ask(app, "有哪些城市在这方面做了探索？")
    answers = [t["answer"] for t in app.session_state["turns"] if t["role"] == "assistant"]
    assert {c["paragraph_id"] for c in answers[1]["citations"]} == {"track10.1"}
