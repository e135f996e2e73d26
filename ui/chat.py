"""Chat page: streamed cited answers, source cards, feedback and export."""
from __future__ import annotations

from urllib.parse import quote as urlquote

import streamlit as st

from cityqa.corpus.text import detect_language
from cityqa.errors import CityQAError
from cityqa.feedback import record_feedback
from cityqa.i18n import t
from cityqa.present import conversation_markdown, highlight, inert, reference_with_quote
from ui.state import get_qa


def page() -> None:
    """Draw the chat: title first, then load the QA, replay the conversation, answer new questions."""
    language = st.session_state.ui_language
    st.title(t("title", language))
    st.caption(t("subtitle", language))
    with st.spinner(t("loading", language)):
        qa = get_qa()
    turns = st.session_state.turns
    for index, turn in enumerate(turns):
        with st.chat_message(turn["role"]):
            if turn["role"] == "user":
                st.markdown(inert(turn["content"]))
            else:
                show_answer(qa, turn["answer"], index, language)
    question = st.chat_input(t("ask", language), max_chars=qa.settings.max_question_chars)
    question = question or st.session_state.pop("pending_question", None)
    if question:
        answer_new(qa, question, language)
    if turns:
        left, right = st.columns(2)
        left.download_button(t("export", language), conversation_markdown(turns, language),
                             file_name="cityqa-conversation.md", mime="text/markdown", key="export")
        if right.button(t("clear", language)):
            st.session_state.turns = []
            st.rerun()


def history(turns: list[dict]) -> list[dict]:
    """The conversation in the QA API's history format."""
    return [{"role": "user", "content": turn["content"]} if turn["role"] == "user"
            else {"role": "assistant", "content": turn["answer"]["answer"]} for turn in turns]


def answer_new(qa, question: str, language: str) -> None:
    """Stream the answer to a new question, then keep it in this session's conversation."""
    turns = st.session_state.turns
    with st.chat_message("user"):
        st.markdown(inert(question))
    with st.chat_message("assistant"):
        final = {}

        def pieces():
            for piece in qa.stream(question, history(turns)):
                if isinstance(piece, str):
                    yield inert(piece)
                else:
                    final["answer"] = piece
        try:
            placeholder = st.empty()
            with placeholder.container():
                st.write_stream(pieces())
            placeholder.empty()
        except CityQAError as exc:
            st.error(exc.message(detect_language(question) if question.strip() else language))
            return
        answer = final["answer"].to_dict() | {"history": history(turns)}
        turns += [{"role": "user", "content": question}, {"role": "assistant", "answer": answer}]
        show_answer(qa, answer, len(turns) - 1, language)


def show_answer(qa, answer: dict, index: int, language: str) -> None:
    """Draw an answer: refusals set apart, then source cards, grounding, and feedback."""
    if answer["refused"]:
        st.info(inert(answer["answer"]), icon="🔎")
        st.caption(t("refused", language))
    else:
        st.markdown(inert(answer["answer"]))
    for flag in answer.get("flags", []):
        key = f"flag_{flag.split(':')[0]}"
        if key in ("flag_partly_unsupported", "flag_llm_fallback"):
            st.caption("⚠️ " + t(key, language))
    st.caption(t("grounding", language, g=answer["grounding"], mode=answer["mode"], ms=answer["timings_ms"]["total"]))
    if answer["citations"]:
        st.markdown(f"**{t('sources', language)}**")
        for citation in answer["citations"]:
            source_card(qa, citation, index, language)
    feedback(answer, index, language)


def source_card(qa, citation: dict, index: int, language: str) -> None:
    """One citation: the quote highlighted in its paragraph, original and translation, copyable references."""
    label = f"[{citation['n']}] {citation['section'].rpartition(' > ')[2]} · {citation['paragraph_id']}"
    with st.expander(inert(label)):
        versions = qa.paragraph(citation["paragraph_key"])
        shown_language = citation["language"]
        paragraph = " ".join(p.text for p in versions.get(shown_language, []))
        quote = citation["original"] if shown_language == "zh" else citation["quote"]
        st.markdown(highlight(paragraph, quote))
        if shown_language == "en":
            st.caption(t("original", language))
            st.markdown(inert(citation["original"]))
        elif citation.get("translation"):
            st.caption(t("translation", language))
            st.markdown(inert(citation["translation"]))
        st.caption(f"{inert(citation['title'])} · {inert(citation['section'])} · {citation['paragraph_id']} · "
                   f"score {citation['score']:.3f}")
        zh_tab, en_tab = st.tabs([t("copy_zh", language), t("copy_en", language)])
        zh_tab.code(reference_with_quote(citation, "zh"), language=None, wrap_lines=True)
        en_tab.code(reference_with_quote(citation, "en"), language=None, wrap_lines=True)
        group = citation["paragraph_key"].partition("#")[0]
        link = f"reader?p={urlquote(citation['paragraph_id'])}&doc={urlquote(group)}"
        st.markdown(f"[{t('open_reader', language)} ↗]({link})")


def feedback(answer: dict, index: int, language: str) -> None:
    """Thumbs up or down with an optional comment, appended to the feedback file."""
    rating = st.feedback("thumbs", key=f"rating-{index}")
    if rating is None:
        return
    comment = st.text_input(t("comment", language), key=f"comment-{index}")
    if st.button(t("send", language), key=f"send-{index}"):
        qa = get_qa()
        settings = {"mode": answer["mode"], "embedding": qa.settings.embedding, "llm_model": qa.settings.llm_model}
        record_feedback(qa.settings.data_dir / "feedback.jsonl", st.session_state.session_id,
                        "up" if rating == 1 else "down", comment, answer, settings)
        st.success(t("thanks", language))
