"""Streamlit AppTest: first screen, answers with citations, refusals, feedback once, export, language, errors."""
from __future__ import annotations

import json

import pytest

from cityqa.export import conversation_markdown

pytestmark = pytest.mark.slow


@pytest.fixture
def app(e5_settings, started_app, tmp_path):
    """The app over the real corpus, run once, in English."""
    return started_app({"CITYQA_INDEX_DIR": str(e5_settings.index_dir), "CITYQA_DATA_DIR": str(tmp_path / "data")})


def ask(at, question):
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def test_the_first_screen_lists_the_corpus_and_examples_from_its_front_matter(app):
    assert any(m.value.startswith("Documents in the corpus: 1 (English, Chinese)") for m in app.markdown)
    examples = [b for b in app.button if b.key and b.key.startswith("example-")]
    assert [b.label for b in examples][:2] == ["What is track 7?", "List the fourteen new tracks."]
    examples[0].click().run()
    assert not app.exception
    assert app.session_state["turns"][0]["content"] == "What is track 7?"
    assert not [b for b in app.button if b.key and b.key.startswith("example-")]


def test_a_chinese_question_is_answered_with_citation_cards(app):
    ask(app, "新赛道三是什么？")
    texts = [m.value for m in app.markdown]
    assert any(text.startswith("新赛道三是“大宗商品交易中心”") for text in texts)
    labels = [e.label for e in app.expander if e.label.startswith("\\[")]
    assert labels and all("track03\\.1" in label for label in labels)
    assert any(":orange-background[" in text for text in texts)  # the quote highlighted in its paragraph
    assert any(code.value.startswith("苏宁, 屠启宇, 冯佳敏. 国际城市发展的新赛道与新维度[N]. "
                                     "社会科学报, 2023-03-20(2).")
               for code in app.code)  # GB/T 7714, no internal ids
    assert not any("段落" in code.value or "track03" in code.value for code in app.code)


def test_an_english_question_is_answered_with_the_original_and_an_apa_reference(app):
    ask(app, "Which cities are examples of green finance?")
    assert any("London, Shenzhen" in m.value for m in app.markdown)
    assert any(c.value == "Original Chinese" for c in app.caption)
    assert any(code.value.startswith("Su, N., Tu, Q., & Feng, J. (2023, March 20). "
                                     "国际城市发展的新赛道与新维度 [New Tracks")
               for code in app.code)
    cite = next(code.value for code in app.code if code.value.startswith("London, Shenzhen"))
    assert "References\n[1] Su, N." in cite and cite.count("Su, N.") == 1  # the "cite this answer" block


def test_a_refusal_is_shown_apart_without_sources(app):
    ask(app, "How do I bake sourdough bread?")
    assert app.info and "do not answer" in app.info[0].value
    assert not [e for e in app.expander if e.label.startswith("\\[")]
    assert any(c.value == "Not answered by the corpus" for c in app.caption)


def test_feedback_is_recorded_once_then_the_send_button_is_gone(app, tmp_path):
    ask(app, "What is track 7?")
    app.get("feedback")[0].set_value(0).run()
    app.text_input[0].set_value("too long").run()
    send = next(b for b in app.button if b.label == "Send feedback")
    send.click().run()
    assert any(s.value == "Thank you, feedback saved." for s in app.success)
    assert not [b for b in app.button if b.label == "Send feedback"] and not app.get("feedback")
    app.run()  # a rerun (as a second click would cause) records nothing more
    lines = (tmp_path / "data" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert (record["rating"], record["comment"], record["question"]) == ("down", "too long", "What is track 7?")
    assert record["citations"][0]["paragraph_id"] == "track07.1" and record["settings"]["mode"] == "extractive"


def test_export_holds_date_corpus_answers_quotes_and_one_reference_list(app):
    ask(app, "What is track 3?")
    ask(app, "哪些城市在绿色金融方面做了探索？")
    assert app.get("download_button")[0].label == "Export conversation (Markdown)"
    markdown = conversation_markdown(app.session_state["turns"], "en", [{"title": "A corpus document"}])
    assert "## Q: What is track 3?" in markdown and "## Q: 哪些城市在绿色金融方面做了探索？" in markdown
    assert "Exported:" in markdown and "Corpus: A corpus document" in markdown
    assert "The capacity for commodity trading" in markdown
    assert markdown.count("2023, March 20") == 1 and markdown.index("## References") > markdown.index("## Q: 哪些")
    assert markdown.count("社会科学报, 2023-03-20(2).") == 1  # GB/T 7714 as well as APA
    assert [b.label for b in app.get("download_button")] == ["Export conversation (Markdown)",
                                                              "Export conversation (Word)"]


def test_the_interface_language_switches_all_text(app):
    assert app.title[0].value == "cityqa — City Q&A"
    app.button_group(key="language_switch").set_value("zh").run()
    assert app.title[0].value == "城市问答 cityqa"
    assert app.chat_input[0].placeholder.startswith("输入问题")
    assert any(b.label == "重建索引" for b in app.sidebar.button)
    labels = [b.label for b in app.button]
    assert "新赛道三是什么？" in labels  # the examples follow the language  # the examples follow the language


def test_clicking_the_selected_language_keeps_it_and_the_conversation(app):
    ask(app, "What is track 7?")
    app.button_group(key="language_switch").set_value(None).run()  # what a click on the selected option sends
    assert not app.exception
    assert app.title[0].value == "cityqa — City Q&A" and app.button_group(key="language_switch").value == "en"
    assert len(app.session_state["turns"]) == 2


def test_an_unexpected_error_shows_a_reference_id_not_a_traceback(app, monkeypatch):
    import ui.chat

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path.py exploded")
    monkeypatch.setattr(ui.chat, "show_answer", broken)
    ask(app, "What is track 7?")
    assert not app.exception
    assert app.error and "give the administrator reference" in app.error[0].value
    assert "secret" not in app.error[0].value


def test_follow_ups_use_the_session_conversation(app):
    ask(app, "新赛道十是什么？")
    ask(app, "有哪些城市在这方面做了探索？")
    answers = [t["answer"] for t in app.session_state["turns"] if t["role"] == "assistant"]
    assert {c["paragraph_id"] for c in answers[1]["citations"]} == {"track10.1"}


def test_extractive_sentences_are_held_to_a_reading_pace_and_marks_and_llm_pieces_are_not():
    import time

    from ui.chat import paced

    pieces = ["First sentence.", " [1]", " Second sentence.", "2.", " Third sentence.", object()]  # then the Answer
    started = time.monotonic()
    assert list(paced(iter(pieces), 0.1)) == pieces
    assert time.monotonic() - started >= 0.19  # the first at once, the next two 0.1 s after the last
    started = time.monotonic()
    assert list(paced(iter(pieces), 0.0)) == pieces
    assert time.monotonic() - started < 0.05


def test_the_conversation_sent_with_a_question_names_the_documents_each_answer_quoted(app):
    ask(app, "新赛道十是什么？")
    ask(app, "有哪些城市在这方面做了探索？")
    answers = [t["answer"] for t in app.session_state["turns"] if t["role"] == "assistant"]
    assert answers[1]["history"][1] == {"role": "assistant", "content": answers[0]["answer"],
                                        "sources": ["sass-new-tracks"]}
