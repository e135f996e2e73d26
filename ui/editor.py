"""Editor sign-in: who may add documents and rebuild; everyone reads and asks."""
from __future__ import annotations

import streamlit as st

from cityqa.editors import key_matches
from cityqa.i18n import t


def is_editor(settings) -> bool:
    """Tell whether this session may change the corpus: no key configured (a local app), or signed in."""
    return settings.editor_key_hash is None or bool(st.session_state.get("editor"))


def sign_in(settings, language: str) -> None:
    """Draw the small sign-in form for readers, or the sign-out button for a signed-in editor."""
    if settings.editor_key_hash is None:
        return
    if st.session_state.get("editor"):
        st.caption(t("editor_signed_in", language))
        if st.button(t("sign_out", language), key="sign_out"):
            st.session_state.editor = False
            st.rerun()
        return
    with st.expander(t("editor_sign_in", language)), st.form("editor_sign_in", border=False, clear_on_submit=True):
        key = st.text_input(t("editor_key", language), type="password", key="editor_key")
        if st.form_submit_button(t("sign_in", language)):
            if key and key_matches(key, settings.editor_key_hash.get_secret_value()):
                st.session_state.editor = True
                st.rerun()
            st.error(t("editor_wrong", language))
