"""Source reader: the whole report zh/en side by side, every paragraph anchored, the glossary."""
from __future__ import annotations

import streamlit as st

from cityqa.i18n import t
from cityqa.present import inert
from ui.state import get_qa


def page() -> None:
    """Draw the report; a ?p=ID link opens it at that paragraph."""
    language = st.session_state.ui_language
    st.title(t("reader", language))
    st.caption(t("reader_intro", language) + " " + t("unofficial", language))
    qa = get_qa()
    target = st.query_params.get("p", "")
    group = st.query_params.get("doc", "")
    view = st.segmented_control(t("view", language), ["both", "zh", "en"], default="both", key="reader_view",
                                format_func=lambda v: t({"both": "both", "zh": "zh_only", "en": "en_only"}[v], language))
    paragraphs = ordered_paragraphs(qa, group)
    found = [p for p in paragraphs if p["id"] == target]
    if found:
        with st.container(border=True, key="reader-target"):
            st.markdown(f"📍 **{inert(found[0]['id'])}** · {inert(found[0]['section'])}")
            show(found[0], view or "both")
    with st.expander(t("glossary", language)):
        st.dataframe([{"中文": g.zh, "English": g.en, "kind": g.kind, "track": g.track or ""} for g in qa.glossary],
                     hide_index=True, use_container_width=True)
    section = None
    for paragraph in paragraphs:
        if paragraph["section"] != section:
            section = paragraph["section"]
            st.subheader(inert(section.rpartition(" > ")[2] or paragraph["title"]), anchor=False)
        with st.container(border=paragraph["id"] == target, key=f"para-{paragraph['id'].replace('.', '-')}"):
            st.caption(f"¶ {inert(paragraph['id'])}")
            show(paragraph, view or "both")


def ordered_paragraphs(qa, group: str) -> list[dict]:
    """Paragraphs of one document group (default: the first), in document order, with both versions."""
    rows = []
    for key, versions in qa.paragraphs().items():
        doc = key.partition("#")[0]
        first = (versions.get("zh") or versions.get("en"))[0].metadata
        rows.append({"doc": doc, "id": first["paragraph_id"], "start": first["start"], "title": first["title"],
                     "section": (versions.get(st.session_state.ui_language) or versions.get("zh") or versions["en"])[0].metadata["section"],
                     "zh": " ".join(p.text for p in versions.get("zh", [])),
                     "en": " ".join(p.text for p in versions.get("en", []))})
    docs = sorted({row["doc"] for row in rows})
    chosen = group if group in docs else (docs[0] if docs else "")
    return sorted((row for row in rows if row["doc"] == chosen), key=lambda row: row["start"])


def show(paragraph: dict, view: str) -> None:
    """One paragraph in the chosen view."""
    if view == "both" and paragraph["zh"] and paragraph["en"]:
        left, right = st.columns(2)
        left.markdown(inert(paragraph["zh"]))
        right.markdown(inert(paragraph["en"]))
    else:
        text = paragraph.get(view) or paragraph["zh"] or paragraph["en"]
        st.markdown(inert(text))
