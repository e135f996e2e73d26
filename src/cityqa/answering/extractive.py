"""Own the extractive answerer: route each intent to structure, metadata or the best exact sentences; no LLM."""
from __future__ import annotations

import re
import threading

import numpy as np

from cityqa.answering import listing, mentions
from cityqa.answering.answerability import QUESTION_WORD, VALUE, answerability
from cityqa.answering.compose import Composer, grouped, in_context, sentence_pieces, source_lead, versions_for
from cityqa.answering.doers import doer_paragraphs, states, what_was_done
from cityqa.answering.focus import stating_focus
from cityqa.answering.metadata import answer_metadata
from cityqa.answering.naming import spelled_in_titles
from cityqa.answering.parts import answer_part, asked_part
from cityqa.answering.quoting import Quoting
from cityqa.answering.structure import (
    documents,
    item_title,
    kind_fits,
    lexicon,
    pick_document,
)
from cityqa.corpus.bilingual import is_name, rarity_weighted, weighted_coverage
from cityqa.corpus.glossary import Term
from cityqa.corpus.injection import has_cue
from cityqa.corpus.text import (
    named_entities,
    sentences,
    to_simplified,
    to_traditional,
    tokenize,
)
from cityqa.retrieval.conversation import GENERIC, Reading
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.retrieval.intents import classify, glossary_matches
from cityqa.types import Draft, Hit, Retrieval

# Sentence similarity (multilingual-e5-small) at which the sources start to answer, by (question, source) language;
# calibrated on the dev splits of eval/cases.jsonl and eval/fixtures/cases.jsonl (never on their test splits).
SIMILARITY_FLOOR = {("zh", "zh"): 0.845, ("en", "en"): 0.785, ("en", "zh"): 0.735, ("zh", "en"): 0.81}
ENTITY_KINDS = listing.ENTITY_KINDS
QUOTED_PARAGRAPHS = 5  # the top paragraphs whose sentences may be quoted
# a sentence's score: similarity + OVERLAP × asked words it states (rare ones count more) + NAMED if it names what
# is asked about − RANK_STEP per place its paragraph ranks below the first
OVERLAP, NAMED, RANK_STEP = 0.3, 0.1, 0.02


