"""Own citations: exact quotes with their original and translation, references, and claim checking."""
from __future__ import annotations

from cityqa.corpus.text import to_traditional
from cityqa.types import Citation, Hit, Passage


def aligned(hit: Hit, sentence: Passage, language: str, sentences: dict[str, list[Passage]]) -> Passage | None:
    """Return the sentence at the same position in the paragraph's other-language version, if any."""
    others = sentences.get(f"{hit.key}|{language}", [])
    index = sentence.metadata["index"]
    return others[index] if index < len(others) else None


def make_citation(n: int, hit: Hit, sentence: Passage, answer_language: str,
                  sentences: dict[str, list[Passage]]) -> Citation:
    """Build citation n for a sentence quoted from a retrieved paragraph (original and translation aligned)."""
    meta = sentence.metadata
    other = next((lang for lang in hit.versions if lang != sentence.language), None)
    partner = aligned(hit, sentence, other, sentences) if other else None
    if meta.get("translation_of"):
        original, translation = (partner.text if partner else hit.passage(hit.original_language).text), sentence.text
    else:
        original, translation = sentence.text, (partner.text if partner else None)
    quote = to_traditional(sentence.text) if answer_language == "zh-Hant" else sentence.text
    return Citation(n=n, doc_id=meta["doc_id"], title=meta["title"], section=meta["section"],
                    paragraph_id=meta["paragraph_id"], quote=quote, original=original, translation=translation,
                    reference=references(hit), score=round(hit.score, 4), paragraph_key=hit.key,
                    language=sentence.language, quotes=[quote])


def references(hit: Hit) -> dict[str, str]:
    """Format the document reference in a Chinese (GB/T 7714) and an English style, with the paragraph id."""
    zh, en = hit.passage("zh").metadata, hit.passage("en").metadata
    pid, title = zh["paragraph_id"], zh["title"]
    publication, date, publisher = zh.get("publication", ""), zh.get("date", ""), zh.get("publisher", "")
    kind = "[N]" if publication else "[Z]"
    zh_parts = [zh.get("authors") or publisher, f"{title}{kind}", ", ".join(x for x in (publication, date) if x),
                f"段落 {pid}"]
    title_en = f" [{en['title']}]" if en.get("language") == "en" and en["title"] != title else ""
    author_en = zh.get("authors_en") or en.get("authors") or en.get("publisher") or publisher
    en_parts = [f"{author_en} ({date})" if author_en and date else author_en or date, f"{title}{title_en}",
                publication, en.get("publisher") or publisher, f"Paragraph {pid}"]
    return {"zh": ". ".join(p for p in zh_parts if p) + ".", "en": ". ".join(p for p in en_parts if p) + "."}
