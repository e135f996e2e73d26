"""Chat page: a first screen that starts the work, streamed cited answers, source cards, feedback, export."""
from __future__ import annotations

import re
import time
import uuid

import streamlit as st

from cityqa.corpus.text import detect_language
from cityqa.doc_labels import repeated_titles, shown_title
from cityqa.errors import CityQAError
from cityqa.export import conversation_docx, conversation_markdown
from cityqa.feedback import record_feedback
from cityqa.i18n import t
from cityqa.present import card_label, cite_block, example_questions, highlight, inert, label, quotes_of, reader_link
from cityqa.questions.conversation import READ_CHARS
from cityqa.types import FRONT_MATTER
from ui.state import get_qa, overview

PACE_S, PACE_BUDGET_S = 0.15, 1.5  # extractive sentences come all at once: show them at a reading pace, ≤1.5 s
WORDS = re.compile(r"[^\W\d_]")  # a piece with letters is a sentence, not a citation mark or a list number


def page() -> None:
    """Draw the chat: title, the first screen or the conversation, then the question box."""
    language = st.session_state.ui_language
    st.title(t("title", language))
    st.caption(t("subtitle", language))
    with st.spinner(t("loading", language)):
        qa = get_qa()
    turns = st.session_state.turns
    # An input Streamlit moves to the bottom itself pins the page to its bottom (chats follow the latest message):
    # the first screen has none to follow, so its input goes in st.bottom by hand and the page opens at the title;
    # the key keeps it one widget in both places, so the question typed as the first answer is drawn is not lost
    box = st if turns else st.bottom
    question = box.chat_input(t("ask", language), key="question")  # no max_chars: a long paste is refused in words
    question = question or st.session_state.pop("pending_question", None)
    if not turns and not question:
        welcome(language)
    for turn in turns:
        with st.chat_message(turn["role"]):
            if turn["role"] == "user":
                st.markdown(inert(turn["content"]))
            else:
                show_answer(qa, turn["answer"], language)
    if turns and turns[-1]["role"] == "user":  # an answer cut short by a click (a rerun) is written again
        answer_new(qa, turns.pop()["content"], language, shown=True)
    if question:
        answer_new(qa, question, language)
    if st.session_state.turns:
        left, middle, right = st.columns(3)
        turns, documents = st.session_state.turns, qa.documents()
        left.download_button(t("export", language), conversation_markdown(turns, language, documents),
                             file_name="cityqa-conversation.md", mime="text/markdown", key="export", width="stretch",
                             on_click="ignore")
        middle.download_button(t("export_docx", language), conversation_docx(turns, language, documents),
                               file_name="cityqa-conversation.docx", key="export-docx", width="stretch",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               on_click="ignore")
        if right.button(t("clear", language), width="stretch"):
            st.session_state.turns = []
            st.rerun()


def welcome(language: str) -> None:
    """What the corpus holds, example questions as buttons, and how answers are sourced."""
    works = overview()
    if not works:
        st.info(t("no_documents", language))
        return
    languages = sorted({lang for w in works for lang in w["languages"]})
    st.markdown(t("welcome", language, docs=len(works),
                  languages="、".join(t(f"lang_{x}", language) for x in languages) if language == "zh"
                  else ", ".join(t(f"lang_{x}", language) for x in languages),
                  paragraphs=sum(w["paragraphs"] for w in works)))
    marks = repeated_titles([doc for work in works for doc in work["docs"]])  # a file and its scan told apart
    for work in works:
        langs = " / ".join(t(f"lang_{x}", language) for x in work["languages"])
        other = [title for title in work.get("titles", {}).values() if title != work["title"]]
        title = shown_title(work["title"], work["group"], marks)
        st.markdown(" · ".join([f"- **{inert(title)}**", *map(inert, other), langs]))
    st.markdown(f"**{t('examples', language)}**")
    with st.container(key="welcome-examples"):
        for number, question in enumerate(example_questions(works, language)):
            # a document's examples and title are data: shown as text, never an image the browser fetches
            st.button(label(question), key=f"example-{number}", width="stretch", on_click=ask_example,
                      args=(question,))
    st.caption(t("how_sourced", language))


