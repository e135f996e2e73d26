"""Own answers from document metadata: authors, date, publication, publisher and title, value first, cited."""
from __future__ import annotations

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.structure import DocInfo
from cityqa.types import Citation, Draft, Hit

FIELD_NAMES = {"authors": ("作者", "authors"), "date": ("发表日期", "date"), "publication": ("刊载", "publication"),
               "publisher": ("发布机构", "publisher"), "title": ("标题", "title")}


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
    """Lead with the value from the document's metadata, cite it, then quote a paragraph that states it."""
    value = value_of(doc, field, language)
    if not value:
        return None
    base = "en" if language == "en" else "zh"
    title = doc.title(language)
    lead = _lead(field, value, title, base)
    out = Composer(language, {})
    evidence = _stating_paragraph(ans, doc, value_of(doc, field, doc.original.get("language", "zh")), language)
    out.citations.append(front_matter_citation(1, doc, field, value_of(doc, field, doc.original.get("language", "zh")),
                                               _reference(ans, doc)))
    out.add(f"{lead} [1]" if base == "en" else f"{lead}[1]")
    if roles and doc.original.get("author_roles"):
        lines = (doc.meta.get(base) or doc.original).get("author_roles") or doc.original["author_roles"]
        out.add("\n" + "\n".join(f"- {line}" for line in lines.splitlines()))
    if evidence:
        hit, sentence, rows = evidence
        out.rows = rows
        out.add((" " if base == "en" else "") + out.quote(hit, sentence))
    return out.draft(1.0, structural=True)


def _lead(field: str, value: str, title: str, base: str) -> str:
    if base == "en":
        return {"authors": f"“{title}” was written by {value}.", "date": f"“{title}” was published on {value}.",
                "publication": f"“{title}” was published in {value}.",
                "publisher": f"“{title}” was published by {value}.", "title": f"The title is “{value}”."}[field]
    return {"authors": f"《{title}》的作者是{value}。", "date": f"《{title}》发表于{value}。",
            "publication": f"《{title}》刊载于{value}。", "publisher": f"《{title}》的发布机构是{value}。",
            "title": f"标题是《{value}》。"}[field]


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
