"""Own who-questions: what the question says was done, and the paragraph naming who did it."""
from __future__ import annotations

from cityqa.answering.answerability import QUESTION_WORD, VALUE
from cityqa.answering.context import CorpusContext
from cityqa.corpus.text import EN_NUMBERS, content_words, tokenize
from cityqa.language import cue
from cityqa.questions.conversation import GENERIC, Reading
from cityqa.types import Hit, Retrieval

COUNTED = cue("doers_counted", "zh")  # 三条, 两个: a count, not what was done


def what_was_done(question: str) -> list[str]:
    """The words of a who-question besides its numbers and question words (谁提出了新赛道 → 新赛道)."""
    return [w for w in content_words(question) if len(w) > 1 and w not in GENERIC and not QUESTION_WORD.search(w)
            and not COUNTED.fullmatch(w) and w not in EN_NUMBERS]


def states(words: list[str], text: str) -> bool:
    """Tell whether a text states every one of the words."""
    tokens = set(tokenize(text))
    return all(w in tokens for w in words)


def doer_paragraphs(corpus: CorpusContext, reading: Reading, retrieval: Retrieval, hits: list[Hit], did: list[str],
                    wider_k: int) -> list[Hit]:
    """A paragraph beyond the top ones whose sentence names a doer and what the question says was done."""
    wider = corpus.search.search(reading.query, wider_k, scope=tuple(retrieval.scope)).hits
    rows = corpus.sentences_of(wider)
    found = [h for h in wider if any(states(did, s.text) and VALUE["person"].search(s.text)  # the costly name pass last
                                     for lang in h.versions for s in rows.get(f"{h.key}|{lang}", []))]
    return [] if any(h.key in {x.key for x in hits} for h in found) else found[:1]