def ask_example(question: str) -> None:
    """Queue an example question for this run of the chat page."""
    st.session_state.pending_question = question


def history(turns: list[dict]) -> list[dict]:
    """The conversation in the QA API's history format."""
    return [{"role": "user", "content": turn["content"]} if turn["role"] == "user"
            else {"role": "assistant", "content": turn["answer"]["answer"], "sources": sorted(
                {c["paragraph_key"].partition("#")[0] for c in turn["answer"]["citations"] if c.get("paragraph_key")})}
            for turn in turns]


def answer_new(qa, question: str, language: str, shown: bool = False) -> None:
    """Stream the answer to a new question piece by piece as it is written, then keep it in the conversation."""
    turns = st.session_state.turns
    if not shown:
        with st.chat_message("user"):
            st.markdown(inert(question))
    earlier = history(turns)
    turns.append({"role": "user", "content": question})
    with st.chat_message("assistant"):
        head, slot, text, final = st.container(), st.empty(), "", None
        slot.caption(t("searching", language))
        try:
            for piece in written(qa, question, earlier):
                if isinstance(piece, str):
                    text += piece
                    slot.markdown(inert(text) + " ▌")
                else:
                    final = piece
        except CityQAError as exc:
            turns.pop()
            slot.error(exc.message(detect_language(question) if question.strip() else language))
            if len(question) > qa.settings.max_question_chars:  # nothing typed is lost: give it back to copy
                with st.expander(t("your_question", language)):
                    st.code(question, language=None, wrap_lines=True)
            return
        answer = final.to_dict() | {"history": earlier, "id": uuid.uuid4().hex}
        turns.append({"role": "assistant", "answer": answer})
        show_answer(qa, answer, language, (head, slot))


def written(qa, question: str, earlier: list[dict]):
    """The answer's pieces as they are written: an LLM's as they come, an extractive one's at a reading pace."""
    if qa.mode != "extractive":
        return qa.stream(question, earlier)
    return paced(list(qa.stream(question, earlier)), PACE_S)  # all there at once: timings exclude the pacing


def paced(pieces, pace: float):
    """Pass answer pieces on, holding back sentences that arrive faster than a reader follows (pace 0: as they come)."""
    last, spent = time.monotonic() - pace, 0.0  # the first sentence shows at once
    for piece in pieces:
        if pace and isinstance(piece, str) and WORDS.search(piece) and spent < PACE_BUDGET_S:
            wait = pace - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
                spent += wait
            last = time.monotonic()
        yield piece


def show_answer(qa, answer: dict, language: str, slots=None) -> None:
    """Draw an answer: how it was understood, its text (in place of the streamed text), sources, citing, feedback."""
    head, body = slots or (st.container(), st.empty())  # the layout streaming made, so open cards stay open
    if answer.get("understood_as"):
        head.caption(inert(t("understood_as", language, text=answer["understood_as"])))
    if answer["refused"]:
        body.info(inert(answer["answer"]), icon=":material/search_off:")
        st.caption(t("refused", language))
    else:
        if answer.get("grounding", 1.0) < 0.5:
            head.warning(t("uncertain", language), icon=":material/help:")
        body.markdown(inert(answer["answer"]))
    for flag in answer.get("flags", []):
        key = f"flag_{flag.split(':')[0]}"
        if key in ("flag_partly_unsupported", "flag_llm_fallback", "flag_question_cut"):
            st.caption(":material/warning: " + t(key, language, n=READ_CHARS))
    mode = t("mode_llm" if answer["mode"] == "llm" else "mode_extractive", language)
    st.caption(t("grounding", language, g=answer["grounding"], mode=mode, ms=answer["timings_ms"]["total"]))
    answer.setdefault("id", uuid.uuid4().hex)
    if answer["citations"]:
        st.markdown(f"**{t('sources', language)}**")
        marks = repeated_titles(qa.documents())  # a title two documents share: the card says which file
        for number, citation in enumerate(answer["citations"]):
            source_card(qa, citation, language, key=f"card-{answer['id']}-{number}", marks=marks)
        # keyed and tracked, so an open card stays open through the reruns that clicks elsewhere cause
        with st.expander(t("cite_answer", language), icon=":material/format_quote:", key=f"cite-{answer['id']}",
                         on_change="rerun"):
            st.code(cite_block(answer, language), language=None, wrap_lines=True)
    feedback(answer, language)


