"""Own elliptic follow-ups ("And X?", "那X呢？"): the new subject they name and the question before asked of it."""
from __future__ import annotations

import re

from cityqa import language
from cityqa.calibration import cutoff
from cityqa.corpus.text import named_entities, to_simplified, words
from cityqa.questions.intents import HEAD, Intent, item_reference
from cityqa.questions.reading import Reading

ELLIPTIC = language.cue("ellipsis_elliptic")  # "And London?", "那伦敦呢？"
LEAD, TRAILING = language.cue("ellipsis_lead"), language.cue("ellipsis_trailing")  # "And what about …", "…呢？"
OWN_QUESTION = language.cue("ellipsis_own_question")  # "And how long is Line 3?" asks a question, names no subject
MIN_HEAD = cutoff("ellipsis.min_head")


def elliptic_subject(question: str) -> str:
    """The new subject of "And X?", "那X呢？", "what about X" ("" when the question is not of that form)."""
    text = to_simplified(question).strip()
    if not ELLIPTIC.search(text.lower()):
        return ""
    text = LEAD.sub("", text)  # "And what about X?" leads in once, not twice
    return "" if OWN_QUESTION.search(text) else TRAILING.sub("", text).strip()


def substituted(subject: str, intent: Intent, prior: Reading, labels: tuple[str, ...] = ()) -> str:
    """The prior question asked of a new subject: a name of its kind or a word with its head replaced ("" if none)."""
    # "What is Tokyo's population?" + "And London?"; 哪些城市在绿色金融方面做了探索？ + 那艺术金融呢？
    text = to_simplified(prior.question)
    if prior.subject and prior.subject in text:  # 那艺术金融呢？ then 那数据交易呢？: the subject put in last
        return text.replace(prior.subject, subject, 1)
    reference = item_reference(text, labels) if prior.intent.items and not intent.items else ""
    if reference and any(t.kind == "item" for t in intent.terms):  # "What is track 7?" + "What about the … track?"
        article = "the " if subject.isascii() and not text[:text.index(reference)].lower().endswith("the ") else ""
        return text.replace(reference, article + subject, 1)
    for new in intent.terms:
        for old in prior.intent.terms:
            forms = [f for f in (old.zh, *old.aliases_zh, old.en, *old.aliases_en) if f and f in text]
            if old.kind == new.kind and old.zh != new.zh and forms:
                return text.replace(max(forms, key=len), subject)
    names = [n for n in named_entities(text) if len(n) > 1 and n != subject]
    a_name = intent.terms or named_entities(subject) or subject.isascii() and subject[:1].isupper()
    if names and a_name:  # "What is Tokyo's population?" + "And London?"
        return text.replace(names[0], subject, 1)
    head = subject.split()[-1] if subject.isascii() else subject[-HEAD:]
    if len(head) < MIN_HEAD or subject.startswith(head):
        return ""
    if subject.isascii():  # "green finance" + "And art finance?"
        found = re.search(rf"\b[\w\-]+\s+{re.escape(head)}\b", text, flags=re.IGNORECASE)
        return text[:found.start()] + subject + text[found.end():] if found and found.group() != subject else ""
    tokens = words(text)  # 绿色金融 + 那艺术金融呢？: the word ending in 金融 (with the one before, if 金融 alone)
    for i, token in enumerate(tokens):
        if token.endswith(head) and token != subject:
            span = tokens[i - 1] + token if token == head and i else token
            return text.replace(span, subject, 1) if span in text else ""
    return ""
