"""Own the conversation exports: Markdown that reads as plain text without needless escapes, and Word (.docx)."""
from __future__ import annotations

import datetime as dt
import io
import re

from cityqa.i18n import t
from cityqa.present import URL, code_span, place_of

# Escaped only where it would act: emphasis, code, strikethrough, HTML, entities, escapes, and a closing bracket
# that could open a link, an image or a link definition (no definition, so "[1][2]" is no link either);
# "I'm", "(2023)" and "[1]" stay as they are
ACTIVE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[`*~]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
                    r"|\](?=[(:])")
LINE_START = re.compile(r"(\n[ \t]*)(?:([#>+=|:-])|(\d+)([.)]))")  # a heading, quote, list or table row
STYLES = {"zh": ("zh", "en"), "en": ("en", "zh")}  # the interface language's reference style first


def plain(text: str) -> str:
    """Markdown that renders as the text itself: URLs as code spans, markup escaped only where it would act."""
    pieces, last = [], 0
    for match in URL.finditer(text):  # a URL becomes a code span, so it is never a link or an image source
        pieces += [_escape(text[last:match.start()]), code_span(match.group(0))]
        last = match.end()
    pieces.append(_escape(text[last:]))
    return "".join(pieces).replace("\n", "  \n")


def _escape(text: str) -> str:
    """Escape the markup characters of URL-free text that would act where they stand."""
    text = ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)),
                          text)


def references_of(answers: list[dict]) -> list[dict]:
    """The distinct documents cited across answers, each with both reference styles, in order of first citation."""
    found = {(c["reference"]["zh"], c["reference"]["en"]): c["reference"] for a in answers
             for c in a.get("citations", [])}
    return list(found.values())


def blocks(turns: list[dict], language: str, corpus: list[dict] | None, when: dt.datetime | None) -> list[tuple]:
    """The conversation as (kind, text) blocks that each export format draws its own way."""
    when = when or dt.datetime.now().astimezone()
    out = [("title", t("export_title", language)),
           ("meta", t("exported_at", language, when=when.strftime("%Y-%m-%d %H:%M %Z").strip()))]
    if corpus:
        out.append(("meta", t("export_corpus", language, names="; ".join(d.get("title") or d.get("source", "")
                                                                          for d in corpus))))
    answers = [turn["answer"] for turn in turns if turn["role"] == "assistant"]
    refs = references_of(answers)
    for turn in turns:
        if turn["role"] == "user":
            out.append(("question", t("export_q", language, text=turn["content"])))  # labels: the interface's
            continue
        answer = turn["answer"]
        if answer.get("understood_as"):
            out.append(("note", t("understood_as", language, text=answer["understood_as"])))
        out.append(("answer", t("export_a", language), answer["answer"].strip()))
        if answer.get("refused"):
            out.append(("note", t("export_refused", language)))
        for c in answer.get("citations", []):
            number = refs.index(c["reference"]) + 1
            where = place_of(c, language)
            quoted = " ".join(f"“{q}”" for q in dict.fromkeys([c["quote"], *(c.get("quotes") or [])]) if q)
            out += [("quote", f"[{c['n']}] {quoted}"),  # every sentence quoted from the paragraph, in order
                    ("source", t("export_source", language, where=where, number=number))]
            if c.get("language") == "en" and c.get("original") and c["original"] != c["quote"]:  # a translation
                out.append(("source", t("export_original", language, text=c["original"])))
    if refs:
        out.append(("heading", t("references", language)))
        for style in STYLES[language]:
            out.append(("subheading", t(f"style_{style}", language)))
            out += [("reference", f"[{i}] {ref[style]}") for i, ref in enumerate(refs, 1)]
    return out


def conversation_markdown(turns: list[dict], language: str, corpus: list[dict] | None = None,
                          when: dt.datetime | None = None) -> str:
    """Export a conversation as Markdown: date, corpus, notes, answers, quotes, both reference lists."""
    draw = {"title": "# {}", "meta": "- {}", "question": "## {}", "note": "*{}*", "quote": "> {}",
            "source": "> {}", "heading": "## {}", "subheading": "### {}", "reference": "{}"}
    out, previous = [], None
    for kind, *texts in blocks(turns, language, corpus, when):
        line = (f"**{plain(texts[0])}** {plain(texts[1])}" if kind == "answer"
                else draw[kind].format(plain(texts[0])))
        if kind in ("quote", "source"):  # a quote of several lines stays in its block quote, each line marked
            line = line.replace("\n", "\n> ")
        if previous == "meta" and kind == "meta":
            out.append("\n")
        elif kind == "source":  # a quote and its sources stay one block quote, a line each
            out.append("  \n")
        elif previous:
            out.append("\n\n")
        out.append(line)
        previous = kind
    return "".join(out) + "\n"


def conversation_docx(turns: list[dict], language: str, corpus: list[dict] | None = None,
                      when: dt.datetime | None = None) -> bytes:
    """Export a conversation as a Word document: date, corpus, notes, answers, quotes, both reference lists."""
    import docx

    document = docx.Document()
    headings = {"title": 0, "question": 2, "heading": 1, "subheading": 3}
    for kind, *texts in blocks(turns, language, corpus, when):
        if kind in headings:
            document.add_heading(texts[0], level=headings[kind])
        elif kind == "answer":
            paragraph = document.add_paragraph()
            paragraph.add_run(texts[0]).bold = True
            paragraph.add_run(" " + texts[1])
        elif kind == "note":
            document.add_paragraph().add_run(texts[0]).italic = True
        else:
            document.add_paragraph(texts[0], style="Quote" if kind in ("quote", "source") else None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
