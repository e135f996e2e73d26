"""Own presentation shared by the UI and exports: inert Markdown, quote highlighting, conversation export."""
from __future__ import annotations

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


URL = re.compile(r"(?:https?|ftp|javascript|data|file)://\S+|www\.\S+", re.IGNORECASE)


def inert(text: str) -> str:
    """Escape Markdown so document or model text renders as plain text: no links, images, HTML or directives."""
    pieces, last = [], 0
    for match in URL.finditer(text):  # a URL becomes a code span, so it is never auto-linked
        pieces += [MARKDOWN_SPECIAL.sub(r"\\\1", text[last:match.start()]), f"`{match.group(0).replace('`', '')}`"]
        last = match.end()
    pieces.append(MARKDOWN_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(pieces).replace("\n", "  \n")


def highlight(paragraph: str, quote: str) -> str:
    """Paragraph as inert Markdown with the quote highlighted where it occurs."""
    start = paragraph.find(quote) if quote else -1
    if start < 0:
        return inert(paragraph)
    end = start + len(quote)
    return f"{inert(paragraph[:start])}:orange-background[{inert(quote)}]{inert(paragraph[end:])}"


def reference_with_quote(citation: dict, style: str) -> str:
    """The text a staff member pastes: the quote, the original when translated, and the reference."""
    lines = [f"“{citation['quote']}”"]
    if citation.get("language") == "en" and citation.get("original"):
        lines.append(f"原文：{citation['original']}")
    lines.append(citation["reference"]["zh" if style == "zh" else "en"])
    return "\n".join(lines)


def conversation_markdown(turns: list[dict], language: str) -> str:
    """Export a conversation (user questions and answer dicts) as Markdown with quotes and references."""
    zh = language == "zh"
    out = ["# cityqa 对话记录" if zh else "# cityqa conversation", ""]
    for turn in turns:
        if turn["role"] == "user":
            out += [f"## {'问' if zh else 'Q'}: {turn['content']}", ""]
            continue
        answer = turn["answer"]
        out += [answer["answer"], ""]
        if answer.get("refused"):
            out += ["*" + ("报告未回答此问题。" if zh else "Not answered by the report.") + "*", ""]
        for c in answer.get("citations", []):
            out += [f"[{c['n']}] {c['section']} · {c['paragraph_id']}", "", f"> {c['quote']}", ""]
            if c.get("language") == "en" and c.get("original"):
                out += [f"> 原文：{c['original']}", ""]
            out += [f"- {c['reference']['zh']}", f"- {c['reference']['en']}", ""]
    return "\n".join(out)
