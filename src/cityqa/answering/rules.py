"""Own the rule-based quoting handler: hand-set sentence scores, filters and answerability caps (the default until
the learned scorer of answering/quoting.py meets the suites' gates; docs/scorer.md)."""
from __future__ import annotations

import numpy as np

from cityqa.answering import listing
from cityqa.answering.answerability import QUESTION_WORD, VALUE, answerability
from cityqa.answering.compose import Composer, in_context, source_lead, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.doers import doer_paragraphs, states, what_was_done
from cityqa.answering.focus import stating_focus
from cityqa.answering.naming import names_one_of
from cityqa.answering.scoring import copied_names
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import is_name, rarity_weighted, weighted_coverage
from cityqa.corpus.text import named_entities, tokenize
from cityqa.language import FILES, base, spaced
from cityqa.questions.conversation import GENERIC, Reading
from cityqa.questions.intents import glossary_matches
from cityqa.types import Draft, Retrieval

# Sentence similarity (multilingual-e5-small) at which the sources start to answer, by (question, source) language;
# calibrated on the dev splits of eval/cases.jsonl and eval/fixtures/cases.jsonl (never on their test splits).
E5 = "e5-small-q4"  # the similarity scale the floors were read on (calibration/cutoffs.toml)
SIMILARITY_FLOOR = {(q, s): cutoff(f"rules.floor_{q}_{s}", E5) for q in FILES for s in FILES}
OTHER_FLOOR, SPAN = cutoff("rules.floor", E5), cutoff("rules.span", E5)  # another pair's floor; similarity from
# the floor to grounding 1
ENTITY_KINDS = listing.ENTITY_KINDS
QUOTED_PARAGRAPHS = cutoff("rules.quoted_paragraphs")  # the top paragraphs whose sentences may be quoted
WIDER = cutoff("rules.wider")  # who did X: paragraphs searched for a doer, as a multiple of QUOTED_PARAGRAPHS
# a sentence's score: similarity + OVERLAP × asked words it states (rare ones count more) + NAMED if it names what
# is asked about − RANK_STEP per place its paragraph ranks below the first
OVERLAP, NAMED, RANK_STEP = cutoff("rules.overlap"), cutoff("rules.named"), cutoff("rules.rank_step")
AGENT, DOER = cutoff("rules.agent"), cutoff("rules.doer")  # who-questions: a named agent; one who did what is asked
JUDGED, CLOSE = cutoff("rules.judged"), cutoff("rules.close")  # top sentences judged; a second one this close
ANSWERS, STATED = cutoff("rules.answers"), cutoff("rules.stated")  # grounding that answers; the floor a stating
# sentence (or the paragraph the reader chose) lifts it to
RESEARCH = cutoff("rules.research")  # paragraphs searched again when a named document does not answer


