"""Own the focus of a value question: the words saying what is asked of its subject, and the sentences stating them."""
from __future__ import annotations

from cityqa.answering.answerability import QUESTION_WORD, STOP
from cityqa.corpus.bilingual import QUESTION_STEMS, is_name, rarity_weighted, senses
from cityqa.corpus.text import content_words, tokenize
from cityqa.language import cue
from cityqa.questions.conversation import GENERIC

ONE_HAN = cue("focus_one_han", "zh")


def focus_words(question: str) -> list[str]:
    """The question's content words besides question words and kinds of answer (成交额, 金融, apprentices …)."""
    return [w for w in content_words(question) if w not in GENERIC and w not in STOP and not QUESTION_WORD.search(w)
            and not w.isdigit() and not ONE_HAN.fullmatch(w)]  # 到, 要, 年: one character says little


def stating_focus(question: str, candidates: list, base: str) -> list:
    """The candidates (rank, hit, sentence) that state most of what the question asks, its subject aside."""
    if not candidates:
        return candidates
    # a word of a title names the subject all its sentences speak of (鹤汀 in a news item on 鹤汀): it tells them
    # apart less than the asked words do; across languages only a name counts so ("Homes" in a title: 住房 stays)
    titles = " ".join(f"{s.metadata.get('title', '')} {s.metadata.get('title_en', '')}" for *_, s in candidates)
    named, glossed = set(tokenize(titles)), frozenset().union(*senses(titles))
    words = [w for w in focus_words(question) if not set(tokenize(w)) <= named
             and not (is_name(w) and frozenset().union(*senses(w)) & glossed)]
    if not words:
        return candidates
    forms = {True: [frozenset(tokenize(w)) for w in words],
             False: [frozenset().union(*senses(w)) - QUESTION_STEMS for w in words]}
    scores = [0.0] * len(candidates)
    for same in (True, False):  # rarity is counted among the candidates of one language
        at = [i for i, (*_, s) in enumerate(candidates) if (s.language == base) == same]
        have = [frozenset(tokenize(candidates[i][2].text)) if same
                else frozenset().union(*senses(candidates[i][2].text)) for i in at]
        for i, score in zip(at, rarity_weighted(forms[same], have)):
            scores[i] = score
    top = max(scores)
    if top == 0:
        return candidates
    # across languages a gloss may miss a synonym (住房 housing, "homes"): there the words only add to the score
    return [row for row, score in zip(candidates, scores) if score >= top or (row[2].language != base and score)]
