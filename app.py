"""cityqa Streamlit app: navigation only; pages live in ui/."""
import streamlit as st

from ui import chat, evaluation, reader
from ui.state import interface_language, sidebar_status

st.set_page_config(page_title="cityqa", page_icon="🏙️", layout="wide")
language = interface_language()
pages = [st.Page(chat.page, title="问答 / Chat", icon="💬", url_path="chat", default=True),
         st.Page(reader.page, title="原文 / Reader", icon="📖", url_path="reader"),
         st.Page(evaluation.page, title="评测 / Evaluation", icon="📊", url_path="evaluation")]
st.navigation(pages).run()
sidebar_status(language)
