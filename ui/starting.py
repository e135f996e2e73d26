"""First screen while the index is built: what is happening and how far it has come, redrawn until it is ready."""
from __future__ import annotations

import time

import streamlit as st

from cityqa.i18n import t
from ui.state import index_build

REDRAW_S = 0.5  # how often the progress is redrawn while the index is built


def wait_for_index(language: str) -> None:
    """Return when the QA object is ready; until then draw the build's progress and rerun (the page stops here)."""
    build = index_build()
    if build.ready():
        return
    st.title(t("title", language))
    st.caption(t("subtitle", language))
    fraction = min(build.done / build.total, 1.0) if build.total else 0.0
    st.progress(fraction, text=t(f"building_{build.stage}", language, done=build.done, total=build.total))
    st.caption(t("building_note", language))
    time.sleep(REDRAW_S)
    st.rerun()
