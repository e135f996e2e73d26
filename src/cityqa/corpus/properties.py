"""Own file properties: title, authors and date read from .docx core properties, PDF info and HTML head."""
from __future__ import annotations

import io
import re


def file_properties(suffix: str, data: bytes) -> dict:
    """Return front-matter-like metadata a file carries about itself ({} when it has none or is unreadable)."""
    readers = {".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html}
    try:
        found = readers[suffix](data) if suffix in readers else {}
    except Exception:  # properties are optional: a damaged one must not cost the document
        return {}
    return {key: value for key, value in found.items() if value}


def _authors(text: str | None) -> list[dict]:
    return [{"name": name.strip()} for name in re.split(r"[;,、；]|\band\b", text or "") if name.strip()]


def _docx(data: bytes) -> dict:
    import docx

    core = docx.Document(io.BytesIO(data)).core_properties
    created = core.created.date().isoformat() if core.created else ""
    return {"title": core.title, "authors": _authors(core.author), "date": created, "summary": core.subject}


def _pdf(data: bytes) -> dict:
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(data)).metadata or {}
    created = str(info.get("/CreationDate") or "")
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    return {"title": str(info.get("/Title") or ""), "authors": _authors(str(info.get("/Author") or "")),
            "date": "-".join(match.groups()) if match else "", "summary": str(info.get("/Subject") or "")}


def _html(data: bytes) -> dict:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data[:200_000], "html.parser")

    def meta(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
            if tag and tag.get("content"):
                return str(tag["content"]).strip()
        return ""

    canonical = soup.find("link", rel="canonical")
    return {"title": meta("og:title", "citation_title") or (soup.title.get_text(strip=True) if soup.title else ""),
            "authors": _authors(meta("author", "citation_author")), "date": meta("citation_date", "date",
                                                                                  "article:published_time")[:10],
            "publisher": meta("og:site_name", "publisher"), "summary": meta("description", "og:description"),
            "url": str(canonical["href"]) if canonical and canonical.get("href") else meta("og:url"),
            "doc_type": "web"}
