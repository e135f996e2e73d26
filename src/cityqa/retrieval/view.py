"""Own one loaded index version: its paragraphs, lexical tables and numbered items, swapped in whole."""
from __future__ import annotations

from dataclasses import dataclass

from cityqa.index.lexical import LexicalTables, NameIndex
from cityqa.types import Passage


@dataclass(frozen=True)
class IndexView:
    """One loaded index version: swapped in whole, so a query never mixes two versions."""

    name: str
    collection: object
    passages: list[Passage]
    by_key: dict[str, dict[str, list[Passage]]]
    by_id: dict[str, Passage]
    bm25: object
    item_keys: dict[str, int]
    text_lower: str
    sentence_ids: dict[str, list[str]]
    mentions: dict[str, list[str]]
    names: NameIndex
    records: int
    doc_rows: dict[str, list[int]]
    paragraph_vectors: object | None = None  # the version's paragraph-only collection (None: written before them)


def load_view(collection, tables: LexicalTables, paragraph_vectors=None) -> IndexView:
    """Assemble one index version's view from its opened lexical tables: paragraphs by key, numbered items."""
    passages = tables.passages
    by_key: dict[str, dict[str, list[Passage]]] = {}
    for p in passages:
        by_key.setdefault(p.metadata["paragraph_key"], {}).setdefault(p.language, []).append(p)
    items = {key: item for key, versions in by_key.items()
             if (item := next(iter(versions.values()))[0].metadata.get("item"))}
    doc_rows: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        doc_rows.setdefault(p.metadata["paragraph_key"].partition("#")[0], []).append(i)
    # the titles are text the corpus holds too: a name only a title spells is no unknown name
    titles = dict.fromkeys(p.metadata.get(field, "") for p in passages for field in ("title", "title_en"))
    return IndexView(collection.name, collection, passages, by_key, {p.chunk_id: p for p in passages}, tables.bm25,
                     items, "\n".join([*(p.text for p in passages), *filter(None, titles)]).lower(),
                     tables.sentence_ids, tables.mentions, tables.names, tables.stamp.records, doc_rows,
                     paragraph_vectors)
