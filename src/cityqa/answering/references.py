"""Own document references: GB/T 7714-2015 (Chinese) and APA 7 (English) built from document metadata."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from cityqa.calibration import cutoff
from cityqa.language import cue, words
from cityqa.types import Hit

CJK = cue("references_han")  # a Chinese name or title
NEWSPAPER_WORDS = cue("references_newspaper")  # "…报", "The … Times"
HONORIFICS = words("references_honorifics")  # "Dr.", "Prof.": a title before a name is no initial
TYPE_CODES = {"newspaper": "N", "report": "R", "web": "EB/OL", "document": "Z", "book": "M", "journal": "J"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def references(hit: Hit, today: dt.date | None = None) -> dict[str, str]:
    """Format the reference of a cited paragraph's document in the Chinese and the English style."""
    versions = [v[0].metadata for v in hit.versions.values() if v]
    # the original is the version whose id names the work; a translation is any other version
    original = next((m for m in versions if m.get("doc_id") == m.get("group")), None) or hit.meta
    translation = next((m for m in versions if m is not original), {})
    return format_references(original, translation, today)


def format_references(meta: dict, translation: dict | None = None, today: dt.date | None = None) -> dict[str, str]:
    """Both reference styles for a document, from its metadata and its translation's metadata, if any."""
    work = describe(meta, translation or {})
    return {"zh": gbt7714(work, today or dt.date.today()) + meta.get("date_note_zh", ""),
            "en": apa7(work) + meta.get("date_note_en", "")}  # the corpus labels a date taken from file properties


def describe(meta: dict, translation: dict) -> dict:
    """Normalise document metadata into the fields a reference needs."""
    get = lambda key: str(meta.get(key) or "").strip()  # noqa: E731
    publication = get("publication")
    newspaper = get("newspaper") or _between(publication, "《", "》") or ""
    title = get("title")
    source = get("source")
    if title and source and title == PurePosixPath(source).stem:  # a file name is no title: make it readable
        title = " ".join(part for part in title.replace("_", "-").split("-") if part).strip().capitalize()
    title_en = get("title_en") or str(translation.get("title") or "")
    authors = _split(get("authors") or get("author"), "、，,;；")
    authors_en = _split(get("authors_en"), ",;")
    if not authors_en and authors and not any(CJK.search(a) for a in authors):
        authors_en = authors
    return {
        "type": doc_type(meta, newspaper), "title": title, "title_en": title_en if title_en != title else "",
        "language": get("language") or ("zh" if CJK.search(title) else "en"),
        "authors": authors, "authors_en": authors_en, "surname_first": any(CJK.search(a) for a in authors),
        "publisher": get("publisher"), "publisher_en": get("publisher_en") or str(translation.get("publisher") or ""),
        "place": get("place"), "date": get("date") or get("created"),
        "newspaper": newspaper, "newspaper_en": get("newspaper_en"),
        "page": get("page") or (_match(cue("references_page"), publication)), "url": get("url"),
        "accessed": get("accessed"),
        "publication": publication, "volume": get("volume"), "issue": get("issue"),
    }


def doc_type(meta: dict, newspaper: str = "") -> str:
    """The document's kind: the front matter's doc_type, else guessed from its fields and file type."""
    given = str(meta.get("doc_type") or "").strip().lower()
    if given:
        return {"web page": "web", "webpage": "web", "article": "newspaper"}.get(given, given)
    if newspaper or NEWSPAPER_WORDS.search(str(meta.get("publication") or "")):
        return "newspaper"
    if str(meta.get("source", "")).lower().endswith((".html", ".htm")) or meta.get("url"):
        return "web"
    if meta.get("publisher") and not meta.get("publication"):
        return "report"
    return "journal" if meta.get("publication") else "document"  # appeared in a periodical: not unpublished


def gbt7714(work: dict, today: dt.date) -> str:
    """Format a reference after GB/T 7714-2015 (顺序编码制 entry, without the number)."""
    kind, date = work["type"], work["date"]
    creators = _gbt_names(work["authors"]) or work["publisher"]
    head = f"{work['title']}[{TYPE_CODES.get(kind, 'Z')}]"
    if kind == "newspaper":
        page = f"({work['page']})" if work["page"] else ""
        tail = f"{work['newspaper'] or work['publication']}, {date}{page}" if date else work["newspaper"]
    elif kind == "web":
        accessed = work["accessed"] or today.isoformat()
        tail = (f"({date})" if date else "") + f"[{accessed}]" + (f". {work['url']}" if work["url"] else "")
    elif kind == "journal":  # 刊名, 年, 卷(期): 页码
        when = date[:4] + (f", {work['volume']}" if work["volume"] else "")
        when += f"({work['issue']})" if work["issue"] else ""
        tail = ", ".join(x for x in (work["publication"], when) if x) + (f": {work['page']}" if work["page"] else "")
    elif kind in ("report", "book"):
        where = f"{work['place']}: " if work["place"] else ""
        tail = ", ".join(x for x in (where + work["publisher"], date[:4]) if x.strip())
    else:
        tail = ", ".join(x for x in (work["publisher"] if work["publisher"] != creators else "", date[:4]) if x)
    return ". ".join(p for p in (creators, head, tail) if p) + "."


