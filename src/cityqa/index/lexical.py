"""Own one index version's lexical tables: paragraph table, sentence ids, BM25, glossary mentions, name postings."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import orjson

from cityqa.corpus.glossary import Term
from cityqa.corpus.text import add_words, tokenize
from cityqa.types import Passage

FORMAT = 2  # 2: name postings replace the zh word set
CJK_NAME = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass(frozen=True)
class Stamp:
    """What a set of tables was built from: the version's name, collection id and size, and the glossary."""

    version: str
    collection_id: str
    records: int
    glossary: str
    format: int = FORMAT


@dataclass(frozen=True)
class NameIndex:
    """Which paragraphs may contain a string: postings of hashed character bigrams of each paragraph's lowered text."""

    keys: list[str]
    offsets: np.ndarray
    postings: np.ndarray

    @classmethod
    def build(cls, by_key: dict[str, dict[str, list[Passage]]]) -> NameIndex:
        """Index every paragraph's text and headings (all language versions), lowered, as `mention` reads them."""
        raw = [np.unique(_bigrams(paragraph_text(versions).lower(), 1)) for versions in by_key.values()]
        buckets = min(2**22, max(2**10, 1 << (sum(len(h) for h in raw) // 4).bit_length()))
        hashed = [np.unique(h % buckets) for h in raw]  # once per paragraph and bucket
        codes = np.concatenate(hashed) if hashed else np.zeros(0, dtype=np.int64)
        owners = np.repeat(np.arange(len(hashed), dtype=np.int32), [len(h) for h in hashed])
        order = np.argsort(codes, kind="stable")  # stable: each bucket's paragraphs stay in corpus order
        offsets = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=buckets))]).astype(np.int64)
        return cls(list(by_key), offsets, owners[order])

    def candidates(self, groups: list[list[str]]) -> list[str] | None:
        """Keys, in corpus order, that may name some name of every group (a superset); None when no group narrows."""
        chosen = None
        for group in groups:
            found = [self._containing(name) for name in group]
            if not found or any(f is None for f in found):
                continue  # this group cannot narrow the paragraphs: the exact check sees every candidate
            union = np.unique(np.concatenate(found))
            chosen = union if chosen is None else np.intersect1d(chosen, union, assume_unique=True)
        return None if chosen is None else [self.keys[i] for i in chosen]

    def _containing(self, name: str) -> np.ndarray | None:
        lower = name.lower()
        if not name:
            return np.zeros(0, dtype=np.int32)  # an empty name names nothing (as `_names` reads it)
        if len(lower) < 2 or "\n" in name or "Σ" in name:  # no bigram, or lowering that depends on context
            return None
        lists = sorted((self.postings[self.offsets[b]:self.offsets[b + 1]]
                        for b in np.unique(_bigrams(lower, len(self.offsets) - 1))), key=len)
        found = np.asarray(lists[0])
        for more in lists[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, more, assume_unique=True)
        return found


def paragraph_text(versions: dict[str, list[Passage]]) -> str:
    """A paragraph's text and headings in every language version, joined as the mention lookup reads them."""
    return " ".join(p.text + " " + p.metadata.get("section", "") for ps in versions.values() for p in ps)


