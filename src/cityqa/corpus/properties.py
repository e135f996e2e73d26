"""Own file properties and stated metadata: the dates, authors and title a file or its opening lines give."""
from __future__ import annotations

import io
import re

from cityqa.corpus.carriers import carrier
from cityqa.i18n import t


def file_properties(suffix: str, data: bytes) -> dict:
    """Return front-matter-like metadata a file carries about itself ({} when it has none or is unreadable)."""
    readers = {".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html}
    try:
        found = readers[suffix](data) if suffix in readers else {}
    except Exception:  # properties are optional: a damaged one must not cost the document
        return {}
    if PLACEHOLDER_TITLE.match(str(found.get("title") or "")):
        found["title"] = ""  # a tool's default ("untitled", "Microsoft Word - a.docx") names no document
    return {key: value for key, value in found.items() if value}


PLACEHOLDER_TITLE = re.compile(r"^\s*(?:untitled\b|无标题|無標題|microsoft word -)", re.IGNORECASE)


def _authors(text: str | None) -> list[dict]:
    return [{"name": name.strip()} for name in re.split(r"[;,、；]|\band\b", text or "") if name.strip()]


def _docx(data: bytes) -> dict:
    import docx

    core = docx.Document(io.BytesIO(data)).core_properties
    created = core.created.date().isoformat() if core.created else ""
    return {"title": core.title, "authors": _authors(core.author), "created": created, "summary": core.subject}


def _pdf(data: bytes) -> dict:
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(data)).metadata or {}
    created = str(info.get("/CreationDate") or "")
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    return {"title": str(info.get("/Title") or ""), "authors": _authors(str(info.get("/Author") or "")),
            "created": "-".join(match.groups()) if match else "", "summary": str(info.get("/Subject") or "")}


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
# a line naming who issued the document ("发布单位：霁川市交通运输局", "Issued by: Harbour Office")
ISSUER = re.compile(r"^\s*(?:Issued by|Publisher|Published by|发布单位|发布机构|印发单位|发文单位)\s*[:：]"
                    r"\s*(.{2,80}?)\s*$", re.IGNORECASE)


def byline(texts: list[str]) -> dict:
    """Authors, date, issuer and publication a document states ("Author: …", "发布单位：…", "原载《…》"), or a date."""
    found: dict = {}
    for text in texts[:6]:  # a scan's cover may give title, authors, publisher and date a line each
        if len(text) > 300:
            continue
        author, date, issuer = BYLINE.search(text), DATELINE.search(text), ISSUER.match(text)
        if issuer and "publisher" not in found:
            found["publisher"] = issuer.group(1).rstrip("。.")
        if author and "authors" not in found:
            found["authors"] = [stated_author(part) for part in AUTHOR_SEPARATOR.split(author.group(1)) if part.strip()]
        if date and "date" not in found:
            found["date"] = iso_date(date.group(1).strip().rstrip("。."))
    # where the text appeared, said in its opening lines or at its end ("Published in the Harbour Review, Issue 4.")
    found.update(next((where for text in texts[:6] + texts[-2:] if len(text) <= 300 and (where := carrier(text))),
                      {}))
    # a line that is only a date, under the title or signed at the end ("雁澜市人民政府 2025年2月18日")
    lines = [line.strip() for text in texts[:3] + texts[-2:] for line in text.split("\n")]
    dated = next((iso_date(m.group(0)) for line in lines if len(line) <= 40 and (m := _date_line(line))), "")
    return found if "date" in found or not dated else {**found, "date": dated}


# between authors ("李明、王芳", "Ada Lane and Ben Cho"), never inside an affiliation's brackets ("（规划院、设计院）")
AUTHOR_SEPARATOR = re.compile(r"(?:[;；、]|\band\b)(?![^（(]*[）)])")
AFFILIATION = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<role>[^）)]+)[）)]\s*$")


def stated_author(part: str) -> dict:
    """One author of a byline: the name, and the role or affiliation after a comma or in brackets."""
    bracketed = AFFILIATION.match(part.strip())
    if bracketed:
        name, role = bracketed.group("name"), bracketed.group("role")
    else:
        name, _, role = part.partition("," if "," in part else "，")
    return {"name": name.strip(), **({"role": role.strip()} if role.strip() else {})}


def dated(meta: dict) -> dict:
    """Metadata whose date is when the document says it was published, else the file's own date, labelled so."""
    if meta.get("date") or not meta.get("created"):
        return meta
    created = str(meta["created"])  # when the file was made, not when the text was published: the reference says so
    return {**meta, "date": created, "date_note_zh": t("file_date_note", "zh", date=created),
            "date_note_en": t("file_date_note", "en", date=created)}


MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATES = [re.compile(r"(?P<year>\d{4})\s*年\s*(?P<mon>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?"),
         re.compile(r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b"),
         re.compile(rf"(?P<day>\d{{1,2}})\s+{MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
         re.compile(rf"{MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# a labelled date may name only the month ("Date: March 2025", "日期：2025年3月"); a date line of its own may not
MONTH_DATES = [re.compile(r"(?P<year>\d{4})\s*年\s*(?P<mon>\d{1,2})\s*月(?!\s*\d)"),
               re.compile(rf"{MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)]


def iso_date(text: str) -> str:
    """A written date at the start of text as YYYY-MM-DD or YYYY-MM ("14 February 2024", "2024年3月"), else the text."""
    match = next((m for pattern in DATES + MONTH_DATES if (m := pattern.match(text.strip()))), None)
    if not match:
        return text
    groups = match.groupdict()
    month = int(groups["mon"]) if groups.get("mon") else MONTHS.index(groups["month"].lower()) + 1
    day = f"-{int(groups['day']):02d}" if groups.get("day") else ""
    return f"{int(groups['year']):04d}-{month:02d}{day}"


def _date_line(line: str) -> re.Match | None:
    """The full date ending a line that holds nothing else but a name before it (an issuer, never a sentence)."""
    for pattern in DATES:
        match = next((m for m in pattern.finditer(line) if m.end() == len(line.rstrip("。."))), None)
        if match and not re.search(r"[。！？!?，,；;：:]|[.]\s", line[:match.start()]):
            return match
    return None
