"""Sidebar: language switch, answer mode, index status, corpus documents; for editors, rebuild and upload."""
from __future__ import annotations

import streamlit as st

from cityqa.errors import CityQAError
from cityqa.i18n import counted, t
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
        status = st.empty()  # filled, like the list, after an upload or rebuild below: the index as it is now
        listing = st.expander(t("documents", language))
        sign_in(settings, language)
        if is_editor(settings):  # readers read and ask; only editors change the corpus
            editor_actions(qa, language)
        if info := qa.index_info():
            status.caption(f"**{t('index', language)}:** " + t("index_line", language, chunks=info.chunks,
                                                                model=info.model, built=info.built_at))
        with listing:
            for doc in qa.documents():
                st.text(f"{doc['title']}\n  {doc['source']}")


def editor_actions(qa, language: str) -> None:
    """Rebuild and upload, for editors: the index changes in this run, before the document list is drawn."""
    if st.button(t("rebuild", language), width="stretch"):
        rebuild(qa, language)
    # no type filter: Streamlit's own refusal is English only; cityqa refuses other types in the UI language;
    # a new key after each add empties the uploader, so the next add sends only the files chosen after it
    round_ = st.session_state.setdefault("upload_round", 0)
    uploads = st.file_uploader(t("upload", language), accept_multiple_files=True, key=f"upload-{round_}")
    if uploads and st.button(t("add", language), width="stretch"):
        try:
            st.session_state.upload_outcome = qa.upload([(u.name, u.getvalue()) for u in uploads])
        except CityQAError as exc:  # nothing was added: the files stay chosen, to be added again
            st.error(inert(exc.message(language)))
        else:
            st.session_state.upload_round = round_ + 1
            st.rerun()  # drawn again with the empty uploader, the index status and list as they are after the add
    if not uploads and "upload_outcome" in st.session_state:  # the last add's outcome, until files are chosen
        show_outcome(st.session_state.upload_outcome, language)


def show_outcome(upload, language: str) -> None:
    """One line for each refused file, then one for the files added, in the interface language."""
    # file names and reasons (which quote a front-matter doc_id) are the visitor's text: shown, never fetched
    for name, problem in upload.refused:
        st.error(t("upload_refused", language, name=label(name), reason=label(problem.message(language))))
    for name, note in upload.report.notes if upload.report else []:
        st.warning(t("upload_note", language, name=label(name.rsplit("/", 1)[-1]), note=label(note.message(language))))
    if upload.added:
        names = [label(n) for n, _ in upload.added]
        st.success(t("uploaded", language, docs=counted("document", len(upload.added), language),
                     paragraphs=counted("paragraph", sum(n for _, n in upload.added), language),
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
