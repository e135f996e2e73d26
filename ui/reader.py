"""Source reader: pick a document, read it whole (side by side where a translation exists), see the cited quote."""
from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urlencode

import streamlit as st

from cityqa.doc_labels import repeated_titles, shown_title
from cityqa.i18n import t
from cityqa.present import example_questions, highlight, inert, label
from ui import chat
from ui.state import get_qa, overview


def page() -> None:
    """Draw one document; ?doc=GROUP&p=ID&q=QUOTE opens it at that paragraph with the quote highlighted."""
    language = st.session_state.ui_language
    st.title(t("reader", language))
    qa = get_qa()
    works = overview()
    if not works:
        st.info(t("no_documents", language))
        return
    groups = [w["group"] for w in works]
    wanted = st.query_params.get("doc", "")
    if wanted in groups and st.session_state.get("reader_link") != wanted:  # a link chooses the document once
        st.session_state.reader_doc, st.session_state.reader_link = wanted, wanted
    if st.session_state.get("reader_doc") not in groups:
        st.session_state.reader_doc = groups[0]
    marks = repeated_titles([doc for work in works for doc in work["docs"]])  # a file and its scan told apart
    titles = {w["group"]: shown_title(w["title"], w["group"], marks) for w in works}
    group = st.selectbox(t("document", language), groups, key="reader_doc", format_func=lambda g: titles[g])
    work = next(w for w in works if w["group"] == group)
    linked = group == wanted
    target = st.query_params.get("p", "") if linked else ""
    quotes = st.query_params.get_all("q") if linked else []
    bilingual = len(work["languages"]) > 1
    if bilingual:
        st.caption(t("bilingual_intro", language) + " " + t("unofficial", language))
        view = st.segmented_control(t("view", language), ["both", "zh", "en"], default="both", key="reader_view",
                                    format_func=lambda v: t({"both": "both", "zh": "zh_only", "en": "en_only"}[v],
                                                            language)) or "both"
    else:
        names = " / ".join(t(f"lang_{x}", language) for x in work["languages"])
        st.caption(t("single_intro", language, names=names))
        view = work["languages"][0] if work["languages"] else "zh"
    ask_about(work, language)
    if qa.glossary:
        with st.expander(t("glossary", language)):
            st.dataframe([{t("col_zh", language): g.zh, t("col_en", language): g.en, t("col_kind", language): g.kind,
                           t("col_item", language): str(getattr(g, "item", 0) or "")} for g in qa.glossary],
                         hide_index=True, width="stretch")
    section = None
    for paragraph in paragraphs_of(qa, group, language):
        if paragraph["section"] != section:
            section = paragraph["section"]
            st.subheader(inert(section.rpartition(" > ")[2] or paragraph["title"]), anchor=False)
        is_target = paragraph["id"] == target
        key = "reader-target" if is_target else element_key(paragraph["id"])
        with st.container(border=is_target, key=key):
            link = "./?" + urlencode({"lang": language, "doc": group, "p": paragraph["id"]})  # "/", never "/reader"
            st.caption(f"[¶ {inert(paragraph['id'])}]({link})", help=t("paragraph_link", language))
            if is_target and paragraph["scan"]:
                text_side, page_side = st.columns(2)
                with text_side:
                    show(paragraph, view, quotes)
                with page_side:
                    show_page(qa, paragraph["scan"], quotes, language)
            else:
                show(paragraph, view, quotes if is_target else [])
        if is_target:  # at once, not after the whole document: a long or failing rest never keeps it from scrolling
            scroll_to_target()


def element_key(paragraph_id: str) -> str:
    """An element key (and CSS class) for a paragraph, distinct for every id, ASCII as Streamlit's classes are."""
    # "track05.1" stays readable as para-track05-1; any other id (一-总体目标.1, a-1) gets a digest of itself, so
    # ids that differ only in characters a CSS class cannot hold no longer collide
    if re.fullmatch(r"[A-Za-z0-9_.]+", paragraph_id):
        return f"para-{paragraph_id.replace('.', '-')}"
    readable = re.sub(r"[^A-Za-z0-9_]+", "-", paragraph_id).strip("-")
    return f"para-{readable + '-' if readable else ''}{hashlib.sha1(paragraph_id.encode()).hexdigest()[:10]}"