class RuleQuoting:
    """Quote the sentences hand-set scores rank first; refuse below the calibrated similarity floor."""

    kinds = None  # any question the structural handlers leave

    def answer(self, reading: Reading, retrieval: Retrieval, corpus: CorpusContext) -> Draft:
        """Quote the best-matching sentences of the top paragraphs, or refuse when they do not answer."""
        ans = corpus
        language, question = retrieval.language, reading.question
        code = base(language)
        hits = retrieval.hits[:QUOTED_PARAGRAPHS]
        did = what_was_done(reading.question) if reading.intent.asks == "person" else []
        if did and not retrieval.focus:  # who did X: the paragraph naming a doer of X, when the top ones do not
            hits = doer_paragraphs(ans, reading, retrieval, hits, did, WIDER * QUOTED_PARAGRAPHS) + hits
        rows, vectors = ans.rows([h.key for h in hits])
        vector = ans.query_vector(reading.query)
        terms = glossary_matches(reading.query, ans.glossary)
        wanted = set(tokenize(reading.query + " " + " ".join(f"{t.zh} {t.en}" for t in terms)))
        groups = [[n for n in (t.zh, *t.aliases_zh, t.en, *t.aliases_en) if n] for t in terms if t.kind in ENTITY_KINDS]
        names = {n for n in named_entities(reading.query) if is_name(n)}  # not 新建 (newly built), read as a place
        names |= set(copied_names(question, code))  # a Chinese term in an English question: copied from the text
        groups += [[n] for n in sorted(names) if len(n) > 1 and not set(tokenize(n)) <= GENERIC
                   and not QUESTION_WORD.search(n) and not any(n in g for g in groups)]
        entities = [n for g in groups for n in g
                    if any(names_one_of(s.text, [n]) for h in hits for s in versions_for(h, rows, language))]
        scored, bonus = [], ans.place_bonus(question)
        value = VALUE.get(reading.intent.asks)
        candidates = [(rank, hit, s) for rank, hit in enumerate(hits) for s in versions_for(hit, rows, language)]
        agent = value if reading.intent.asks == "person" else None  # a who-question prefers a named agent
        if value and not agent and any(value.search(s.text) for *_, s in candidates):  # how many: a number
            candidates = [row for row in candidates if value.search(row[2].text)]
        if value and not agent:  # of those, the ones stating what is asked of the subject (成交额里金融数据占多少)
            candidates = stating_focus(question, candidates, code)
        other = [s.text for *_, s in candidates if s.language != code]
        glossed = dict(zip(other, weighted_coverage(question, other)))  # across languages: word by word, glossed
        same = [s.text for *_, s in candidates if s.language == code]
        stated = dict(zip(same, rarity_weighted([frozenset({w}) for w in wanted],
                                                [frozenset(tokenize(text)) for text in same])))
        for rank, hit, sentence in candidates:
            similarity = float(vectors[sentence.chunk_id] @ vector)
            overlap = stated[sentence.text] if sentence.language == code else glossed[sentence.text]
            names = names_one_of(in_context(sentence), entities) if entities else False
            score = similarity + OVERLAP * overlap + NAMED * names + bonus(sentence.text) - RANK_STEP * rank
            score += AGENT if agent and agent.search(sentence.text) else 0.0
            score += DOER if did and agent.search(sentence.text) and states(did, sentence.text) else 0.0
            scored.append((score, similarity, rank, hit, sentence))
        # a name the corpus never mentions means the question is about something else, unless it names a document
        # (a document's name may be written in the other script: "Yanlan" for 雁澜)
        unknown = ans.search.unknown_numbered(question) if retrieval.scope else ans.search.unknown_names(question)
        if not scored or unknown:
            return ans.refusal(language, cutoff("quoting.refusal_grounding") if scored else 0.0)
        scored.sort(key=lambda row: -row[0])
        # the best of the top sentences that states what is asked (of each document, when several are named)
        caps = [(answerability(reading, row, rows, entities if len(retrieval.scope) < 2 else [],
                               groups if len(retrieval.scope) < 2 else [], ans.lexicon), row)
                for row in scored[:JUDGED]]
        cap, best = next(((c, row) for c, row in caps if c >= 1.0), caps[0])
        grounding = self.grounding(best[1], reading.language_base(), best[4].language)  # floors: by question language
        if cap >= 1.0 and entities and names_one_of(best[4].text, entities):
            grounding = max(grounding, STATED)  # the sentence names what is asked about and states what is asked of it
        if reading.same_source and retrieval.focus:
            grounding = max(grounding, STATED)  # the reader pointed at this paragraph: its best sentence answers
        grounding = min(grounding, cap)
        if grounding < ANSWERS and retrieval.scope_named:  # a name in the question may belong to another document too
            return self.answer(reading, ans.search.search(reading.query, len(retrieval.hits) or RESEARCH), ans)
        if grounding < ANSWERS:
            return ans.refusal(language, grounding)
        picked = [best] + [row for row in scored if row[0] >= best[0] - CLOSE and row[2] <= best[2] + 1
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
        joined = (" " if spaced(out.base) else "").join(quotes)
        out.add(f"{lead}{joined}" if lead else joined)
        return out.draft(grounding)

    @staticmethod
    def grounding(similarity: float, language: str, source_language: str) -> float:
        """Evidence that the sources answer the question (0–1); 0.5 is the calibrated similarity floor."""
        floor = SIMILARITY_FLOOR.get((base(language), source_language), OTHER_FLOOR)
        return round(float(np.clip(ANSWERS + (similarity - floor) / SPAN, 0.0, 1.0)), 3)
