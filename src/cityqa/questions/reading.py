"""Own the Reading: a question as understood in its conversation (a leaf the conversation stages share)."""
from __future__ import annotations

from dataclasses import dataclass

from cityqa import language
from cityqa.corpus.text import detect_language
from cityqa.questions.intents import Intent


@dataclass(frozen=True)
class Reading:
    """A question as understood in its conversation: what to search for and which intent to answer."""

    question: str
    query: str
    intent: Intent
    dependent: bool = False
    understood_as: str = ""
    ordinal: int = 0
    prior: Reading | None = None
    same_source: bool = False  # "同一段还提到了什么", "what else does that paragraph say": the prior answer's paragraph
    language: str = ""  # the language to answer in, when the reader asked for another ("And in Chinese?")
    subject: str = ""  # the subject an "And X?" put into the question before: the next "And Y?" replaces it

    def answer_language(self) -> str:
        """"zh", "zh-Hant" or "en": the language asked for, else the question's own."""
        return self.language or detect_language(self.question)

    def language_base(self) -> str:
        """"en" or "zh": the language the question is written in (either Chinese script counts as zh)."""
        return language.base(detect_language(self.question))
