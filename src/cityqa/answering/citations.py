"""Own citations: exact quotes with their original and translation, references, and claim checking."""
from __future__ import annotations

import json

from cityqa.answering.references import references
from cityqa.language import in_script
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
    quote = in_script(sentence.text, answer_language)
    boxes = [line[1:6] for line in json.loads(meta.get("place") or "[]")]  # recognised text: where it was read
    return Citation(n=n, doc_id=meta["doc_id"], title=meta["title"], section=meta["section"],
                    paragraph_id=meta["paragraph_id"], quote=quote, original=original, translation=translation,
                    reference=references(hit), score=round(hit.score, 4), paragraph_key=hit.key,
                    language=sentence.language, quotes=[quote], page=int(boxes[0][0]) if boxes else 0, boxes=boxes)
