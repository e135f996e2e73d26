"""Own the reading of questions: which numbered items, glossary terms and kinds of question they name."""
from __future__ import annotations

import re

from cityqa.corpus.glossary import Term
from cityqa.corpus.text import EN_NUMBERS, EN_ORDINALS, to_simplified, zh_number

LIST_TRACKS = re.compile(r"(列出|列举|所有|全部|哪十四|十四条|有哪些新?赛道|fourteen|all (?:the )?(?:\w+ )?tracks|list (?:the |all )?(?:\w+ )*tracks)")
ZH_NUM = r"[一二三四五六七八九十两\d]{1,3}"
EN_NUM = "|".join(sorted(EN_NUMBERS[1:] + [r"\d{1,2}"], key=len, reverse=True))
TRACK_PATTERNS = [
    re.compile(rf"新?赛道\s*第?\s*({ZH_NUM})"),
    re.compile(rf"第\s*({ZH_NUM})\s*[条个项]?\s*新?赛道"),
    re.compile(rf"\btracks?\s*(?:no\.?|number|#)?\s*({EN_NUM})\b"),
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+(?:new\s+)?track"),
    re.compile(rf"\b({'|'.join(EN_ORDINALS[1:])})\s+(?:new\s+)?track"),
]
MENTION = re.compile(r"(哪些|哪几条|哪条|哪一条).{0,12}赛道|赛道.{0,6}(哪些|哪几条)|\b(which|what) (new )?tracks?\b")
AUTHOR = re.compile(r"作者|谁写|谁撰写|\b(authors?|who wrote|written by)\b", re.IGNORECASE)
QUANTITY = re.compile(r"多少|几个|几条|\bhow (many|much)\b|\bpopulation\b|\bpercentage\b", re.IGNORECASE)
EXAMPLE_QUESTION = re.compile(r"哪些城市|哪个城市|哪里|哪些地方|什么地方|例子|案例|代表|实践|哪些项目|"
                              r"\b(which (cities|places|city|projects?)|where|examples?|projects?|tried)\b")
ANAPHORA = re.compile(r"这方面|这个|这些|这条|该赛道|其中|它们?|他们|上述|此类|这里|那里|\b(this|that|these|those|it|they|them|there|its|their)\b",
                      re.IGNORECASE)


def track_numbers(question: str) -> list[int]:
    """Find track numbers a question names: "track 7", "第七条新赛道", "新赛道七", "seventh track"."""
    text = to_simplified(question).lower()
    found = []
    for pattern in TRACK_PATTERNS:
        for match in pattern.finditer(text):
            word = match.group(1)
            number = (zh_number(word) if not word.isascii() or word.isdigit() else
                      EN_NUMBERS.index(word) if word in EN_NUMBERS else EN_ORDINALS.index(word))
            if number and number not in found:
                found.append(number)
    return found


def glossary_matches(question: str, glossary: list[Term]) -> list[Term]:
    """Return glossary terms named in the question, in either language."""
    simplified, lower = to_simplified(question), question.lower()
    hits = []
    for term in glossary:
        zh = (term.zh, *term.aliases_zh)
        en = (term.en, *term.aliases_en)
        if any(z in simplified for z in zh) or any(
                re.search(rf"(?<![a-z]){re.escape(e.lower())}(?![a-z])", lower) for e in en):
            hits.append(term)
    return hits