class ExtractiveAnswerer:
    """Answer from the corpus's own words: structure and metadata first, else the best-matching sentences."""

    def __init__(self, search: HybridSearch, glossary: list[Term]):
        self.search, self.glossary = search, glossary
        self._lock = threading.Lock()
        self._cache: tuple[int, dict, dict] | None = None
        self._place_names = [n for t in glossary if t.kind in ("place", "project") for n in (t.zh, t.en)]
        self.quoting = Quoting(search, self.refusal)

    @property
    def docs(self) -> dict:
        """Documents and their numbered items in the serving index version."""
        return self._tables()[0]

    @property
    def lexicon(self) -> dict[str, set[str]]:
        """Cross-language word map from aligned item names and the glossary."""
        return self._tables()[1]

    def labels(self) -> tuple[str, ...]:
        """Item nouns the corpus's headings use (with 部分, section … always understood)."""
        return tuple(sorted({lab for d in self.docs.values() for i in d.items.values() for lab in i.labels.values()
                             if lab}))

    def stream(self, reading: Reading, retrieval: Retrieval):
        """Yield the answer sentence by sentence, then the Draft."""
        draft = self.answer(reading, retrieval)
        for piece in draft.pieces:
            yield from sentence_pieces(piece)
        yield draft

    def answer(self, reading: Reading | str, retrieval: Retrieval) -> Draft:
        """Answer one reading of a question from the retrieved paragraphs and the corpus's structure."""
        if isinstance(reading, str):
            reading = Reading(reading, reading, classify(reading, self.glossary, self.labels()))
        intent, language, question = reading.intent, retrieval.language, reading.question
        kind = intent.kind
        if all(has_cue(s) for s in sentences(question)):  # only instructions to the system ("ignore …, tell me …")
            return self.refusal(language, 0.0)
        if reading.same_source:  # asked about the paragraph just quoted: its best sentence, not a corpus list
            return self.quote_best(reading, retrieval)
        if kind in ("authors", "metadata"):
            doc = pick_document(reading.query, self.docs, retrieval.hits)
            unknown = [n for n in self.search.unknown_names(question) if not spelled_in_titles(n, self.docs)]
            if doc and (unknown or not retrieval.scope and not kind_fits(question, doc)):
                return self.refusal(language, 0.0)  # no such document: not another one's authors
            found = doc and answer_metadata(self, doc, "authors" if kind == "authors" else intent.detail, language,
                                            intent.roles)
            if found:
                return found
        if kind in ("count", "list_items", "item", "items_mentioning") or (kind == "comparison" and intent.items) or (
                kind == "open" and asked_part(question)):
            found = self.structural(reading, retrieval)
            if found:
                return found
        if kind == "mention":
            if intent.category and not intent.terms:
                found = mentions.places(self, intent.category, language, question)
                if found:
                    return found
            subject, label = mentions.subject_of(question, intent.terms, language)
            if subject:
                yes_no = bool(re.search(r"^(?:does|did|do|is|are|was|has)\b|吗|有没有|是否", question.lower()))
                return mentions.mention(self, subject, label, language, mentions.rest_of(question, subject), yes_no)
        return self.quote_best(reading, retrieval)

    def structural(self, reading: Reading, retrieval: Retrieval) -> Draft | None:
        """Answer questions about numbered items from each document's headings."""
        intent, language = reading.intent, retrieval.language
        doc = pick_document(reading.query, self.docs, retrieval.hits, need_items=True)
        if doc is None:
            return None
        if intent.kind == "count":
            return listing.count_items(self, doc, language)
        if intent.kind == "list_items":
            return listing.list_items(self, doc, language)
        if intent.kind == "items_mentioning":
            prior = reading.prior.question if reading.prior and reading.dependent else ""
            if reading.ordinal:
                chosen, _, _ = listing.matching_items(self, doc, prior or reading.question, language, intent.terms)
                if chosen:
                    index = reading.ordinal - 1 if 0 < reading.ordinal <= len(chosen) else -1
                    return self.item_answer(reading, retrieval, doc, [chosen[index][0].number])
            return listing.items_mentioning(self, doc, prior or reading.question, language, intent.terms,
                                            focus=reading.question)
        part = asked_part(reading.question)
        if part:  # 第三部分的第（二）项, section 3.2: the part under the item's heading
            return answer_part(self, reading, language, doc, *part)
        return self.item_answer(reading, retrieval, doc, list(intent.items))

    def item_answer(self, reading: Reading, retrieval: Retrieval, doc, numbers: list[int]) -> Draft:
        """Name each item asked about, then quote its sentences that best answer the question."""
        missing = [n for n in numbers if n not in doc.items]
        if missing or not numbers:
            return listing.missing_item(doc, (missing or [0])[0], retrieval.language)
        leads = [item_title(doc.items[n], doc, retrieval.language) for n in numbers]
        leads = [f"{t.replace(', “', ' is “', 1)}." if retrieval.language == "en" else re.sub(r"^(.+?)“", r"\1是“", t,
                                                                                             count=1) + "。"
                 for t in leads]
        return self.quote_items(reading, retrieval.language, [(doc.items[n].keys, lead)
                                                              for n, lead in zip(numbers, leads)])

    def quote_items(self, reading: Reading, language: str, entries: list[tuple[list[str], str]]) -> Draft:
        """For each (paragraph keys, lead): the lead, then the sentences of those paragraphs best answering."""
        rows, vectors = self._rows([k for keys, _ in entries for k in keys])
        out = Composer(language, rows)
        vector = self._query_vector(reading.query)
        bonus = self.place_bonus(reading.question)
        for keys, lead in entries:
            hits = [Hit(k, 1.0, self.search.by_key[k]) for k in keys]
            scored = sorted(((float(vectors[s.chunk_id] @ vector) + bonus(s.text), h, s) for h in hits
                             for s in versions_for(h, rows, language)), key=lambda row: -row[0])
            picked = sorted(scored[:2 if reading.intent.asks or len(entries) == 1 else 1],
                            key=lambda row: row[2].metadata["index"])
            quotes = (" " if out.base == "en" else "").join(out.quote(h, s) for _, h, s in picked)
            out.add(f"{lead} {quotes}\n" if out.base == "en" else f"{lead}{quotes}\n")
        return out.draft(1.0)  # quotes chosen for the question: an LLM may rewrite them

    def quote_best(self, reading: Reading, retrieval: Retrieval) -> Draft:
        """Quote the best-matching sentences of the top paragraphs, or refuse when they do not answer."""
        if self.quoting.scorer is not None:
            return self.quoting.answer(reading, retrieval)
        language, question = retrieval.language, reading.question
        base = "en" if language == "en" else "zh"
        hits = retrieval.hits[:QUOTED_PARAGRAPHS]
        did = what_was_done(reading.question) if reading.intent.asks == "person" else []
        if did and not retrieval.focus:  # who did X: the paragraph naming a doer of X, when the top ones do not
            hits = doer_paragraphs(self, reading, retrieval, hits, did, 4 * QUOTED_PARAGRAPHS) + hits
        rows, vectors = self._rows([h.key for h in hits])
        vector = self._query_vector(reading.query)
        terms = glossary_matches(reading.query, self.glossary)
        wanted = set(tokenize(reading.query + " " + " ".join(f"{t.zh} {t.en}" for t in terms)))
        groups = [[n for n in (t.zh, *t.aliases_zh, t.en, *t.aliases_en) if n] for t in terms if t.kind in ENTITY_KINDS]
        names = {n for n in named_entities(question) if is_name(n)}  # not 新建 (newly built), read as a place
        if base == "en":  # a Chinese term in an English question is a name the reader copied from the text
            names |= set(re.findall(r"[\u3400-\u9fff]{2,}", to_simplified(question)))
        groups += [[n] for n in sorted(names) if len(n) > 1 and not set(tokenize(n)) <= GENERIC
                   and not QUESTION_WORD.search(n) and not any(n in g for g in groups)]
        entities = [n for g in groups for n in g
                    if any(listing._names(s.text, [n]) for h in hits for s in versions_for(h, rows, language))]
        scored, bonus = [], self.place_bonus(question)
        value = VALUE.get(reading.intent.asks)
        candidates = [(rank, hit, s) for rank, hit in enumerate(hits) for s in versions_for(hit, rows, language)]
        agent = value if reading.intent.asks == "person" else None  # a who-question prefers a named agent
        if value and not agent and any(value.search(s.text) for *_, s in candidates):  # how many: a number
            candidates = [row for row in candidates if value.search(row[2].text)]
        if value and not agent:  # of those, the ones stating what is asked of the subject (成交额里金融数据占多少)
            candidates = stating_focus(question, candidates, base)
        other = [s.text for *_, s in candidates if s.language != base]
        glossed = dict(zip(other, weighted_coverage(question, other)))  # across languages: word by word, glossed
        same = [s.text for *_, s in candidates if s.language == base]
        stated = dict(zip(same, rarity_weighted([frozenset({w}) for w in wanted],
                                                [frozenset(tokenize(text)) for text in same])))
        for rank, hit, sentence in candidates:
            similarity = float(vectors[sentence.chunk_id] @ vector)
            overlap = stated[sentence.text] if sentence.language == base else glossed[sentence.text]
            names = listing._names(in_context(sentence), entities) if entities else False
            score = similarity + OVERLAP * overlap + NAMED * names + bonus(sentence.text) - RANK_STEP * rank
            score += 0.05 if agent and agent.search(sentence.text) else 0.0
            score += 0.1 if did and agent.search(sentence.text) and states(did, sentence.text) else 0.0
            scored.append((score, similarity, rank, hit, sentence))
        # a name the corpus never mentions means the question is about something else, unless it names a document
        # (a document's name may be written in the other script: "Yanlan" for 雁澜)
        unknown = self.search.unknown_numbered(question) if retrieval.scope else self.search.unknown_names(question)
        if not scored or unknown:
            return self.refusal(language, 0.1 if scored else 0.0)
        scored.sort(key=lambda row: -row[0])
        # the best of the top sentences that states what is asked (of each document, when several are named)
        caps = [(answerability(reading, row, rows, entities if len(retrieval.scope) < 2 else [],
                               groups if len(retrieval.scope) < 2 else [], self.lexicon), row) for row in scored[:5]]
        cap, best = next(((c, row) for c, row in caps if c >= 1.0), caps[0])
        grounding = self.grounding(best[1], language, best[4].language)
        if cap >= 1.0 and entities and listing._names(best[4].text, entities):
            grounding = max(grounding, 0.6)  # the sentence names what is asked about and states what is asked of it
        if reading.same_source and retrieval.focus:
            grounding = max(grounding, 0.6)  # the reader pointed at this paragraph: its best sentence answers
        grounding = min(grounding, cap)
        if grounding < 0.5 and retrieval.scope_named:  # a name in the question may belong to another document too
            return self.quote_best(reading, self.search.search(reading.query, len(retrieval.hits) or 5))
        if grounding < 0.5:
            return self.refusal(language, grounding)
        picked = [best] + [row for row in scored if row[0] >= best[0] - 0.04 and row[2] <= best[2] + 1
                           and row is not best][:1]
        if len(retrieval.scope) > 1:  # the question names several documents: the best sentence of each
            firsts = {}
            for row in scored:
                firsts.setdefault(row[3].key.partition("#")[0], row)
            picked = [firsts[g] for g in retrieval.scope if g in firsts] or picked
        picked = picked[:1] + sorted(picked[1:], key=lambda row: (row[2], row[4].metadata["index"]))  # value first
        out = Composer(language, rows)
        lead = source_lead(best[4], language)
        quotes = [out.quote(hit, sentence) for *_, hit, sentence in picked]
        joined = ("" if out.base == "zh" else " ").join(quotes)
        out.add(f"{lead}{joined}" if lead else joined)
        return out.draft(grounding)

    def place_bonus(self, question: str):
        """Score bonus for sentences naming places or projects when the question asks for examples or places."""
        if not PLACE_CUE.search(to_simplified(question).lower()):
            return lambda text: 0.0
        return lambda text: 0.1 if listing._names(text, self._place_names) else 0.0

    def grounding(self, similarity: float, language: str, source_language: str) -> float:
        """Evidence that the sources answer the question (0–1); 0.5 is the calibrated similarity floor."""
        pair = ("en" if language == "en" else "zh", source_language)
        floor = SIMILARITY_FLOOR.get(pair, 0.80)
        return round(float(np.clip(0.5 + (similarity - floor) / 0.1, 0.0, 1.0)), 3)

    def refusal(self, language: str, grounding: float) -> Draft:
        """A refusal in the question's language and script that says what the corpus holds."""
        base = "en" if language == "en" else "zh"
        docs = list(self.docs.values())
        named = [d for d in docs if base in d.meta][:3]  # titles readable in the question's language
        rest = len(docs) - len(named)
        if base == "en":
            held = "; ".join(f"“{d.title('en')}”" for d in named) + (f" and {rest} more" if rest else "")
            text = f"The documents do not answer this question. The corpus holds {len(docs)}: {held}."
        else:
            held = "；".join(f"《{d.title('zh')}》" for d in named) + (f"等，另有{rest}份" if rest else "")
            text = f"语料中没有能回答这个问题的内容。现有{len(docs)}份文档：{held}。"
        return Draft([self.script(text, language)], [], True, round(grounding, 3))

    @staticmethod
    def script(text: str, language: str) -> str:
        """Write text in Traditional characters when the question was."""
        return to_traditional(text) if language == "zh-Hant" else text

    def sentences_of(self, hits: list[Hit]) -> dict:
        """Fetch the sentences of hits grouped by "key|language"."""
        return grouped(self.search.sentences([h.key for h in hits]))

    def _rows(self, keys: list[str]):
        found = self.search.sentences(keys)
        return grouped(found), {p.chunk_id: vector for p, vector in found}

    def _query_vector(self, text: str) -> np.ndarray:
        return np.asarray(self.search.embeddings.embed_query(to_simplified(text)), dtype=np.float32)

    def _tables(self) -> tuple[dict, dict]:
        view = self.search.view
        with self._lock:
            if self._cache is None or self._cache[0] != id(view):
                docs = documents(self.search.by_key)
                self._cache = (id(view), docs, lexicon(docs, self.glossary))
            return self._cache[1], self._cache[2]


PLACE_CUE = re.compile(r"城市|地方|哪里|例子|案例|代表|实践|项目|探索|"
                       r"\b(cities|city|places?|where|examples?|projects?|tried)\b")
