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


DATE_LABEL = r"(?:Date|Published|日期|发布日期|发布时间)\s*[:：]"
AUTHOR_LABEL = r"(?:Authors?|Written by|By|作者|撰稿|撰文)\s*[:：]"
BYLINE = re.compile(rf"(?:^|\s){AUTHOR_LABEL}\s*(.+?)(?=\s+{DATE_LABEL}|$)", re.IGNORECASE)
DATELINE = re.compile(rf"(?:^|\s){DATE_LABEL}\s*(.+?)(?=\s+{AUTHOR_LABEL}|$)", re.IGNORECASE)


def byline(texts: list[str]) -> dict:
    """Authors and date a document states in its opening lines ("Author: …", "Date: …", "作者：…")."""
    found: dict = {}
    for text in texts[:3]:
        if len(text) > 300:
            continue
        author, date = BYLINE.search(text), DATELINE.search(text)
        if author and "authors" not in found:
            found["authors"] = [{"name": name.strip(), **({"role": role.strip()} if role.strip() else {})}
                                for part in re.split(r"[;；、]|\band\b", author.group(1)) if part.strip()
                                for name, _, role in [part.partition(",") if "," in part else part.partition("，")]]
        if date and "date" not in found:
            found["date"] = iso_date(date.group(1).strip().rstrip("。."))
    return found


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def iso_date(text: str) -> str:
    """A written date as YYYY-MM-DD ("14 February 2024", "2024年3月1日"), or the text as written."""
    lower = text.lower()
    zh = re.match(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", text)
    month = next((i + 1 for i, m in enumerate(MONTHS) if re.search(rf"\b{m[:3]}[a-z]*\b", lower)), 0)
    day_first = re.match(r"(\d{1,2})\s+[a-z]+\.?,?\s+(\d{4})$", lower)
    month_first = re.match(r"[a-z]+\.?\s+(\d{1,2}),?\s+(\d{4})$", lower)
    if zh:
        year, mon, day = zh.groups()
    elif month and (day_first or month_first):
        day, year = (day_first or month_first).groups()
        mon = str(month)
    else:
        return text
    return f"{int(year):04d}-{int(mon):02d}-{int(day):02d}"