def apa7(work: dict) -> str:
    """Format a reference after APA 7, with the English translation of a non-English title in brackets."""
    kind, date = work["type"], work["date"]
    publisher = work["publisher_en"] or work["publisher"]
    authors = _apa_names(work["authors_en"], work["surname_first"]) or publisher  # a group author
    if authors == publisher:
        publisher = ""
    when = f"({_apa_date(date, full=kind in ('newspaper', 'web'))})"
    title = work["title"] + (f" [{work['title_en']}]" if work["title_en"] else "")
    if kind == "document":
        title += " [Unpublished document]"
    if kind == "newspaper":
        paper = work["newspaper"] or work["publication"]
        if work["newspaper_en"] and work["newspaper_en"] != paper:
            paper += f" [{work['newspaper_en']}]"
        rest = ", ".join(x for x in (paper, work["page"]) if x)
    elif kind == "journal":  # Journal, volume(issue), pages
        numbers = work["volume"] + (f"({work['issue']})" if work["issue"] else "")
        rest = ", ".join(x for x in (work["publication"], numbers, work["page"]) if x)
    else:
        rest = publisher
    lead = f"{authors.rstrip('.')}. {when}" if authors else f"{title}. {when}"
    body = [lead, title if authors else "", rest]
    text = ". ".join(p.rstrip(".") for p in body if p) + "."
    if kind == "web" and work["url"]:
        text += f" {work['url']}"
    return text


def _gbt_names(names: list[str]) -> str:
    """Authors for GB/T 7714: at most three, then 等 / et al; Latin names as SURNAME Initials."""
    most = cutoff("references.gbt_authors")
    shown = [n if CJK.search(n) else _latin_gbt(n) for n in names[:most]]
    if len(names) > most:
        shown.append("等" if CJK.search(names[0]) else "et al")
    return ", ".join(shown)


def _latin_gbt(name: str) -> str:
    """'Jane A. Smith' → 'SMITH J A' (GB/T 7714 for Western names)."""
    *given, surname = _name_words(name)
    return " ".join([surname.upper(), *(g[0].upper() for g in given)])


def _apa_names(names: list[str], surname_first: bool) -> str:
    """Authors for APA 7: 'Surname, I.' joined with commas and '&'."""
    formatted = []
    for name in names[:cutoff("references.apa_authors")]:
        parts = _name_words(name)
        if not parts:
            continue
        surname, given = (parts[0], parts[1:]) if surname_first else (parts[-1], parts[:-1])
        initials = " ".join(f"{g[0].upper()}." for g in given)
        formatted.append(f"{surname}, {initials}" if initials else surname)
    if len(formatted) <= 1:
        return "".join(formatted)
    return ", ".join(formatted[:-1]) + ", & " + formatted[-1]


def _name_words(name: str) -> list[str]:
    """A Latin name's words without the titles before it ('Dr. Helen Park' → Helen, Park)."""
    parts = name.replace(".", " ").split()
    while len(parts) > 1 and parts[0].lower() in HONORIFICS:
        parts = parts[1:]
    return parts


def _apa_date(date: str, full: bool) -> str:
    """'2023-03-20' → '2023, March 20' (full) or '2023'; 'n.d.' when unknown."""
    match = re.match(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", date)
    if not match:
        return "n.d."
    year, month, day = match.groups()
    if not full or not month:
        return year
    return f"{year}, {MONTHS[int(month) - 1]}" + (f" {int(day)}" if day else "")


def _split(value: str, separators: str) -> list[str]:
    """Split a joined author field into names."""
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", value) if part.strip()] if value else []


def _between(text: str, left: str, right: str) -> str:
    """The text between the first left and the next right mark, or ''."""
    start = text.find(left)
    end = text.find(right, start + 1)
    return text[start + 1:end] if start >= 0 and end > start else ""


def _match(pattern: re.Pattern, text: str) -> str:
    """The first group of a pattern's match, or ''."""
    match = pattern.search(text)
    return match.group(1) if match else ""
