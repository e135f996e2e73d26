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
deep_link = "p" in st.query_params or "doc" in st.query_params  # a shared reader link opens on "/", never 404s
pages = [st.Page(chat.page, title=t("chat", language), icon=":material/forum:", url_path="chat",
                 default=not deep_link),
         st.Page(reader.page, title=t("reader", language), icon=":material/menu_book:", url_path="reader",
                 default=deep_link),
         st.Page(evaluation.page, title=t("evaluation", language), icon=":material/analytics:",
                 url_path="evaluation")]
current = st.navigation(pages)
wait_for_index(language)  # the first screen while the index is built: its progress, not a blank wait
with st.spinner(t("loading", language)):  # the first run builds the index: say so before the sidebar needs it
    guarded(get_qa, language)
guarded(lambda: sidebar(language), language)
guarded(current.run, language)
