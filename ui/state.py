"""Shared app state: cached QA, interface language, sidebar."""
from __future__ import annotations

import uuid

import streamlit as st

from cityqa.i18n import EXAMPLES, t
from cityqa.settings import Settings


@st.cache_resource(show_spinner=False)
def get_qa():
    """Build the QA object once per process (index built from corpus/ on first run)."""
    from cityqa.app import build_qa

    return build_qa(Settings())


def interface_language() -> str:
    """Draw the language switch and return this session's UI language (default: the browser's)."""
    if "ui_language" not in st.session_state:
        locale = (getattr(st.context, "locale", None) or "en").lower()
        st.session_state.ui_language = "zh" if locale.startswith("zh") else "en"
        st.session_state.session_id = uuid.uuid4().hex
        st.session_state.turns = []
    with st.sidebar:
        st.segmented_control("界面语言 / Language", ["zh", "en"], key="ui_language",
                             format_func=lambda code: "中文" if code == "zh" else "English")
    if not st.session_state.ui_language:  # a click on the selected option clears it: keep the last choice
        st.session_state.ui_language = st.session_state.get("last_language", "en")
    st.session_state.last_language = st.session_state.ui_language
    return st.session_state.ui_language


def ask_example(question: str) -> None:
    """Queue an example question for the chat page."""
    st.session_state.pending_question = question


def sidebar_status(language: str) -> None:
    """Answer mode, corpus documents, index status, rebuild, and example questions."""
    qa = get_qa()
    with st.sidebar:
        settings = qa.settings
        mode = (t("llm", language, model=settings.llm_model or settings.llm_mode()) if qa.mode == "llm"
                else t("extractive", language))
        st.caption(f"**{t('mode', language)}:** {mode}")
        info = qa.index_info()
        if info:
            st.caption(f"**{t('index', language)}:** " + t("index_line", language, chunks=info.chunks,
                                                            model=info.model, built=info.built_at))
        with st.expander(t("documents", language)):
            for doc in qa.documents():
                st.text(f"{doc['title']}\n  {doc['source']}")
        if st.button(t("rebuild", language), use_container_width=True):
            rebuild(qa, language)
        upload = st.file_uploader(t("upload", language), type=["md", "txt", "html", "pdf", "docx"], key="upload")
        if upload is not None and st.button(t("add", language), use_container_width=True):
            add_document(qa, upload.name, upload.getvalue(), language)
        st.caption(t("examples", language))
        for question in EXAMPLES[language]:
            st.button(question, key=f"example-{question}", use_container_width=True, on_click=ask_example,
                      args=(question,))


def add_document(qa, name: str, data: bytes, language: str) -> None:
    """Save an uploaded file into corpus/uploads/ and ingest it; one clear line when it cannot be used."""
    from cityqa.corpus.uploads import save_upload
    from cityqa.errors import CityQAError

    try:
        path = save_upload(qa.settings.corpus_dir, name, data, qa.settings.max_file_mb)
        report = qa.add_files([path])
    except CityQAError as exc:
        st.error(exc.message(language))
        return
    for _, problem in report.problems:
        st.error(problem.message(language))
    st.success(t("rebuilt", language, added=report.added, removed=report.removed, unchanged=report.unchanged,
                 seconds=report.seconds))


def rebuild(qa, language: str) -> None:
    """Re-ingest the corpus with a progress bar; the old index serves until the switch."""
    from cityqa.errors import CityQAError

    bar = st.progress(0.0)

    def progress(stage: str, done: int, total: int) -> None:
        start, span = (0.2, 0.8) if stage == "embed" else (0.0, 0.2)  # reading files, then embedding
        bar.progress(min(1.0, start + span * done / max(total, 1)), text=f"{stage} {done}/{total}")
    try:
        report = qa.rebuild(progress=progress)
    except CityQAError as exc:
        st.error(exc.message(language))
        return
    bar.progress(1.0)
    st.success(t("rebuilt", language, added=report.added, removed=report.removed, unchanged=report.unchanged,
                 seconds=report.seconds))
