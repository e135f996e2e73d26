"""Sidebar: language switch, answer mode, index status, corpus documents, rebuild and upload."""
from __future__ import annotations

import streamlit as st

from cityqa.errors import CityQAError
from cityqa.i18n import t
from ui.state import get_qa, language_switch


def sidebar(language: str) -> None:
    """Draw the sidebar in the interface language."""
    with st.sidebar:
        language_switch()
        qa = get_qa()
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
        if st.button(t("rebuild", language), width="stretch"):
            rebuild(qa, language)
        upload = st.file_uploader(t("upload", language), type=["md", "txt", "html", "pdf", "docx"], key="upload")
        if upload is not None and st.button(t("add", language), width="stretch"):
            add_document(qa, upload.name, upload.getvalue(), language)


def add_document(qa, name: str, data: bytes, language: str) -> None:
    """Save an uploaded file into corpus/uploads/ and ingest it; one clear line when it cannot be used."""
    from cityqa.corpus.uploads import save_upload

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
    bar = st.progress(0.0)

    def progress(stage: str, done: int, total: int) -> None:
        start, span = (0.2, 0.8) if stage == "embed" else (0.0, 0.2)  # reading files, then embedding
        label = t("stage_embed" if stage == "embed" else "stage_read", language)
        bar.progress(min(1.0, start + span * done / max(total, 1)), text=f"{label} {done}/{total}")
    try:
        report = qa.rebuild(progress=progress)
    except CityQAError as exc:
        st.error(exc.message(language))
        return
    bar.progress(1.0)
    st.success(t("rebuilt", language, added=report.added, removed=report.removed, unchanged=report.unchanged,
                 seconds=report.seconds))
