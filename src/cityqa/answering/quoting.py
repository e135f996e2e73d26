"""Own the quoting handler: the sentences the learned scorer ranks first, or a refusal below its threshold."""
from __future__ import annotations

import numpy as np

from cityqa.answering.answerability import answerability, asked_entities
from cityqa.answering.compose import Composer, grouped, source_lead, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.scoring import JUDGED, Candidate, SentenceScorer, candidate_features, load_scorer
from cityqa.calibration import cutoff
from cityqa.corpus.text import to_simplified
from cityqa.language import base, spaced
from cityqa.questions.conversation import Reading
from cityqa.retrieval.hybrid import HybridSearch
from cityqa.types import Draft, Retrieval

VALUE_DEPTH = cutoff("quoting.value_depth")  # the value veto: none of the best few states the kind of value asked
VETO_DEPTH = JUDGED  # the top-ranked candidates the answerability rule may pass over for one that states the answer
CANDIDATE_PARAGRAPHS = cutoff("quoting.candidate_paragraphs")  # the most top paragraphs scored (weights may say fewer)


class Quoting:
    """Quote the best sentences of the top paragraphs, chosen and refused by the learned scorer."""

    kinds = None  # any question the structural handlers leave

    def __init__(self, search: HybridSearch):
        self.search = search
        self.scorer: SentenceScorer = load_scorer(search.embeddings.model_id)

    def candidates(self, reading: Reading, retrieval: Retrieval, scorer: SentenceScorer) -> list[Candidate]:
        """The sentences of the top paragraphs that may answer, each with its features."""
        hits = retrieval.hits[:min(CANDIDATE_PARAGRAPHS, scorer.paragraphs)]
        found_rows = self.search.sentences([h.key for h in hits])
        rows, vectors = grouped(found_rows), {p.chunk_id: v for p, v in found_rows}
        found = [Candidate(hit, s, rank) for rank, hit in enumerate(hits)
                 for s in versions_for(hit, rows, retrieval.language)]
        query = reading.question if reading.same_source else reading.query  # the paragraph is fixed already
        unknown = self.search.unknown_numbered(reading.question) if retrieval.scope else \
            self.search.unknown_names(reading.question)
        vector = np.asarray(self.search.embeddings.embed_query(to_simplified(query)), dtype=np.float32)
        candidate_features(query, reading.intent.asks, vector, found, vectors, len(unknown),
                           scorer.shift_for(reading.language_base()))
        return found

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft:
        """Quote the sentence ranked first (and a close second), or refuse below the pair's threshold."""
        scorer, language = self.scorer, retrieval.language
        found = self.candidates(reading, retrieval, scorer)
        scorer.score(found)
        if not found:
            return corpus.refusal(language, 0.0)
        ranked = sorted(found, key=lambda c: -c.probability)
        grounding = scorer.answerability(ranked)
        rules = scorer.rules_for(reading.language_base(), grounding)
        if rules:
            ruled = self.ruled(reading, retrieval, ranked, rules, corpus)
            if not ruled:
                return corpus.refusal(language, cutoff("quoting.refusal_grounding"))
            grounding, ranked = (grounding if ruled is ranked else scorer.answerability(ruled)), ruled
        best = ranked[0]
        source = base(best.sentence.language)
        if grounding < scorer.threshold(reading.language_base(), source):
            return corpus.refusal(language, grounding)
        same = [c for c in ranked[1:] if c.hit.key == best.hit.key]  # one source: a second sentence of its paragraph
        picked = [best] + [c for c in same[:1] if c.probability >= scorer.second * best.probability]
        if len(retrieval.scope) > 1:  # the question names several documents: the best sentence of each
            firsts: dict[str, Candidate] = {}
            for c in ranked:
                firsts.setdefault(c.hit.key.partition("#")[0], c)
            picked = [firsts[g] for g in retrieval.scope if g in firsts] or picked
        picked = picked[:1] + sorted(picked[1:], key=lambda c: (c.rank, c.sentence.metadata["index"]))
        out = Composer(language, grouped(self.search.sentences([c.hit.key for c in picked])))
        lead = source_lead(best.sentence, language)
        joined = (" " if spaced(out.base) else "").join(out.quote(c.hit, c.sentence) for c in picked)
        out.add(f"{lead}{joined}" if lead else joined)
        return out.draft(round(grounding, 3))

    def ruled(self, reading: Reading, retrieval: Retrieval, ranked: list[Candidate], rules: set[str],
              corpus: CorpusContext) -> list[Candidate]:
        """The ranked candidates as the rules that apply leave them (none: refuse)."""
        asked = ranked[0].features["value_asked"]
        if "value_veto" in rules and asked and not any(c.features["value_stated"] for c in ranked[:VALUE_DEPTH]):
            return []  # "how many …" and none of the best sentences states a number
        if "value_filter" in rules and asked:  # a sentence with the kind of value asked for
            ranked = [c for c in ranked if c.features["value_stated"]] or ranked
        if "unknown_names_veto" in rules and ranked[0].features["unknown_names"] > 0:
            return []  # a name the corpus never mentions: the question is about another
        if "answerability_veto" in rules and not reading.same_source:  # not a paragraph the reader chose
            self.judge(reading, retrieval, ranked, corpus)  # the filter may have brought unjudged ones up
            return self.stating(ranked)
        return ranked

    def judge(self, reading: Reading, retrieval: Retrieval, ranked: list[Candidate], corpus: CorpusContext,
              depth: int = VETO_DEPTH) -> None:
        """Set the "stated" feature of the best-ranked candidates not judged yet: whether the old answerability
        rules find that a sentence names what is asked and states what is asked of it (1) or cap it (0.3–0.35)."""
        todo = [c for c in ranked[:depth] if "stated" not in c.features]
        if reading.same_source or not todo:  # a paragraph the reader chose: nothing to judge
            for c in todo:
                c.features["stated"] = 1.0
            return
        entities, groups = asked_entities(reading, corpus.glossary, ranked)
        if len(retrieval.scope) > 1:
            entities, groups = [], []
        rows = grouped(self.search.sentences(list(dict.fromkeys(c.hit.key for c in todo))))
        for c in todo:
            c.features["stated"] = answerability(reading, (c.probability, 0.0, c.rank, c.hit, c.sentence), rows,
                                                 entities, groups, corpus.lexicon)

    def stating(self, ranked: list[Candidate]) -> list[Candidate]:
        """The ranked candidates from the first of the top ones the answerability rules find stating what is asked
        (none: the sources do not answer)."""
        return next((ranked[i:] for i, c in enumerate(ranked[:VETO_DEPTH]) if c.features["stated"] >= 1.0), [])
