"""Sidebar: language switch, answer mode, index status, corpus documents; for editors, rebuild and upload."""
from __future__ import annotations

import streamlit as st

from cityqa.errors import CityQAError
from cityqa.i18n import t
from cityqa.present import inert, label
from ui.editor import is_editor, sign_in
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
        listing = st.expander(t("documents", language))  # filled last: an upload or rebuild below shows in it
        sign_in(settings, language)
        if is_editor(settings):  # readers read and ask; only editors change the corpus
            editor_actions(qa, language)
        with listing:
            for doc in qa.documents():
                st.text(f"{doc['title']}\n  {doc['source']}")


def editor_actions(qa, language: str) -> None:
    """Rebuild and upload, for editors: the index changes in this run, before the document list is drawn."""
    if st.button(t("rebuild", language), width="stretch"):
        rebuild(qa, language)
    # no type filter: Streamlit's own refusal is English only; cityqa refuses other types in the UI language
    uploads = st.file_uploader(t("upload", language), accept_multiple_files=True, key="upload")
    if uploads and st.button(t("add", language), width="stretch"):
        add_documents(qa, [(u.name, u.getvalue()) for u in uploads], language)


def add_documents(qa, files: list[tuple[str, bytes]], language: str) -> None:
    """Save and index uploaded files; each refused file gets one line, and only added files are reported as added."""
    try:
        upload = qa.upload(files)
    except CityQAError as exc:
        st.error(inert(exc.message(language)))
        return
    # file names and reasons (which quote a front-matter doc_id) are the visitor's text: shown, never fetched
    for name, problem in upload.refused:
        st.error(t("upload_refused", language, name=label(name), reason=label(problem.message(language))))
    for name, note in upload.report.notes if upload.report else []:
        st.warning(t("upload_note", language, name=label(name.rsplit("/", 1)[-1]), note=label(note.message(language))))
    if upload.added:
        names = [label(n) for n, _ in upload.added]
        st.success(t("uploaded", language, docs=len(upload.added), paragraphs=sum(n for _, n in upload.added),
                     names="、".join(names) if language == "zh" else ", ".join(names)))


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
        st.error(inert(exc.message(language)))
        return
    bar.progress(1.0)
    st.success(t("rebuilt", language, added=report.added, removed=report.removed, unchanged=report.unchanged,
                 seconds=report.seconds))
