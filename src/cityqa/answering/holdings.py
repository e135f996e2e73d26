"""Own the sentence saying what the corpus holds, as a refusal ends: every title, read naturally for any count."""
from __future__ import annotations

SHOWN = 3  # titles named before the rest are counted
EN_COUNTS = ("no documents", "one document", "two documents", "three documents")
ZH_COUNTS = ("没有文档", "1份文档", "2份文档", "3份文档")


def titles_held(docs, language: str) -> list[tuple[str, int]]:
    """Each distinct title in the answer's language where it has one, else its own, with how many documents bear it."""
    base = "en" if language == "en" else "zh"
    ordered = sorted(docs, key=lambda d: base not in d.meta)  # those readable in the asker's language first
    counts: dict[str, int] = {}
    for title in (d.title(base) for d in ordered):
        if title:  # a file and its scan may share a title: named once, counted, so no other title is crowded out
            counts[title] = counts.get(title, 0) + 1
    return list(counts.items())


def held_sentence(docs, language: str) -> str:
    """"The corpus holds one document: “A”." / "现有2份文档：《A》和《B》。" / "… among them …" for more than SHOWN."""
    docs = list(docs)
    titles, count = titles_held(docs, language)[:SHOWN], len(docs)
    some = sum(n for _, n in titles) < count  # titles left out, or documents without one
    if language == "en":
        quoted = [f"“{t}”" + (f" ({_en_count(n, 'files')})" if n > 1 else "") for t, n in titles]
        if not quoted:
            return f"The corpus holds {_en_count(count)}."
        if some:
            return f"The corpus holds {_en_count(count)}, among them {_en_join(quoted)}."
        return f"The corpus holds {_en_count(count)}: {_en_join(quoted)}."
    quoted = [f"《{t}》" + (f"（{n}份）" if n > 1 else "") for t, n in titles]
    counted = ZH_COUNTS[count] if count < len(ZH_COUNTS) else f"{count}份文档"
    if not quoted:
        return f"现有{counted}。" if count else "现在没有文档。"
    if some:
        return f"现有{counted}，包括{'、'.join(quoted)}等。"
    return f"现有{counted}：{'和'.join(quoted) if len(quoted) == 2 else '、'.join(quoted)}。"


def refusal_text(docs, language: str) -> str:
    """The refusal in the question's language (simplified for zh), ending with what the corpus holds."""
    lead = "The documents do not answer this question." if language == "en" else "语料中没有能回答这个问题的内容。"
    return f"{lead} {held_sentence(docs, language)}" if language == "en" else lead + held_sentence(docs, language)


def _en_count(count: int, noun: str = "documents") -> str:
    words = EN_COUNTS[count] if count < len(EN_COUNTS) else f"{count} documents"
    return words.replace("documents", noun)


def _en_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
