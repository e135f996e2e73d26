"""Own the bilingual glossary: zh/en terms, their kinds and aliases, read from corpus/_glossary.yaml."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Term:
    """A glossary entry: a zh term, its en rendering, kind, numbered item and aliases."""

    zh: str
    en: str
    kind: str
    item: int = 0
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()


def load_glossary(corpus_dir: Path) -> list[Term]:
    """Read corpus/_glossary.yaml, or return an empty glossary when there is none."""
    path = corpus_dir / "_glossary.yaml"
    if not path.exists():
        return []
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Term(zh=r["zh"], en=r["en"], kind=r.get("kind", "concept"), item=int(r.get("item", 0)),
                 aliases_zh=tuple(r.get("aliases_zh", ())), aliases_en=tuple(r.get("aliases_en", ())))
            for r in rows]
