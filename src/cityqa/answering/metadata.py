"""Own answers from document metadata: authors, date, publication, publisher and title, value first, cited."""
from __future__ import annotations

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.roles import answer_holder
from cityqa.answering.structure import DocInfo
from cityqa.calibration import cutoff
from cityqa.corpus.properties import DATES, MONTH_DATES, iso_date
from cityqa.language import base, listed, say, spaced
from cityqa.types import FRONT_MATTER, Citation, Draft, Hit

HOLDER = "holder:"  # an Intent detail asking who holds the role named after it
HEAD, TAIL = cutoff("metadata.head"), cutoff("metadata.tail")  # a title block, byline or date line stands among a
# document's first or last paragraphs
LINE = cutoff("metadata.line")  # a stating line this short (a title, a byline, a date) is cited, not quoted again
PARTS = cutoff("metadata.parts")  # the parts of a value (several authors) a stating line is looked for by
SHORTEST = cutoff("metadata.shortest")  # a part of a value shorter than this is not looked for


def front_matter_citation(n: int, doc: DocInfo, value: str, reference: dict, shown: str = "") -> Citation:
    """A citation of a value only the document's metadata gives (front matter, file properties), shown as answered."""
    meta, quote = doc.original, shown or value
    return Citation(n=n, doc_id=meta["doc_id"], title=meta.get("title", ""), section="", paragraph_id=FRONT_MATTER,
                    quote=quote, original=value, translation=None, reference=reference, score=1.0,
                    paragraph_key=f"{doc.group}#{FRONT_MATTER}", language=meta.get("language", "zh"), quotes=[quote])


def value_of(doc: DocInfo, field: str, language: str) -> str:
    """A metadata value in the answer's language when a version in it has one, else the original's."""
    code = base(language)
    key = listed("metadata_authors_field", code)[0] if field == "authors" else field  # "authors_en": romanised
    version = doc.meta.get(code, {})
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
    code = base(language)
    space = " " if spaced(code) else ""
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
        lead = _lead(name, values[name], "" if out.pieces else doc.title(language), code)
        out.add((space if out.pieces else "") + say("compose_cited", code, text=lead, n=n))
        if roles and name == "authors" and doc.original.get("author_roles"):
            lines = (doc.meta.get(code) or doc.original).get("author_roles") or doc.original["author_roles"]
            out.add("\n" + "\n".join(f"- {line}" for line in lines.splitlines()))
        if evidence and len(sentence.text) > LINE:
            out.add(space + out.quote(hit, sentence))
    missing = [f for f in fields if not values[f]]
    if missing:
        out.add(space + _not_stated(missing, code))
    return out.draft(1.0, structural=True)


def _lead(field: str, value: str, title: str, code: str) -> str:
    """The sentence giving a value; after the first one the document is "it" (title empty)."""
    subject = say("metadata_subject", code, title=title) if title else say("metadata_it", code)
    return say(f"metadata_{field}", code, subject=subject, value=value)


def _not_stated(fields: list[str], code: str) -> str:
    """The sentence saying which of the fields asked for the documents do not state."""
    unstated = say("metadata_unstated_joiner", code).join(say(f"metadata_unstated_{f}", code) for f in fields)
    return say("metadata_unstated", code, fields=unstated)


def states(field: str, value: str, text: str) -> bool:
    """Tell whether text states a metadata value: a date written any way that reads as it, else (part of) the value."""
    if field == "date":
        return any(iso_date(m.group(0)) == value for pattern in DATES + MONTH_DATES for m in pattern.finditer(text))
    parts = [p.strip() for p in value.replace("、", ",").split(",") if len(p.strip()) >= SHORTEST]
    return any(part in text for part in parts[:PARTS])


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