def source_card(qa, citation: dict, language: str, key: str, marks: dict[str, str]) -> None:
    """One paragraph: every quote highlighted in it, original or translation, references, a reader link."""
    metadata = citation["paragraph_id"] == FRONT_MATTER  # a value no line of the text states: nothing to open
    with st.expander(inert(card_label(citation, language, marks)), key=key, on_change="rerun"):
        versions = {} if metadata else qa.paragraph(citation["paragraph_key"])
        shown = citation["language"]
        paragraph = " ".join(p.text for p in versions.get(shown, [])) or citation["quote"]
        st.markdown(highlight(paragraph, [] if metadata else quotes_of(citation)))
        if citation.get("page"):  # recognised text: say so, and warn where it read poorly
            low = any(p.metadata.get("low_confidence") for p in versions.get(shown, []))
            st.caption(t("ocr_text", language, page=citation["page"]) + (" · " + t("ocr_low", language) if low else ""))
        if metadata:
            st.caption(t("from_metadata_card", language))
        elif shown == "en" and citation.get("original") and citation["original"] != citation["quote"]:
            st.caption(t("original", language))  # a translation: its original under it
            st.markdown(inert(citation["original"]))
        elif citation.get("translation"):
            st.caption(t("translation", language))
            st.markdown(inert(citation["translation"]))
        if not metadata:
            where = [citation["title"], citation["section"], f"¶ {citation['paragraph_id']}"]
            st.caption(" · ".join(inert(part) for part in where if part))
        zh_tab, en_tab = st.tabs([t("copy_zh", language), t("copy_en", language)])
        zh_tab.code(citation["reference"]["zh"], language=None, wrap_lines=True)
        en_tab.code(citation["reference"]["en"], language=None, wrap_lines=True)
        if not metadata:
            st.markdown(f"[{t('open_reader', language)} ↗]({reader_link(citation, language)})")


def send_feedback(answer: dict, rating: int, language: str) -> None:
    """Record this answer's feedback once, however often the button is clicked."""
    sent = st.session_state.feedback_sent
    if answer["id"] in sent:
        return
    qa = get_qa()
    comment = st.session_state.get(f"comment-{answer['id']}", "")
    settings = {"mode": answer["mode"], "embedding": qa.settings.embedding, "llm_model": qa.settings.llm_model}
    try:
        record_feedback(qa.settings.data_dir / "feedback.jsonl", st.session_state.session_id,
                        "up" if rating == 1 else "down", comment, answer, settings)
    except CityQAError as exc:  # one line under the button; rating and comment stay, to be sent again
        st.session_state[f"feedback-error-{answer['id']}"] = exc.message(language)
        return
    st.session_state.pop(f"feedback-error-{answer['id']}", None)
    sent.add(answer["id"])


def feedback(answer: dict, language: str) -> None:
    """Thumbs up or down with an optional comment, sent once per answer."""
    if answer["id"] in st.session_state.feedback_sent:
        st.success(t("thanks", language), icon=":material/check:")
        return
    rating = st.feedback("thumbs", key=f"rating-{answer['id']}")
    if rating is None:
        return
    st.text_input(t("comment", language), key=f"comment-{answer['id']}")
    st.button(t("send", language), key=f"send-{answer['id']}", on_click=send_feedback,
              args=(answer, rating, language))
    if problem := st.session_state.get(f"feedback-error-{answer['id']}"):
        st.error(problem)
