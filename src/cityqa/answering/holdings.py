"""Own the sentence saying what the corpus holds, as a refusal ends: every title, read naturally for any count."""
from __future__ import annotations

from cityqa.calibration import cutoff
from cityqa.language import base, listed, say

SHOWN = cutoff("holdings.shown")  # titles named before the rest are counted


def titles_held(docs, language: str) -> list[tuple[str, int]]:
    """Each distinct title in the answer's language where it has one, else its own, with how many documents bear it."""
    code = base(language)
    ordered = sorted(docs, key=lambda d: code not in d.meta)  # those readable in the asker's language first
    counts: dict[str, int] = {}
    for title in (d.title(code) for d in ordered):
        if title:  # a file and its scan may share a title: named once, counted, so no other title is crowded out
            counts[title] = counts.get(title, 0) + 1
    return list(counts.items())


def held_sentence(docs, language: str) -> str:
    """"The corpus holds one document: “A”." / "现有2份文档：《A》和《B》。" / "… among them …" for more than SHOWN."""
    docs, code = list(docs), base(language)
    titles, count = titles_held(docs, language)[:SHOWN], len(docs)
    some = sum(n for _, n in titles) < count  # titles left out, or documents without one
    quoted = [say("holdings_title", code, title=t, count=say("holdings_title_count", code, count=_counted(
        n, "holdings_file_counts", "holdings_files", code)) if n > 1 else "") for t, n in titles]
    counted = _counted(count, "holdings_counts", "holdings_documents", code)
    if not quoted:
        return say("holdings_bare", code, count=counted) if count else say("holdings_empty", code)
    return say("holdings_some" if some else "holdings_all", code, count=counted, titles=_joined(
        quoted, code, "holdings_some_pair" if some else "holdings_pair"))


def refusal_text(docs, language: str) -> str:
    """The refusal in the question's language (simplified for zh), ending with what the corpus holds."""
    return say("holdings_refusal", base(language), held=held_sentence(docs, language))


def _counted(count: int, words: str, many: str, code: str) -> str:
    """A count read naturally: the language's words for the first few ("two documents", "2份文档"), else digits."""
    spelled = listed(words, code)
    return spelled[count] if count < len(spelled) else say(many, code, n=count)


def _joined(items: list[str], code: str, pair: str) -> str:
    """"A", "A and B", "A, B and C" / "《A》和《B》", "《A》、《B》、《C》"."""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return say(pair, code, first=items[0], last=items[1])
    return say("holdings_series", code, rest=say("holdings_comma", code).join(items[:-1]), last=items[-1])
