"""Own retrieval: dense (Chroma) + BM25 + document structure, fused per paragraph across zh and en."""
from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict

import numpy as np
from langchain_core.embeddings import Embeddings

from cityqa import language
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import english_stems
from cityqa.corpus.glossary import Term
from cityqa.corpus.text import (
    add_words,
    detect_language,
    named_entities,
    to_simplified,
    tokenize,
)
from cityqa.index.lexical import mentions_term
from cityqa.index.store import with_retries
from cityqa.questions.intents import glossary_matches
from cityqa.retrieval.mentioned import mentions_word
from cityqa.retrieval.spelling import has_english_only, spelled_names, spelled_three, spelling_table
from cityqa.retrieval.view import IndexView, load_view
from cityqa.seams import IndexStore
from cityqa.types import Hit, Passage, Retrieval

RRF_K = cutoff("hybrid.rrf_k")
NUMBERED_NAME = language.cue("hybrid_numbered_name")  # "Metro Line D", "Phase 3"
HAN = language.cue("hybrid_han")  # a Chinese character: the query is (partly) Chinese
PARAGRAPHS = {"$and": [{"kind": "paragraph"}, {"instruction_like": False}]}
DENSE_WEIGHT = cutoff("hybrid.dense_weight")  # e5 carries paraphrase and cross-lingual matches that BM25 cannot
LEXICAL_WEIGHT, NAMED_WEIGHT = cutoff("hybrid.lexical_weight"), cutoff("hybrid.named_weight")
DENSE_DEPTH = cutoff("hybrid.dense_depth")
MAX_MENTIONS = cutoff("hybrid.max_mentions")  # a glossary term found in more paragraphs says little about which one
STRUCTURE_BOOST, STRUCTURE_STEP = cutoff("hybrid.structure_boost"), cutoff("hybrid.structure_step")
REFRESH_S, RESULTS = cutoff("hybrid.refresh_seconds"), cutoff("hybrid.results")  # index check interval; hits
SENTENCE_CACHE = cutoff("hybrid.sentence_cache")  # paragraphs whose sentence rows are kept between questions
FULL_SORT = cutoff("hybrid.full_sort_factor")  # up to FULL_SORT * n² scores, a full sort is cheaper than a partition


