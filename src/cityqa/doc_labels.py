"""Own telling apart documents whose titles repeat (a .docx and its scan): the file type, else the file name."""
from __future__ import annotations

from pathlib import PurePosixPath


def repeated_titles(docs: list[dict]) -> dict[str, str]:
    """What tells each document apart, by doc_id, for those whose title another work shares: "(.docx)", "(name.md)"."""
    by_title: dict[str, list[dict]] = {}
    for doc in docs:
        by_title.setdefault(doc["title"], []).append(doc)
    marks = {}
    for same in by_title.values():
        if len({doc["group"] for doc in same}) < 2:  # an original and its translation are one work
            continue
        kinds = [PurePosixPath(doc["source"]).suffix.lower() or PurePosixPath(doc["source"]).name for doc in same]
        for doc, kind in zip(same, kinds):
            marks[doc["doc_id"]] = f"({kind})" if kinds.count(kind) == 1 else f"({PurePosixPath(doc['source']).name})"
    return marks


def shown_title(title: str, doc_id: str, marks: dict[str, str]) -> str:
    """A title as listed: with what tells it apart where another document bears it too."""
    return f"{title} {marks[doc_id]}" if doc_id in marks else title
