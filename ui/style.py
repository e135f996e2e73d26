"""Page style: Streamlit's own English widget text replaced in the interface language, the status widget hidden."""
from __future__ import annotations

import json

import streamlit as st

from cityqa.i18n import t

CSS = """
<style>
[data-testid="stStatusWidget"], [data-testid="InputInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {button}; }}
[data-testid="stFileUploaderDropzoneInstructions"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: {hint}; font-size: 0.8rem; opacity: 0.7; }}
.st-key-welcome-examples button, .st-key-reader-examples button {{ text-align: left; justify-content: flex-start; }}
</style>
"""


def apply_style(language: str) -> None:
    """Inject the page CSS for this interface language."""
    from cityqa.settings import Settings

    mb = min(Settings().max_file_mb, 20)
    css = CSS.format(button=json.dumps(t("upload_button", language), ensure_ascii=False),
                     hint=json.dumps(t("upload_hint", language, mb=f"{mb:g}"), ensure_ascii=False))
    st.html(css)