def ask_about(work: dict, language: str) -> None:
    """Questions about this document as buttons; a click asks it on the chat page."""
    questions = example_questions([work], language, limit=3)
    if not questions:
        return
    st.markdown(f"**{t('ask_about', language)}**")
    with st.container(key="reader-examples"):
        for number, question in enumerate(questions):
            if st.button(label(question), key=f"reader-example-{number}", width="stretch"):
                st.session_state.pending_question = question
                st.switch_page(st.Page(chat.page, url_path="chat"))


def paragraphs_of(qa, group: str, language: str) -> list[dict]:
    """Paragraphs of one document group in document order, with each language version."""
    rows = []
    for key, versions in qa.paragraphs().items():
        if key.partition("#")[0] != group:
            continue
        first = next(iter(versions.values()))[0].metadata
        shown = versions.get(language) or next(iter(versions.values()))
        rows.append({"id": first["paragraph_id"], "start": first["start"], "title": first["title"],
                     "section": shown[0].metadata.get("section", ""),
                     "scan": [p for p in shown if p.metadata.get("place")],
                     "zh": " ".join(p.text for p in versions.get("zh", [])),
                     "en": " ".join(p.text for p in versions.get("en", []))})
    return sorted(rows, key=lambda row: row["start"])


def show(paragraph: dict, view: str, quotes: list[str]) -> None:
    """One paragraph in the chosen view, with the cited quotes highlighted."""
    if view == "both" and paragraph["zh"] and paragraph["en"]:
        left, right = st.columns(2)
        left.markdown(highlight(paragraph["zh"], quotes))
        right.markdown(highlight(paragraph["en"], quotes))
    else:
        text = paragraph.get(view) or paragraph["zh"] or paragraph["en"]
        st.markdown(highlight(text, quotes))


def show_page(qa, passages: list, quotes: list[str], language: str) -> None:
    """The page a recognised paragraph was read from, its quoted lines (else all its lines) outlined."""
    from cityqa.corpus.ocr_layout import quoted_boxes
    from cityqa.errors import CityQAError
    from cityqa.pages import outlined_page

    boxes = [box for p in passages for box in quoted_boxes(p.text, p.metadata["place"], quotes)]
    boxes = boxes or [line[1:6] for p in passages for line in json.loads(p.metadata["place"])]
    page, source = int(boxes[0][0]), passages[0].metadata["source"]
    st.caption(t("ocr_text", language, page=page) + " · " + t("ocr_page", language))
    if any(p.metadata.get("low_confidence") for p in passages):
        st.caption(":warning: " + t("ocr_low", language))
    try:
        png = qa.page_image(source, page)
    except CityQAError as exc:
        st.caption(inert(exc.message(language)))
        return
    with st.container(key="reader-page"):
        st.html(outlined_page(png, [b for b in boxes if int(b[0]) == page], t("ocr_page", language)))


def scroll_to_target() -> None:
    """Scroll the linked paragraph's first highlighted quote (else the paragraph's top) into view once drawn."""
    selector = json.dumps(".st-key-reader-target")
    st.html(f"""<script>
(function () {{
  let tries = 0;
  const marked = el => [...el.querySelectorAll("span")].find(
    s => getComputedStyle(s).backgroundColor !== "rgba(0, 0, 0, 0)");
  const go = () => {{
    const el = window.parent.document.querySelector({selector}) || document.querySelector({selector});
    if (!el) {{ if (tries++ < 50) setTimeout(go, 100); return; }}
    const quote = marked(el);
    if (quote) quote.scrollIntoView({{block: "center"}}); else el.scrollIntoView({{block: "start"}});
  }};
  go();
}})();
</script>""", unsafe_allow_javascript=True)
