"""Own presentation shared by the UI and exports: inert Markdown, highlighting, citing, examples."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from cityqa.i18n import t
from cityqa.types import FRONT_MATTER

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")
LABEL_SPECIAL = re.compile(r"([\\`*_{}\[\]()!<>~$:|&#])")  # what a Streamlit label renders as markup
URL = re.compile(r"(?:https?|ftp|javascript|data|file|mailto|vbscript):\S+|www\.\S+", re.IGNORECASE)
CJK = re.compile(r"[\u3400-\u9fff]")


def inert(text: str) -> str:
    """Escape Markdown so document or model text renders as plain text: no links, images, HTML or directives."""
    return _escaped(text, MARKDOWN_SPECIAL).replace("\n", "  \n")


def label(text: str) -> str:
    """Escape text for a widget label or a message: links, images, HTML, emphasis, :icons: and $math$ as text."""
    # plain sentences stay as they are ("List the fourteen new tracks."): labels are inline Markdown only
    return " ".join(_escaped(str(text), LABEL_SPECIAL).split())


def _escaped(text: str, special: re.Pattern) -> str:
    pieces, last = [], 0
    for match in URL.finditer(text):  # a URL becomes a code span, so it is never a link or an image source
        pieces += [special.sub(r"\\\1", text[last:match.start()]), code_span(match.group(0))]
        last = match.end()
    pieces.append(special.sub(r"\\\1", text[last:]))
    return "".join(pieces)


def code_span(text: str) -> str:
    """A code span that holds any text (backticks removed), never rendered as a link."""
    return f"`{text.replace('`', '')}`"


def highlight(paragraph: str, quotes: list[str] | str) -> str:
    """Paragraph as inert Markdown with every quote highlighted where it occurs."""
    spans = []
    for quote in [quotes] if isinstance(quotes, str) else quotes:
        start = paragraph.find(quote) if quote else -1
        if start >= 0 and all(start >= b or start + len(quote) <= a for a, b in spans):
            spans.append((start, start + len(quote)))
    out, last = [], 0
    for start, end in sorted(spans):
        out += [inert(paragraph[last:start]), f":orange-background[{inert(paragraph[start:end])}]"]
        last = end
    return "".join(out) + inert(paragraph[last:])


def quotes_of(citation: dict) -> list[str]:
    """Every quoted sentence of a citation card, and its first quote in the paragraph's own language."""
    first = citation.get("original") if citation.get("language") == "zh" else citation.get("quote")
    return list(dict.fromkeys(q for q in [*(citation.get("quotes") or []), first] if q))


def place_of(citation: dict, language: str) -> str:
    """Where a citation stands: its section, else its title; a value only the metadata gives says so."""
    if citation.get("paragraph_id") == FRONT_MATTER:
        return t("from_metadata", language)
    return citation["section"].rpartition(" > ")[2] or citation.get("title", "")


def card_label(citation: dict, language: str, marks: dict[str, str] | None = None) -> str:
    """A source card's header: [n], the place, the paragraph id; the document where only its metadata speaks, or
    where another document shares its title (then with what tells it apart)."""
    place, mark = place_of(citation, language), (marks or {}).get(citation.get("doc_id", ""))
    title = f"{citation['title']} {mark}" if mark else citation["title"]
    if citation["paragraph_id"] == FRONT_MATTER:
        return f"[{citation['n']}] {title} · {place}"
    if mark:
        place = title if place == citation["title"] else f"{title} · {place}"
    return f"[{citation['n']}] {place} · {citation['paragraph_id']}"


def reader_link(citation: dict, language: str) -> str:
    """A reader link that works pasted in a fresh tab: the document, the paragraph, the sentences to mark."""
    quotes = quotes_of(citation) + [q for q in (citation.get("original"), citation.get("translation")) if q]
    params = [("lang", language), ("doc", citation["paragraph_key"].partition("#")[0]),
              ("p", citation["paragraph_id"])]
    params += [("q", q) for q in dict.fromkeys(quotes)]
    return "./?" + urlencode(params)


def language_of(text: str) -> str:
    """'zh' when the text holds Chinese characters, else 'en'."""
    return "zh" if CJK.search(text or "") else "en"


def example_questions(documents: list[dict], language: str, limit: int = 5) -> list[str]:
    """Example questions from the documents' own `examples` lists, else built from their titles and sections."""
    found: list[str] = []
    for doc in documents:
        examples = doc.get("examples") or []
        if isinstance(examples, str):
            examples = [e for e in examples.split("|")]
        found += [str(e).strip() for e in examples if str(e).strip() and language_of(str(e)) == language]
    for doc in documents:
        title = doc.get("title", "")
        if not title:
            continue
        # a heading repeating the title (a document's first heading often is its title) asks nothing new
        sections = [s for s in doc.get("sections", []) if not _overlaps(s, title)][:2]
        if language == "zh":
            found += [f"《{title}》的主要观点是什么？"] + [f"《{title}》中“{s}”部分讲了什么？" for s in sections]
            found.append(f"《{title}》的作者是谁？")
        else:  # a heading in another language is named as a section, not read as an English topic
            found += [f"What are the main points of “{title}”?"]
            found += [f"What does “{title}” say about {s[0].lower() + s[1:] if s[1:2].islower() else s}?"
                      if language_of(s) == "en" else f"What does the section “{s}” say?" for s in sections]
            found.append(f"Who wrote “{title}”?")
    unique = list(dict.fromkeys(found))
    return unique[:limit]


def _overlaps(heading: str, title: str) -> bool:
    """Tell whether a heading and a title say the same (one holds the other, marks and spaces aside)."""
    a, b = (re.sub(r"[\W_]+", "", x).lower() for x in (heading, title))
    return bool(a) and (a in b or b in a)


def reference_list(answers: list[dict], style: str) -> list[str]:
    """The distinct document references cited across answers, in one style, in order of first citation."""
    refs = [c["reference"]["zh" if style == "zh" else "en"] for a in answers for c in a.get("citations", [])]
    return list(dict.fromkeys(refs))


def cite_block(answer: dict, language: str) -> str:
    """Plain text that pastes cleanly into a word processor: the answer, its quotes and one reference list."""
    refs = reference_list([answer], language)
    zh = language == "zh"
    lines = [answer["answer"].strip(), ""]
    for c in answer.get("citations", []):
        where = place_of(c, language)
        number = refs.index(c["reference"]["zh" if zh else "en"]) + 1
        lines.append(f"[{c['n']}] “{c['quote']}”（{where}，文献 {number}）" if zh
                     else f"[{c['n']}] “{c['quote']}” ({where}; reference {number})")
        if c.get("language") == "en" and c.get("original"):
            lines.append(f"    {'原文' if zh else 'Original'}: {c['original']}")
    if refs:
        lines += ["", "参考文献" if zh else "References"] + [f"[{i}] {r}" for i, r in enumerate(refs, 1)]
    return "\n".join(lines).strip() + "\n"
