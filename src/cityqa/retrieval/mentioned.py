"""Own the name check of the text: does the corpus name a name as a word of its own, in either script?"""
from __future__ import annotations

from cityqa.corpus.text import to_simplified, to_traditional
from cityqa.index.lexical import CJK_NAME
from cityqa.retrieval.view import IndexView


def mentions_word(view: IndexView, name: str, known: set[str] = frozenset()) -> bool:
    """Tell whether the text names a name outside longer known names (a city inside an institute's name does not
    count)."""
    name = to_simplified(name)  # Chinese compared in 简体: a 繁體 document names what a 简体 question asks
    forms = list(dict.fromkeys([name, to_traditional(name)]))  # the postings read the text in its own script
    keys = view.names.candidates([forms]) if name else None  # paragraphs that may contain it: the name postings
    passages = [p for key in keys for ps in view.by_key[key].values() for p in ps] if keys else []
    texts = [to_simplified(p.text) for p in passages]
    if not any(name.lower() in text.lower() for text in texts):  # a variant character neither form spells
        if name.lower() not in to_simplified(view.text_lower):
            return False
        texts = [text for text in (to_simplified(p.text) for p in view.passages) if name.lower() in text.lower()]
    if not CJK_NAME.match(name):
        return True
    longer = [k for k in map(to_simplified, known) if name in k and k != name]
    return any(name in strip_names(text, longer) for text in texts if name in text)


def strip_names(text: str, names: list[str]) -> str:
    for n in sorted(names, key=len, reverse=True):
        text = text.replace(n, " ")
    return text