def _bigrams(text: str, buckets: int) -> np.ndarray:
    """Hash each pair of adjacent characters (code points) into one of `buckets` (1: the raw hash)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    hashed = codes[:-1] * 1_114_112 + codes[1:]
    return hashed % buckets if buckets > 1 else hashed


@dataclass(frozen=True)
class LexicalTables:
    """The tables a reader needs besides Chroma, so that opening an index version reads files, not records."""

    stamp: Stamp
    passages: list[Passage]
    sentence_ids: dict[str, list[str]]
    bm25: object
    mentions: dict[str, list[str]]
    names: NameIndex


def glossary_fingerprint(glossary: list[Term]) -> str:
    """Hash the glossary: its words change BM25 tokens and the mention table."""
    return hashlib.sha256(json.dumps([asdict(t) for t in glossary], ensure_ascii=False).encode()).hexdigest()[:16]


def build_tables(stamp: Stamp, ids: list[str], documents: list[str], metadatas: list[dict],
                 glossary: list[Term]) -> LexicalTables:
    """Build the tables of one version from its records (serving paragraphs: not instruction-like)."""
    import bm25s

    add_words([name for t in glossary for name in (t.zh, *t.aliases_zh)])
    passages, sentence_ids = [], {}
    for i, d, m in zip(ids, documents, metadatas):
        if serving_paragraph(m):
            passages.append(Passage(i, d, m))
        elif m.get("kind") == "sentence" and not m.get("instruction_like"):
            sentence_ids.setdefault(m["paragraph_key"], []).append(i)
    bm25 = bm25s.BM25()
    bm25.index([tokenize(f"{p.metadata.get('section', '')} {p.text}") or ["∅"] for p in passages],
               show_progress=False)
    by_key: dict[str, dict[str, list[Passage]]] = {}
    for p in passages:
        by_key.setdefault(p.metadata["paragraph_key"], {}).setdefault(p.language, []).append(p)
    mentions = {t.zh: [key for key, versions in by_key.items() if mentions_term(versions, t)] for t in glossary}
    return LexicalTables(stamp, passages, sentence_ids, bm25, mentions, NameIndex.build(by_key))


def serving_paragraph(metadata: dict) -> bool:
    """Tell whether a record is a paragraph that retrieval serves (instruction-like text is never served)."""
    return metadata.get("kind") == "paragraph" and not metadata.get("instruction_like")


def mentions_term(versions: dict[str, list[Passage]], term: Term) -> bool:
    """Tell whether a paragraph (or its heading) names a glossary term."""
    headings = " ".join(passages[0].metadata.get("section", "") for passages in versions.values())
    if term.zh in headings or term.en.lower() in headings.lower():
        return True
    zh = " ".join(p.text for p in versions.get("zh", []))
    en = " ".join(p.text for p in versions.get("en", [])).lower()
    return any(z in zh for z in (term.zh, *term.aliases_zh)) or any(
        e.lower() in en for e in (term.en, *term.aliases_en))


def save_tables(tables: LexicalTables, folder: Path) -> Path:
    """Write the tables into folder atomically (a temporary sibling renamed into place); keep an existing one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        tables.bm25.save(str(tmp / "bm25"), show_progress=False)
        (tmp / "paragraphs.json").write_bytes(orjson.dumps([[p.chunk_id, p.text, p.metadata] for p in tables.passages]))
        (tmp / "sentences.json").write_bytes(orjson.dumps(tables.sentence_ids))
        (tmp / "mentions.json").write_bytes(orjson.dumps(tables.mentions))
        np.save(tmp / "names-offsets.npy", tables.names.offsets)
        np.save(tmp / "names-postings.npy", tables.names.postings)
        (tmp / "stamp.json").write_bytes(orjson.dumps(asdict(tables.stamp)))  # written last: marks a whole set
        try:
            os.rename(tmp, folder)
        except OSError:
            if read_stamp(folder) == tables.stamp:
                shutil.rmtree(tmp, ignore_errors=True)  # another process wrote the same tables first
                return folder
            shutil.rmtree(folder, ignore_errors=True)  # tables that do not fit this version: replace them
            os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def read_stamp(folder: Path) -> Stamp | None:
    """Read the stamp of a tables folder, or None when there is no whole set there."""
    try:
        return Stamp(**orjson.loads((folder / "stamp.json").read_bytes()))
    except (OSError, TypeError, ValueError):
        return None


def load_tables(folder: Path, expected: Stamp) -> LexicalTables | None:
    """Open the tables in folder (BM25 memory-mapped) if their stamp is exactly the expected one, else None."""
    import bm25s

    if read_stamp(folder) != expected:
        return None
    try:
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
        passages = [Passage(i, d, m) for i, d, m in orjson.loads((folder / "paragraphs.json").read_bytes())]
        sentence_ids = orjson.loads((folder / "sentences.json").read_bytes())
        mentions = orjson.loads((folder / "mentions.json").read_bytes())
        names = NameIndex(list(dict.fromkeys(p.metadata["paragraph_key"] for p in passages)),
                          np.load(folder / "names-offsets.npy", mmap_mode="r"),
                          np.load(folder / "names-postings.npy", mmap_mode="r"))
    except (OSError, ValueError, KeyError):
        return None
    return LexicalTables(expected, passages, sentence_ids, bm25, mentions, names)
