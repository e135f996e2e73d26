"""Own answers from document metadata: authors, date, publication, publisher and title, value first, cited."""
from __future__ import annotations

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.structure import DocInfo
from cityqa.types import Citation, Draft, Hit

# what a field's absence is called in "the documents do not say …" / "文档没有说明…"
NOT_STATED = {"authors": ("作者", "who wrote it"), "date": ("发表日期", "when it was published"),
              "publication": ("刊载于哪份报刊", "where it was published"), "publisher": ("发布机构", "who issued it"),
              "title": ("标题", "its title")}


def front_matter_citation(n: int, doc: DocInfo, field: str, value: str, reference: dict) -> Citation:
    """A citation of the document's own metadata (front matter or file properties)."""
    meta = doc.original
    quote = f"{field}: {value}"
    return Citation(n=n, doc_id=meta["doc_id"], title=meta.get("title", ""), section="front matter / 文档信息",
                    paragraph_id="front-matter", quote=quote, original=quote, translation=None, reference=reference,
                    score=1.0, paragraph_key=f"{doc.group}#front-matter", language=meta.get("language", "zh"),
                    quotes=[quote])


def value_of(doc: DocInfo, field: str, language: str) -> str:
    """A metadata value in the answer's language when a version in it has one, else the original's."""
    base = "en" if language == "en" else "zh"
    key = "authors_en" if field == "authors" and base == "en" else field
    version = doc.meta.get(base, {})
    return version.get(key) or (version.get("authors") if field == "authors" else "") or doc.original.get(key, "")


def answer_metadata(ans, doc: DocInfo, field: str, language: str, roles: bool = False) -> Draft | None:
    """Lead with each value asked for ("date+publication"), cited, and its stating sentence; name what is unstated."""
    fields = field.split("+")
    values = {f: value_of(doc, f, language) for f in fields}
    if not any(values.values()):
        return None
    base = "en" if language == "en" else "zh"
    out = Composer(language, {})
    for name in (f for f in fields if values[f]):
        own = value_of(doc, name, doc.original.get("language", "zh"))
        out.citations.append(front_matter_citation(len(out.citations) + 1, doc, name, own, _reference(ans, doc)))
        n = len(out.citations)
        lead = _lead(name, values[name], "" if out.pieces else doc.title(language), base)
        out.add((" " if base == "en" and out.pieces else "") + (f"{lead} [{n}]" if base == "en" else f"{lead}[{n}]"))
        if roles and name == "authors" and doc.original.get("author_roles"):
            lines = (doc.meta.get(base) or doc.original).get("author_roles") or doc.original["author_roles"]
            out.add("\n" + "\n".join(f"- {line}" for line in lines.splitlines()))
        evidence = _stating_paragraph(ans, doc, own, language)
        if evidence:
            hit, sentence, rows = evidence
            out.rows.update(rows)
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


def _stating_paragraph(ans, doc: DocInfo, value: str, language: str):
    """A paragraph of the document whose text states (part of) the value, with its sentence."""
    parts = [p for p in value.replace("、", ",").split(",") if len(p.strip()) >= 2]
    for key, versions in ans.search.by_key.items():
        if not key.startswith(doc.group + "#"):
            continue
        if any(part.strip() in p.text for ps in versions.values() for p in ps for part in parts[:3]):
            rows = grouped(ans.search.sentences([key]))
            hit = Hit(key, 1.0, versions)
            sentences = versions_for(hit, rows, language)
            every = [s for lang in versions for s in rows.get(f"{key}|{lang}", [])]
            named = [s for s in every if any(part.strip() in s.text for part in parts[:3])]
            local = [s for s in sentences if named and s.metadata["index"] == named[0].metadata["index"]]
            if local or named:
                return hit, (local or named)[0], rows
    return None


def _reference(ans, doc: DocInfo) -> dict:
    from cityqa.answering.citations import references

    key = doc.first_key
    return references(Hit(key, 1.0, ans.search.by_key[key])) if key in ans.search.by_key else {"zh": "", "en": ""}
