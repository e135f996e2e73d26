"""cityqa Streamlit app: page setup, the error boundary and navigation; pages live in ui/."""
from pathlib import Path

import streamlit as st
from ui import chat, evaluation, reader
from ui.errors import guarded
from ui.sidebar import sidebar
from ui.starting import wait_for_index
from ui.state import get_qa, start_session
from ui.style import apply_style

from cityqa.i18n import t

st.set_page_config(page_title="cityqa", page_icon=str(Path(__file__).parent / "ui" / "icon.png"), layout="wide")
language = start_session()
apply_style(language)
# a page is linked as "/?page=reader" (or a reader link's "/?doc=…&p=…"): loaded fresh at "/reader" or "/evaluation",
# Streamlit probes "/reader/_stcore/…" first and the console logs two 404s (streamlit#7074); on "/" it never does
opened = "reader" if "p" in st.query_params or "doc" in st.query_params else st.query_params.get("page", "chat")
opened = opened if opened in ("chat", "reader", "evaluation") else "chat"
pages = [st.Page(chat.page, title=t("chat", language), icon=":material/forum:", url_path="chat",
                 default=opened == "chat"),
         st.Page(reader.page, title=t("reader", language), icon=":material/menu_book:", url_path="reader",
                 default=opened == "reader"),
         st.Page(evaluation.page, title=t("evaluation", language), icon=":material/analytics:",
                 url_path="evaluation", default=opened == "evaluation")]
current = st.navigation(pages)
wait_for_index(language)  # the first screen while the index is built: its progress, not a blank wait
with st.spinner(t("loading", language)):  # the first run builds the index: say so before the sidebar needs it
    guarded(get_qa, language)
guarded(lambda: sidebar(language), language)
guarded(current.run, language)
