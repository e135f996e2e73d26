"""Own the translation check: does English text state a Chinese word, by the dictionary's glosses of its parts?"""
from __future__ import annotations

import re

from cityqa.corpus.bilingual import IRREGULAR, MAX_WORD, glosses
from cityqa.corpus.text import CJK


def english_vocabulary(text: str) -> frozenset[str]:
    """The English words a text uses, as stem prefixes (extension and extend meet at "exten")."""
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    found = {IRREGULAR.get(w, w) for w in re.findall(r"[a-z][a-z'’\-]*", text.lower())}
    return frozenset(stem[:PREFIX] for stem in stemmer.stemWords(list(found)))


PREFIX = 5


def glossed_in(word: str, vocabulary: frozenset[str]) -> bool:
    """Tell whether English text states a Chinese word in translation: each dictionary word it is made of by one of
    its glosses (延伸线 in a text about an "extension line"); a word with a part no dictionary knows never."""
    if not CJK.match(word):
        return False
    table = glosses()
    parts, start = [], 0
    while start < len(word):
        end = next((e for e in range(min(len(word), start + MAX_WORD), start, -1) if word[start:e] in table), 0)
        if not end:
            return False
        parts.append(table[word[start:end]].split())
        start = end
    return all(any(g[:PREFIX] in vocabulary for g in gloss) for gloss in parts)
