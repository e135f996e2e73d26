"""Own answers to "who is the <role>?" from a document's author roles: the person named first, then cited."""
from __future__ import annotations

import re

from cityqa.answering.compose import Composer
from cityqa.answering.context import CorpusContext
from cityqa.answering.structure import DocInfo
from cityqa.calibration import cutoff
from cityqa.corpus.text import to_simplified
from cityqa.language import base, cue, listed, say, spaced

SEGMENT = cue("roles_segment")  # one role of an author's several ("editor-in-chief …; research fellow, …")
HEAD = cue("roles_held_in")  # what a role is held in, not the role
SHORTEST = cutoff("roles.shortest")  # characters: a role named by less is not looked for in the question


def holders(doc: DocInfo, asked: str, base: str) -> list[tuple[str, str]]:
    """(name, role) of the authors whose role the question names, the most specific role first ("deputy …")."""
    meta = doc.meta.get(base) or doc.original
    lines = meta.get("author_roles") or doc.original.get("author_roles") or ""
    text = to_simplified(asked).lower()
    found: list[tuple[int, str, str]] = []
    for line in lines.splitlines():
        name, _, role = line.partition(": ")
        for segment in SEGMENT.split(role):
            head = HEAD.sub("", to_simplified(segment).lower()).strip()
            bounded = rf"(?<![\w-]){re.escape(head)}(?![\w-])" if head.isascii() else re.escape(head)
            if len(head) >= SHORTEST and re.search(bounded, text):
                found.append((len(head), name.strip(), segment.strip()))
    best = max((size for size, _, _ in found), default=0)
    return list(dict.fromkeys((name, role) for size, name, role in found if size == best))


def answer_holder(corpus: CorpusContext, doc: DocInfo, asked: str, language: str, stating) -> object:
    """Lead with who holds the role asked about ("<name> is the editor of …"), cited; None if no one."""
    code = base(language)
    found = holders(doc, asked, code)
    if not found:
        return None
    out = Composer(language, {})
    for name, role in found:
        lead = say("roles_holder", code, person=name, role=f"{role[:1].lower()}{role[1:]}"
                   if listed("lowered_mid_sentence", code) else role)
        evidence = stating(corpus, doc, "authors", name, language)
        if evidence:
            hit, sentence, rows = evidence
            out.rows.update(rows)
            lead = say("compose_cited", code, text=lead, n=out.cite(hit, sentence))
        out.add((" " if spaced(code) and out.pieces else "") + lead)
    return out.draft(1.0, structural=True) if out.citations else None
