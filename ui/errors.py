"""Error boundary: a friendly bilingual message with a reference id on the page, the details in the server log."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import streamlit as st

from cityqa.errors import CityQAError
from cityqa.i18n import t
from cityqa.present import inert

log = logging.getLogger("cityqa.ui")


def guarded(draw: Callable[[], None], language: str) -> None:
    """Run a drawing function; on an unexpected error log it and show a reference id instead of a traceback."""
    try:
        draw()
    except CityQAError as exc:  # a user error (missing index, wrong model…): its own one line, what to do next
        st.error(inert(exc.message(language)), icon=":material/error:")  # it may quote a name a visitor gave
    except Exception:  # Streamlit's rerun and stop signals are BaseExceptions and pass through
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", ref)
        st.error(t("error", language, ref=ref), icon=":material/error:")
