"""Own hidden text: what a reader of the page or document never sees is not indexed (HTML hiding, .docx w:vanish)."""
from __future__ import annotations

import re

HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|font-size\s*:\s*0(?:px|pt|em|rem|%)?\s*(?:;|$)|text-indent\s*:\s*-\d{3,}"
    r"|(?:left|top|right|bottom)\s*:\s*-\d{3,}|clip\s*:\s*rect\(\s*0|(?:width|height)\s*:\s*0(?:px)?\s*;[^\"]*overflow\s*:"
    r"\s*hidden",
    re.IGNORECASE)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def drop_hidden_html(soup) -> None:
    """Remove the elements a browser does not show: `hidden`, display:none, visibility:hidden, off-screen, zero size."""
    for tag in soup.find_all(True):
        if getattr(tag, "decomposed", False):  # inside an element already removed
            continue
        attrs = getattr(tag, "attrs", None) or {}
        if "hidden" in attrs or HIDING_STYLE.search(str(attrs.get("style", ""))):
            tag.decompose()


def visible_docx_text(paragraph) -> str:
    """A .docx paragraph's text without its hidden runs (w:vanish), or "" when the paragraph mark itself is hidden."""
    runs = paragraph._p.iter(f"{W}r")
    kept = []
    for run in runs:
        if _vanished(run.find(f"{W}rPr")):
            continue
        for part in run:
            if part.tag == f"{W}t":
                kept.append(part.text or "")
            elif part.tag == f"{W}tab":
                kept.append("\t")
            elif part.tag in (f"{W}br", f"{W}cr"):
                kept.append("\n")
    return "".join(kept)


def _vanished(properties) -> bool:
    if properties is None:
        return False
    for tag in ("vanish", "specVanish"):
        found = properties.find(f"{W}{tag}")
        if found is not None and found.get(f"{W}val", "true").lower() not in ("false", "0", "off"):
            return True
    return False
