"""Own the kinds of value a question asks for (a number, a year, a person or body) and how a sentence states one."""
from __future__ import annotations

import re

from cityqa.corpus.text import named_entities

ORGANISATION = re.compile(r"课题组|研究院|研究所|研究中心|大学|学院|委员会|理事会|政府|协会|组织|论坛|银行|集团|"
                          r"公司|议会|"
                          r"\b(?:group|institute|academy|university|college|council|government|"
                          r"ministry|department|agency|forum|bank|company|commission|association|committee|"
                          r"authority|office|team|organi[sz]ation)s?\b", re.IGNORECASE)


class _Agent:
    """A "who" question's value: a sentence naming a person or an organisation (课题组, council, forum …)."""

    @staticmethod
    def search(text: str) -> bool:
        full_names = [n for n in named_entities(text, ("nr", "nrfg")) if len(n) == 3]  # 三字全名, not 拓宽
        return bool(ORGANISATION.search(text) or full_names or re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text))


NUMBER_WORDS = ("two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundreds? "
                "thousands? millions? billions? dozens?").split()  # numbers written as words count
VALUE = {"number": re.compile(r"\d|[一二三四五六七八九十百千万亿]+[个条项%倍]|percent|百分|"
                              rf"(?i:\b(?:{'|'.join(NUMBER_WORDS)})\b)"),
         "year": re.compile(r"\d{4}|[一二三四五六七八九〇零]{4}年|\b(century|decade)\b|世纪|年代"),
         "person": _Agent()}
