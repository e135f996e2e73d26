"""Define what flows between the stages: Passage, Hit, Retrieval, Citation, Draft and Answer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

FRONT_MATTER = "front-matter"  # the paragraph id of a citation whose value only the document's metadata gives


@dataclass
class Passage:
    """One indexed chunk: its text, language and metadata."""

    chunk_id: str
    text: str
    metadata: dict

    @property
    def language(self) -> str:
        """Language of the passage text."""
        return self.metadata.get("language", "zh")


@dataclass
class Hit:
    """One paragraph (its language versions counted as one source) with its fused score."""

    key: str
    score: float
    versions: dict[str, list[Passage]]
    dense: float = 0.0
    bm25: float = 0.0
    matched: set[str] = field(default_factory=set)

    def passage(self, language: str) -> Passage:
        """Return the paragraph's passage in a language (zh-Hant reads the zh text), else the original's."""
        lang = "zh" if language.startswith("zh") else language
        return (self.versions.get(lang) or self.versions.get(self.original_language)
                or next(iter(self.versions.values())))[0]

    @property
    def original_language(self) -> str:
        """Language of the paragraph's original (not a translation)."""
        for lang, passages in self.versions.items():
            if not passages[0].metadata.get("translation_of"):
                return lang
        return next(iter(self.versions))

    @property
    def meta(self) -> dict:
        """Metadata of the paragraph, from its original."""
        return self.passage(self.original_language).metadata


@dataclass
class Retrieval:
    """The ranked paragraphs for a question, how it was read, and how long it took."""

    question: str
    language: str
    hits: list[Hit]
    focus: list[str]
    ms: float
    context: str = ""
    intent: object = None
    scope: list[str] = field(default_factory=list)
    scope_named: bool = False  # the question named the documents (not a filter the user chose)


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
    quotes: list[str] = field(default_factory=list)
    page: int = 0  # a scan's page the quote was read from (0: a text document)
    boxes: list[list[float]] = field(default_factory=list)  # its lines: [page, x0, y0, x1, y1] as page fractions

    def to_dict(self) -> dict:
        """The citation as the JSON contract shows it."""
        return asdict(self)


@dataclass
class Draft:
    """An answer before timing: text pieces with their citations, and the evidence."""

    pieces: list[str]
    citations: list[Citation]
    refused: bool
    grounding: float
    flags: list[str] = field(default_factory=list)
    structural: bool = False

    @property
    def text(self) -> str:
        """The answer text."""
        return "".join(self.pieces)


@dataclass
class Answer:
    """A cited answer, in the JSON shape scripts and evaluators rely on."""

    question: str
    language: str
    answer: str
    refused: bool
    mode: str
    grounding: float
    citations: list[Citation]
    timings_ms: dict[str, float]
    flags: list[str] = field(default_factory=list)
    understood_as: str = ""

    def to_dict(self, case_id: str | None = None) -> dict:
        """The answer as the stable JSON contract (with "id" when a batch case has one)."""
        body = {"question": self.question, "language": self.language, "answer": self.answer,
                "refused": self.refused, "mode": self.mode, "grounding": self.grounding,
                "citations": [c.to_dict() for c in self.citations], "timings_ms": self.timings_ms,
                "flags": self.flags, "understood_as": self.understood_as}
        return ({"id": case_id} if case_id is not None else {}) | body
