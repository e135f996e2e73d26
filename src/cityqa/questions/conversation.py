"""Own conversation reading: decide per turn whether a question stands alone or depends on the turns before."""
from __future__ import annotations

import re
from dataclasses import replace

from cityqa import language
from cityqa.calibration import cutoff
from cityqa.corpus.glossary import Term
from cityqa.corpus.text import (
    clean_question,
    detect_language,
    named_entities,
    to_simplified,
    tokenize,
    zh_numeral,
)
from cityqa.questions.ellipsis import ELLIPTIC, elliptic_subject, substituted
from cityqa.questions.intents import (
    HEAD,
    SAME_SOURCE,
    STRONG_ANAPHORA,
    Intent,
    Kind,
    classify,
    ordinal_reference,
)
from cityqa.questions.reading import Reading  # noqa: F401  (the stage's output, re-exported)

# words that say what kind of answer is wanted but not what it is about: a question made only of them has no subject
GENERIC = set(tokenize(" ".join(w for code in language.FILES for w in language.listed("conversation_generic", code))))
WEAK_PRONOUN = language.cue("conversation_weak_pronoun")
SELF_CONTAINED = (Kind.AUTHORS, Kind.METADATA, Kind.COUNT, Kind.LIST_ITEMS, Kind.ITEM)
PRONOUN_WORDS = cutoff("conversation.pronoun_words")  # a pronoun with this few words of its own asks of the one before
TURN_CHARS = cutoff("conversation.turn_chars")  # a follow-up reads at most this much of each earlier turn
READ_CHARS = cutoff("conversation.read_chars")  # of a question, what segmentation and search read
QUERY_CHARS, ELLIPTIC_CHARS = cutoff("conversation.query_chars"), cutoff("conversation.elliptic_chars")


def bounded_history(history, max_turns: int) -> list[dict]:
    """The turns a follow-up may read, each cut to TURN_CHARS, before any work is done on them."""
    if not isinstance(history, list) or max_turns <= 0:
        return []
    kept = []
    for turn in history[-2 * max_turns:]:
        if isinstance(turn, dict):
            content = turn.get("content", "")
            kept.append({**turn, "content": (content if isinstance(content, str) else "")[:TURN_CHARS]})
    return kept


def read_part(question: str) -> tuple[str, bool]:
    """The part of a question that is read (its first READ_CHARS characters), and whether it was cut."""
    return question[:READ_CHARS], len(question) > READ_CHARS


def read(question: str, history: list[dict], glossary: list[Term], labels: tuple[str, ...],
         max_turns: int = cutoff("conversation.max_turns")) -> Reading:
    """Read a question with its history; only a question without a subject of its own is read as a follow-up."""
    turns = [clean_question(str(t.get("content", ""))) for t in history[-2 * max_turns:]
             if isinstance(t, dict) and t.get("role") == "user"]
    turns = [t for t in turns if t]
    intent = classify(question, glossary, labels)
    standalone = Reading(question, question, intent)
    requested = requested_language(question) if turns else ""
    if not turns or not requested and not depends(question, intent):
        return standalone
    prior = read(turns[-1], [{"role": "user", "content": t} for t in turns[:-1]], glossary, labels, max_turns)
    if requested:  # "And in Chinese?", 用英文回答: the question before, answered in that language
        return replace(prior, language=requested, understood_as=prior.understood_as or prior.question)
    ordinal = ordinal_reference(question)
    subject = "" if ordinal else elliptic_subject(question)  # "what about the second one?" names no subject
    root = prior
    while root.dependent and root.prior:
        root = root.prior  # 通过什么法规？ asked of 绿色金融: 那艺术金融呢？ changes the subject of the question before
    if subject:
        same_language = root.language_base() == standalone.language_base()
        asked = substituted(subject, intent, root, labels) if same_language else ""
        if asked:  # the same question of another subject, standing alone: nothing of the subject before is carried
            answer_in = standalone.answer_language()  # read in 简体, shown and answered in the asker's script
            shown = language.in_script(asked, answer_in)
            return Reading(asked, asked, classify(asked, glossary, labels), True, shown, language=answer_in,
                           subject=subject)
        if prior.intent.kind in (Kind.ITEM, Kind.LIST_ITEMS, Kind.ITEMS_MENTIONING, Kind.COMPARISON, Kind.COUNT):
            # "What is track 7?" → "And London?": London, not track 7 again; searched next to the item before
            return replace(standalone, query=f"{question} {prior.query}", dependent=True,
                           understood_as=following(question, prior), prior=prior)
    inherited = _inherit(intent, prior.intent, ordinal)
    if ELLIPTIC.search(to_simplified(question).lower()) and prior.intent.kind == Kind.MENTION:
        inherited = replace(prior.intent, terms=intent.terms)  # "Does it mention Berlin?" → "And London?"
    return Reading(question, f"{prior.query} {question}"[-QUERY_CHARS:], inherited, True,
                   rewritten(question, inherited, prior, labels), ordinal, prior,
                   bool(SAME_SOURCE.search(to_simplified(question).lower())))


def rewritten(question: str, intent: Intent, prior: Reading, labels: tuple[str, ...]) -> str:
    """The follow-up as understood: the question with the subject it takes from the turns before named after it."""
    asked_in = detect_language(question)
    code = language.base(asked_in)
    subject = subject_of(intent, prior, code, labels)
    if not subject:  # nothing to name: say which question it follows
        return following(question, prior)
    subject = language.in_script(subject, asked_in)  # 繁體: the subject in the asker's script, the question as asked
    return language.frame("conversation_about", asked_in).format(question=question.strip(), subject=subject)