class HybridSearch:
    """Hybrid paragraph search over the active index, reloaded when a new version is published."""

    def __init__(self, store: IndexStore, embeddings: Embeddings, glossary: list[Term], refresh_s: float = REFRESH_S):
        self.store, self.embeddings, self.glossary = store, embeddings, glossary
        add_words([name for t in glossary for name in (t.zh, *t.aliases_zh)])
        self.known_zh = {a for t in glossary for a in (t.zh, *t.aliases_zh)}
        self.known_en = " ".join(a.lower() for t in glossary for a in (t.en, *t.aliases_en))
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._checked = 0.0
        self._spelled: tuple[str, dict[str, list[str]]] = ("", {})
        self._english_only: tuple[str, bool] = ("", False)
        self._rows: OrderedDict[tuple[str, str], list[tuple[Passage, np.ndarray]]] = OrderedDict()
        self.view: IndexView | None = None
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Reload the paragraphs and BM25 index when the active pointer has moved."""
        if not force and time.monotonic() - self._checked < self.refresh_s:
            return
        with self._lock:
            self._checked = time.monotonic()
            info = with_retries(self.store.info)
            if not force and info and self.view and info.collection == self.view.name:
                return
            collection = with_retries(lambda: self.store.active(self.embeddings.model_id, self.embeddings.dimension))
            tables = with_retries(lambda: self.store.open_tables(collection, self.glossary))
            self.view = load_view(collection, tables, with_retries(lambda: self.store.paragraphs(collection)))

    # the current version's tables, for callers outside a single query
    collection = property(lambda self: self.view.collection)
    passages = property(lambda self: self.view.passages)
    by_key = property(lambda self: self.view.by_key)
    item_keys = property(lambda self: self.view.item_keys)

    def unknown_names(self, question: str) -> list[str]:
        """Return names in the question that neither the indexed text nor the glossary mentions as a word."""
        view = self.view
        return self.unknown_numbered(question) + [name for name in named_entities(question) if name not in self.known_zh
                and not re.search(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])", self.known_en)
                and not mentions_word(view, name, self.known_zh) and name.lower() not in self.spellings(view)
                and not spelled_three(name.lower(), self.spellings(view), view.text_lower)]

    def unknown_numbered(self, question: str) -> list[str]:
        """Numbered names in the question the text never uses ("Metro Line D" where it has only Line C)."""
        return [n for n in NUMBERED_NAME.findall(question)
                if not re.search(rf"(?<![a-z]){re.escape(n.lower())}(?![a-z0-9])", self.view.text_lower)]

    def spellings(self, view: IndexView) -> dict[str, list[str]]:
        """The corpus's two-character Chinese words by pinyin, read once per index version."""
        with self._lock:
            if self._spelled[0] != view.name:
                self._spelled = (view.name, spelling_table(view.text_lower))
            return self._spelled[1]

    @property
    def paragraph_keys(self) -> list[str]:
        """Every paragraph key in index order."""
        return list(self.by_key)

    def search(self, question: str, k: int = RESULTS, context: str = "", focus: tuple[str, ...] = (),
               scope: tuple[str, ...] = ()) -> Retrieval:
        """Rank paragraphs (context: turns a follow-up refers to; focus: keys structure names; scope: documents)."""
        started = time.perf_counter()
        self.refresh()
        view = self.view
        language = detect_language(question)
        query = to_simplified(f"{context} {question}".strip())
        if language == "en":  # a Chinese name written in pinyin is searched as written in Chinese
            query = f"{query} {spelled_names(question, self.spellings(view), view.text_lower)}".strip()
        terms = glossary_matches(query, self.glossary)
        rows = [i for group in scope for i in view.doc_rows.get(group, ())]
        vector = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        dense = self._dense_within(view, vector, rows) if scope else self._dense(view, vector)
        lexical = self._bm25(view, query, terms, rows)
        named = [(key, n) for key, n in _mentions_ranked(view, terms) if not scope or key.partition("#")[0] in scope]
        scores: dict[str, float] = {}
        for weight, ranking in ((DENSE_WEIGHT, dense), (LEXICAL_WEIGHT, lexical), (NAMED_WEIGHT, named)):
            for rank, (key, _) in enumerate(ranking):
                scores[key] = scores.get(key, 0.0) + weight / (RRF_K + rank + 1)
        named = [k for k in dict.fromkeys(focus) if k in view.by_key]
        for rank, key in enumerate(named):
            # structure outranks any fused score (at most ~0.06): the items a question names come first, in order
            scores[key] = scores.get(key, 0.0) + STRUCTURE_BOOST + (len(named) - rank) / STRUCTURE_STEP
        best_dense, best_bm25 = dict(dense), dict(lexical)
        ranked = sorted(scores, key=lambda key: -scores[key])
        if scope:  # the question names documents: only theirs (ranked within them), then the rest of them in order
            inside = [key for key in ranked if key.partition("#")[0] in scope]
            ranked = inside + [key for key in view.by_key if key.partition("#")[0] in scope and key not in inside]
            scores.update({key: scores.get(key, 0.0) for key in ranked[:k]})
        ranked = ranked[:k]
        hits = [Hit(key, scores[key], view.by_key[key], best_dense.get(key, 0.0), best_bm25.get(key, 0.0),
                    {t.zh for t in terms}) for key in ranked]
        return Retrieval(question, language, hits, list(focus), (time.perf_counter() - started) * 1000, context)

    def sentences(self, keys: list[str]) -> list[tuple[Passage, np.ndarray]]:
        """Fetch the sentence records of some paragraphs with their embeddings, in document order."""
        view, wanted = self.view, list(dict.fromkeys(keys))
        with self._lock:
            missing = [key for key in wanted if (view.name, key) not in self._rows]
        ids = [i for key in missing for i in view.sentence_ids.get(key, ())]
        found = with_retries(lambda: view.collection.get(ids=ids, include=["documents", "metadatas", "embeddings"])
                             ) if ids else {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
        fetched = {key: [] for key in missing}
        for i, d, m, e in zip(found["ids"], found["documents"], found["metadatas"], found["embeddings"]):
            fetched.setdefault(m["paragraph_key"], []).append((Passage(i, d, m), np.asarray(e, dtype=np.float32)))
        with self._lock:  # a version's rows never change: kept for the next question, the oldest dropped first
            for key, found_rows in fetched.items():
                self._rows[(view.name, key)] = found_rows
            rows = [row for key in wanted for row in self._rows.get((view.name, key), fetched.get(key, []))]
            while len(self._rows) > SENTENCE_CACHE:
                self._rows.popitem(last=False)
        return sorted(rows, key=lambda row: (row[0].metadata["paragraph_key"], row[0].language,
                                             row[0].metadata["index"]))

    def bm25_ranking(self, query: str) -> list[tuple[str, float]]:
        """Paragraph keys ranked by BM25 alone (no dense, glossary or structure): the lexical baseline."""
        return self._bm25(self.view, to_simplified(query), [])

    def _dense(self, view: IndexView, vector: np.ndarray) -> list[tuple[str, float]]:
        vector = vector.tolist()
        want = min(DENSE_DEPTH, len(view.passages))
        if not want:
            return []
        # the version's paragraph vectors: the nearest paragraphs, no filter (a version written before they existed
        # is still answered, by Chroma's metadata filter, whose cost is linear in the collection; ingest adds them)
        source, where = ((view.paragraph_vectors, None) if view.paragraph_vectors is not None
                         else (view.collection, PARAGRAPHS))
        result = with_retries(lambda: source.query(query_embeddings=[vector], n_results=want, where=where,
                                                   include=["distances"]))
        found = [(i, d) for i, d in zip(result["ids"][0], result["distances"][0]) if i in view.by_id]
        return _best_per_key([(view.by_id[i].metadata["paragraph_key"], 1.0 - d) for i, d in found])

    def _dense_within(self, view: IndexView, vector: np.ndarray, rows: list[int]) -> list[tuple[str, float]]:
        """Dense ranking of the paragraphs of some documents: their vectors fetched by id, work in their size."""
        if not rows:
            return []
        ids = [view.passages[i].chunk_id for i in rows]
        found = with_retries(lambda: view.collection.get(ids=ids, include=["embeddings"]))
        similarity = np.asarray(found["embeddings"], dtype=np.float32) @ vector
        order = np.argsort(-similarity)[:DENSE_DEPTH]
        return _best_per_key([(view.by_id[found["ids"][i]].metadata["paragraph_key"], float(similarity[i]))
                              for i in order])

    def _bm25(self, view: IndexView, query: str, terms: list[Term], rows: list[int] = ()) -> list[tuple[str, float]]:
        expansion = " ".join(f"{t.zh} {t.en}" for t in terms)
        tokens = tokenize(f"{query} {expansion}") + self._glossed(view, query)
        if not tokens:
            return []
        scores = view.bm25.get_scores(tokens)
        if rows:  # limited to some documents
            inside = np.full_like(scores, -1.0)
            inside[rows] = scores[rows]
            scores = inside
        order = _top(scores, DENSE_DEPTH)
        return _best_per_key([(view.passages[i].metadata["paragraph_key"], float(scores[i]))
                              for i in order if scores[i] > 0])

    def _glossed(self, view: IndexView, query: str) -> list[str]:
        """A Chinese query's English stems, when some document has no Chinese version to match it in its words."""
        if not HAN.search(query):
            return []
        with self._lock:
            if self._english_only[0] != view.name:
                self._english_only = (view.name, has_english_only(view.by_key))
        return english_stems(query) if self._english_only[1] else []


def _mentions_ranked(view: IndexView, terms: list[Term]) -> list[tuple[str, float]]:
    """Rank paragraphs by how many informative glossary terms of the question they contain."""
    counts: dict[str, float] = {}
    for term in terms:
        keys = view.mentions.get(term.zh)
        if keys is None:  # a term the tables were not built with: scan once
            keys = [key for key, versions in view.by_key.items() if mentions_term(versions, term)]
        if len(keys) <= MAX_MENTIONS:
            for key in keys:
                counts[key] = counts.get(key, 0.0) + 1.0
    return sorted(counts.items(), key=lambda kv: -kv[1])


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n highest scores, best first, without sorting every score of a large index."""
    if len(scores) <= FULL_SORT * n * n:  # small: the full sort, as before
        return np.argsort(-scores)[:n]
    cut = np.partition(scores, len(scores) - n)[len(scores) - n]
    candidates = np.flatnonzero(scores >= cut)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]


def _best_per_key(scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Keep each paragraph's best score, in rank order."""
    best: dict[str, float] = {}
    for key, score in scored:
        best.setdefault(key, score)
    return list(best.items())
