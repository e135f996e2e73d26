"""Own the screening of what a document says of itself: titles, headings, authors, summaries, examples, properties."""
from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from cityqa.corpus.documents import Document
from cityqa.corpus.injection import has_cue
from cityqa.corpus.screen import screen_for

KEPT = ("doc_id", "translation_of", "language", "date", "created", "url", "doc_type")  # ids and dates, not prose


def instruction_like(texts: list[str], embeddings=None) -> list[bool]:
    """Flag the texts that read as instructions to a model: trigger words, or the learned screen when it fits."""
    flags = [has_cue(t) for t in texts]
    screen = screen_for(embeddings) if embeddings is not None else None
    if screen and texts:
        from cityqa.corpus.documents import embedding_text

        vectors = embeddings.embed_documents([embedding_text(t, {}) for t in texts])
        flags = [a or b for a, b in zip(flags, screen.flags(texts, vectors))]
    return flags


def screened(docs: list[Document], embeddings=None) -> list[Document]:
    """The documents with every instruction-like title, heading, author, summary or example left out."""
    texts = sorted({t for doc in docs for t in _texts(doc)})
    bad = {t for t, flagged in zip(texts, instruction_like(texts, embeddings)) if flagged}
    return [_without(doc, bad) if bad & set(_texts(doc)) else doc for doc in docs]


def _texts(doc: Document) -> list[str]:
    found = [doc.title] + [h for p in doc.paragraphs for h in p.section_path]
    for key, value in doc.meta.items():
        if key not in KEPT:
            found += _strings(value)
    return [t for t in found if t.strip()]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _clean(value, bad: set[str]):
    """A metadata value without its flagged strings (a list loses the items that hold one)."""
    if isinstance(value, str):
        return "" if value in bad else value
    if isinstance(value, list | tuple):
        return [v for v in value if not set(_strings(v)) & bad]
    if isinstance(value, dict):
        return {k: _clean(v, bad) for k, v in value.items()}
    return value


def _without(doc: Document, bad: set[str]) -> Document:
    meta = {k: (v if k in KEPT else _clean(v, bad)) for k, v in doc.meta.items()}
    paragraphs = [replace(p, section_path=tuple(h for h in p.section_path if h not in bad))
                  if set(p.section_path) & bad else p for p in doc.paragraphs]
    title = PurePosixPath(doc.source).stem if doc.title in bad else doc.title
    return replace(doc, title=title, meta=meta, paragraphs=paragraphs)
