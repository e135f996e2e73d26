"""Page style: Streamlit's English widget text in the interface language, the status widget hidden, highlights seen."""
from __future__ import annotations

import json

import streamlit as st

from cityqa.i18n import t

# a quote's highlight: amber at 45 % reads on both themes (≈1.35:1 against white, ≈6:1 under light text on dark)
HIGHLIGHT, UNDERLINE = "rgba(255, 170, 0, 0.45)", "rgba(230, 120, 0, 0.9)"
CSS = """
<style>
[data-testid="stStatusWidget"], [data-testid="InputInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {button}; }}
[data-testid="stFileUploaderDropzoneInstructions"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: {hint}; font-size: 0.8rem; opacity: 0.7; }}
[data-testid="stFileChip"][aria-invalid="true"] [role="alert"] {{ display: none; }}
[data-testid="stTooltipErrorContent"] {{ display: none; }}
[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div::after {{ content: {refused}; }}
.st-key-welcome-examples button, .st-key-reader-examples button {{ text-align: left; justify-content: flex-start; }}
/* a touch screen shows a table's toolbar always, just above it: a gap keeps it off the cells above */
@media (hover: none), (max-width: 640px) {{ .stDataFrame {{ margin-top: 2.75rem; }} }}
.stMarkdownColoredBackground {{ background-color: {highlight} !important; border-bottom: 2px solid {underline}; }}
</style>
"""


def apply_style(language: str) -> None:
    """Inject the page CSS for this interface language."""
    st.html(page_css(language))


def page_css(language: str) -> str:
    """The page CSS: the uploader's button, hint and refusal (Streamlit's own "File must be …") in the language."""
    from cityqa.settings import Settings

    mb = min(Settings().max_file_mb, 20)  # .streamlit/config.toml maxUploadSize: Streamlit refuses above it
    text = {key: json.dumps(t(key, language, mb=f"{mb:g}"), ensure_ascii=False)
            for key in ("upload_button", "upload_hint", "upload_too_big")}
    return CSS.format(button=text["upload_button"], hint=text["upload_hint"], refused=text["upload_too_big"],
                      highlight=HIGHLIGHT, underline=UNDERLINE)