def following(question: str, prior: Reading) -> str:
    """The follow-up as understood when it names its own subject or none: the question and the one it follows."""
    earlier = prior.understood_as or prior.question.strip()
    return language.frame("conversation_following", detect_language(question)).format(question=question.strip(),
                                                                                      earlier=earlier)


def subject_of(intent: Intent, prior: Reading, base: str, labels: tuple[str, ...]) -> str:
    """What a follow-up is about, in its language: the items or terms it carries, else names the turn before used."""
    joined = language.say("conversation_separator", base).join
    if intent.items:  # the item noun the turns before used ("section 2" of one document is not "new track 2")
        asked = to_simplified(f"{prior.question} {prior.understood_as}").lower()
        latin = language.spaced(base)  # a spaced language's labels are written in Latin letters, its numbers in digits
        default = language.listed("conversation_default_label", base)[0]
        label = next((lab for lab in sorted(labels, key=len, reverse=True) if lab.isascii() == latin
                      and _head(lab) in asked), default)
        label = f"{label[0].lower()}{label[1:]}" if latin else label
        numbers = [n if latin else zh_numeral(n) for n in intent.items]
        return joined(language.say("conversation_numbered", base, label=label, number=n) if label != default else
                      language.say("conversation_default_numbered", base, number=n) for n in numbers)
    if intent.terms:
        return joined(dict.fromkeys(getattr(t, base) for t in intent.terms))
    names = named_entities(prior.question)
    if names:  # names written one after another are one name ("Harbourside Cycling Plan")
        alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
        return joined(dict.fromkeys(re.findall(rf"(?:{alternatives})(?:\s+(?:{alternatives}))*", prior.question)))
    return subject_of(prior.intent, prior.prior, base, labels) if prior.dependent and prior.prior else ""


def depends(question: str, intent: Intent) -> bool:
    """Tell whether a question needs the turns before it: anaphora or ellipsis, and no subject of its own."""
    text = to_simplified(question).lower()
    if intent.kind == Kind.COMPARISON and len(intent.items) < 2 and WEAK_PRONOUN.search(text):
        return True
    corpus_list = intent.kind == Kind.MENTION and intent.category and not intent.terms  # "list all the cities"
    if (intent.kind in SELF_CONTAINED or corpus_list) and not STRONG_ANAPHORA.search(text):
        return False
    own = [w for w in tokenize(question) if w not in GENERIC]
    names = [t for t in intent.terms if t.kind != "concept"] or [
        n for n in named_entities(question) if not set(tokenize(n)) <= GENERIC]
    if ordinal_reference(question) and not intent.items or SAME_SOURCE.search(text):
        return True
    if ELLIPTIC.search(text) and len(text) <= ELLIPTIC_CHARS and not intent.items:
        return True
    if STRONG_ANAPHORA.search(text):
        return not intent.items and not names
    if WEAK_PRONOUN.search(text) and not intent.terms and not names and not intent.items:
        return len([w for w in own if not WEAK_PRONOUN.fullmatch(w)]) <= PRONOUN_WORDS
    return not own and not names and not intent.items


def _inherit(intent: Intent, prior: Intent, ordinal: int) -> Intent:
    """Carry the prior turn's scope (items, terms) into a follow-up that names none of its own."""
    if ordinal and prior.kind == Kind.LIST_ITEMS:
        number = ordinal if ordinal > 0 else 0
        return replace(intent, kind=Kind.ITEM, items=(number,) if number else prior.items)
    if ordinal and prior.kind == Kind.AUTHORS:
        return replace(prior, roles=True)
    if ordinal and prior.kind in (Kind.ITEMS_MENTIONING, Kind.ITEM, Kind.COMPARISON):
        return replace(prior, asks=intent.asks)
    if intent.kind == Kind.COMPARISON and prior.items:
        return replace(intent, items=tuple(dict.fromkeys(prior.items + intent.items)))
    if intent.items or intent.kind in (Kind.AUTHORS, Kind.METADATA, Kind.COUNT):
        return intent
    if prior.kind in (Kind.ITEM, Kind.ITEMS_MENTIONING, Kind.COMPARISON):
        return replace(prior, asks=intent.asks or prior.asks, category=intent.category)
    return replace(intent, terms=tuple(dict.fromkeys(prior.terms + intent.terms)))


LANGUAGE_REQUEST = language.cue("conversation_language_request")  # "And in Chinese?", 用英文回答, 繁體中文
ASKS_ENGLISH = language.cue("conversation_asks_english")  # the language named: English ("english", 英文)
ASKS_TRADITIONAL = language.cue("conversation_asks_traditional")  # Chinese in traditional script


def requested_language(question: str) -> str:
    """The answer language a reader asks for ("And in Chinese?" → zh, 用英文回答 → en, 繁體中文 → zh-Hant), or ""."""
    found = LANGUAGE_REQUEST.match(question.strip())
    if not found:
        return ""
    name = next(g for g in found.groups() if g).lower()
    if ASKS_ENGLISH.search(name):
        return "en"
    traditional = ASKS_TRADITIONAL.search(name) or _converted(detect_language(question))
    return "zh-Hant" if traditional else "zh"


def _converted(code: str) -> bool:
    """Whether a language is written from another's data, converted to its script (繁體 from 简体)."""
    return language.base(code) != code


def _head(label: str) -> str:
    """The noun an item label ends with, as questions write it ("New track" → "track", 新赛道 → 赛道)."""
    simple = to_simplified(label).lower()
    return simple.split()[-1] if simple.isascii() else simple[-HEAD:]
