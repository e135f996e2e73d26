"""Own answers from document metadata: authors, date, publication, publisher and title, value first, cited."""
from __future__ import annotations

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.roles import answer_holder
from cityqa.answering.structure import DocInfo
from cityqa.corpus.properties import DATES, MONTH_DATES, iso_date
from cityqa.types import FRONT_MATTER, Citation, Draft, Hit

# what a field's absence is called in "the documents do not say …" / "文档没有说明…"
NOT_STATED = {"authors": ("作者", "who wrote it"), "date": ("发表日期", "when it was published"),
              "publication": ("刊载于哪份报刊", "where it was published"), "publisher": ("发布机构", "who issued it"),
              "title": ("标题", "its title")}
HOLDER = "holder:"  # an Intent detail asking who holds the role named after it
HEAD, TAIL = 3, 2  # a title block, byline or date line stands among a document's first or last paragraphs
LINE = 40  # a stating line this short (a title, a byline, a date) is cited, not quoted again after the value


def front_matter_citation(n: int, doc: DocInfo, value: str, reference: dict, shown: str = "") -> Citation:
    """A citation of a value only the document's metadata gives (front matter, file properties), shown as answered."""
    meta, quote = doc.original, shown or value
    return Citation(n=n, doc_id=meta["doc_id"], title=meta.get("title", ""), section="", paragraph_id=FRONT_MATTER,
                    quote=quote, original=value, translation=None, reference=reference, score=1.0,
                    paragraph_key=f"{doc.group}#{FRONT_MATTER}", language=meta.get("language", "zh"), quotes=[quote])


def value_of(doc: DocInfo, field: str, language: str) -> str:
    """A metadata value in the answer's language when a version in it has one, else the original's."""
    base = "en" if language == "en" else "zh"
    key = "authors_en" if field == "authors" and base == "en" else field
    version = doc.meta.get(base, {})
    return version.get(key) or (version.get("authors") if field == "authors" else "") or doc.original.get(key, "")


def answer_metadata(corpus: CorpusContext, doc: DocInfo, field: str, language: str, roles: bool = False
                    ) -> Draft | None:
    """Lead with each value asked for ("date+publication"), cited, and its stating sentence; name what is unstated."""
    if field.startswith(HOLDER):  # "who is the editor-in-chief?": the author holding that role
        return answer_holder(corpus, doc, field[len(HOLDER):], language, _stating_paragraph)
    fields = field.split("+")
    values = {f: value_of(doc, f, language) for f in fields}
    if not any(values.values()):
        return None
    base = "en" if language == "en" else "zh"
    out = Composer(language, {})
    for name in (f for f in fields if values[f]):
        own = value_of(doc, name, doc.original.get("language", "zh"))
        evidence = _stating_paragraph(corpus, doc, name, own, language)
        if evidence:  # the line of the document that states it: cited, so the reader highlights it
            hit, sentence, rows = evidence
            out.rows.update(rows)
            n = out.cite(hit, sentence)
        else:
            out.citations.append(front_matter_citation(len(out.citations) + 1, doc, own, _reference(corpus, doc),
                                                       values[name]))
            n = len(out.citations)
        lead = _lead(name, values[name], "" if out.pieces else doc.title(language), base)
        out.add((" " if base == "en" and out.pieces else "") + (f"{lead} [{n}]" if base == "en" else f"{lead}[{n}]"))
        if roles and name == "authors" and doc.original.get("author_roles"):
            lines = (doc.meta.get(base) or doc.original).get("author_roles") or doc.original["author_roles"]
            out.add("\n" + "\n".join(f"- {line}" for line in lines.splitlines()))
        if evidence and len(sentence.text) > LINE:
            out.add((" " if base == "en" else "") + out.quote(hit, sentence))
    missing = [f for f in fields if not values[f]]
    if missing:
        out.add((" " if base == "en" else "") + _not_stated(missing, base))
    return out.draft(1.0, structural=True)


def _lead(field: str, value: str, title: str, base: str) -> str:
    """The sentence giving a value; after the first one the document is "it" (title empty)."""
    if base == "en":
        subject = f"“{title}”" if title else "It"
        return {"authors": f"{subject} was written by {value}.", "date": f"{subject} was published on {value}.",
                "publication": f"{subject} was published in {value}.",
                "publisher": f"{subject} was published by {value}.", "title": f"The title is “{value}”."}[field]
    subject = f"《{title}》" if title else "该文"
    return {"authors": f"{subject}的作者是{value}。", "date": f"{subject}发表于{value}。",
            "publication": f"{subject}刊载于{value}。", "publisher": f"{subject}的发布机构是{value}。",
            "title": f"标题是《{value}》。"}[field]


def _not_stated(fields: list[str], base: str) -> str:
    """The sentence saying which of the fields asked for the documents do not state."""
    if base == "en":
        return f"The documents do not say {' or '.join(NOT_STATED[f][1] for f in fields)}."
    return f"文档没有说明{'和'.join(NOT_STATED[f][0] for f in fields)}。"


def states(field: str, value: str, text: str) -> bool:
    """Tell whether text states a metadata value: a date written any way that reads as it, else (part of) the value."""
    if field == "date":
        return any(iso_date(m.group(0)) == value for pattern in DATES + MONTH_DATES for m in pattern.finditer(text))
    parts = [p.strip() for p in value.replace("、", ",").split(",") if len(p.strip()) >= 2]
    return any(part in text for part in parts[:3])


def _stating_paragraph(corpus: CorpusContext, doc: DocInfo, field: str, value: str, language: str):
    """The paragraph stating a value, title block and closing lines first, with its stating sentence."""
    keys = [key for key in corpus.search.by_key if key.startswith(doc.group + "#")]
    for key in dict.fromkeys(keys[:HEAD] + keys[-TAIL:] + keys):
        versions = corpus.search.by_key[key]
        if any(states(field, value, p.text) for ps in versions.values() for p in ps):
            rows = grouped(corpus.search.sentences([key]))
            hit = Hit(key, 1.0, versions)
            sentences = versions_for(hit, rows, language)
            every = [s for lang in versions for s in rows.get(f"{key}|{lang}", [])]
            named = [s for s in every if states(field, value, s.text)]
            local = [s for s in sentences if named and s.metadata["index"] == named[0].metadata["index"]]
            if local or named:
                return hit, (local or named)[0], rows
    return None


def _reference(corpus: CorpusContext, doc: DocInfo) -> dict:
    from cityqa.answering.citations import references

    key = doc.first_key
    return references(Hit(key, 1.0, corpus.search.by_key[key])) if key in corpus.search.by_key else {"zh": "", "en": ""}
