"""Own citations: exact quotes with their original and translation, references, and claim checking."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from cityqa.retrieve import Hit, Passage
from cityqa.text import to_traditional, tokenize


@dataclass
class Citation:
    """A checkable source for one [n] marker: the exact quote and where it stands."""

    n: int
    doc_id: str
    title: str
    section: str
    paragraph_id: str
    quote: str
    original: str
    translation: str | None
    reference: dict[str, str]
    score: float
    paragraph_key: str = ""
    language: str = "zh"

    def to_dict(self) -> dict:
        """The citation as the JSON contract shows it."""
        return asdict(self)


def aligned(hit: Hit, sentence: Passage, language: str, sentences: dict[str, list[Passage]]) -> Passage | None:
    """Return the sentence at the same position in the paragraph's other-language version, if any."""
    others = sentences.get(f"{hit.key}|{language}", [])
    index = sentence.metadata["index"]
    return others[index] if index < len(others) else None


def make_citation(n: int, hit: Hit, sentence: Passage, answer_language: str,
                  sentences: dict[str, list[Passage]]) -> Citation:
    """Build citation n for a sentence quoted from a retrieved paragraph."""
    meta = sentence.metadata
    if sentence.language == "en":
        zh = aligned(hit, sentence, "zh", sentences)
        original, translation = (zh.text if zh else hit.passage("zh").text), sentence.text
    else:
        en = aligned(hit, sentence, "en", sentences)
        original, translation = sentence.text, (en.text if en else None)
    quote = to_traditional(sentence.text) if answer_language == "zh-Hant" else sentence.text
    return Citation(n=n, doc_id=meta["doc_id"], title=meta["title"], section=meta["section"],
                    paragraph_id=meta["paragraph_id"], quote=quote, original=original, translation=translation,
                    reference=references(hit), score=round(hit.score, 4), paragraph_key=hit.key,
                    language=sentence.language)


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


def cited_segments(answer: str) -> list[tuple[str, list[int]]]:
    """Split an answer into (claim, [n, …]) pairs: the text before each group of [n] markers."""
    pairs = []
    for match in re.finditer(r"(.*?)((?:\s*\[\d+\])+)", answer, re.DOTALL):
        claim = re.sub(r"^\s*(?:\d+\.|[-*])\s+", "", match.group(1).strip().splitlines()[-1] if match.group(1).strip() else "")
        pairs.append((claim.strip(), [int(n) for n in re.findall(r"\d+", match.group(2))]))
    return [(claim, numbers) for claim, numbers in pairs if claim]


def support(claim: str, passage: str) -> float:
    """Share of a claim's content tokens found in a passage (0–1): how far the passage backs the claim."""
    claim_tokens = set(tokenize(claim))
    if not claim_tokens:
        return 1.0
    return len(claim_tokens & set(tokenize(passage))) / len(claim_tokens)
