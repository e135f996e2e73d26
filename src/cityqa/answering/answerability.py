"""Own the answerability rules: does the evidence name what a question is about and state what it asks of it?"""
from __future__ import annotations

import re

from cityqa.answering import listing
from cityqa.answering.naming import names_one_of
from cityqa.answering.values import VALUE, _Agent  # noqa: F401  (the kinds of value asked for)
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import QUESTION_STEMS, pinyin, senses, uncovered
from cityqa.corpus.text import content_words, named_entities, to_simplified, tokenize
from cityqa.language import base, cue, cues, words
from cityqa.questions.conversation import GENERIC, Reading
from cityqa.types import Hit

YEAR = r"(?<!\d)(?:19|20)\d{2}(?!\d)"  # a year in digits, in any language
UNSTATED, UNSTATED_ATTRIBUTE = cutoff("answerability.cap_unstated"), cutoff("answerability.cap_attribute")


def answerability(reading: Reading, best, rows, entities: list[str], groups=(), lexicon=None) -> float:
    """Cap grounding when the evidence does not name what is asked about, or not what is asked of it."""
    sentence = best[4]
    asks = reading.intent.asks
    if asks in ("number", "year") and not VALUE[asks].search(sentence.text):
        return UNSTATED
    unit = UNIT.search(to_simplified(reading.question))
    if unit and unit.group(1) in words("answerability_amount_units", base(sentence.language)) and not any(
            sentence.text.startswith(unit.group(1), m.end()) for m in AMOUNT.finditer(sentence.text)):
        return UNSTATED  # "多少亿元" asks for an amount in 亿元: growth rates in % do not state it
    years = set(re.findall(YEAR, reading.question))
    if years - set(re.findall(YEAR, spoken_of(sentence, rows.get(f"{best[3].key}|{sentence.language}", [])))):
        return UNSTATED  # the question asks about a year the sentence does not speak of
    if groups and not all(names_in(evidence_text(best[3]), group) for group in groups):
        return UNSTATED  # the question is about a name its evidence does not mention (another port, another city)
    hit = best[3]
    same = [s for lang in hit.versions for s in rows.get(f"{hit.key}|{lang}", [])
            if s.metadata["index"] == sentence.metadata["index"]]
    if reading.language_base() not in {s.language for s in same}:
        return across_languages(reading.question, sentence, [n for g in groups for n in g])
    wanted = [w for w in content_words(counted(reading.question)) if w not in STOP and w not in GENERIC]
    if not wanted and not entities:
        return 1.0
    have = set(tokenize(" ".join(s.text for s in same) + " " + sentence.metadata.get("section", "")))
    if wanted and not any(w in have or (lexicon or {}).get(w, set()) & have for w in wanted):
        return UNSTATED_ATTRIBUTE  # "how many drivers", "多少个座位": what is counted must be stated
    if not entities:
        return 1.0
    names = set(tokenize(" ".join(entities)))
    asked = cue("answerability_possessive").sub("", reading.question)  # Tokyo's population: no stray "s"
    attribute = [w for w in content_words(asked) if w not in names and w not in GENERIC
                 and w not in STOP and not set(w) <= FUNCTION_CHARS]
    covered = [w for w in attribute if w in have or (lexicon or {}).get(w, set()) & have]
    head = [w for w in content_words(asked_attribute(reading.question)) if w in attribute]
    if head and not set(head) <= set(covered):
        return UNSTATED_ATTRIBUTE  # "X的注册资本是多少", "what is the coupon rate of X": the attribute must be stated
    if not names_one_of(sentence.text, entities) or not attribute:
        return 1.0
    if asks == "person" and not _has_person(sentence.text):
        return UNSTATED
    return 1.0 if len(covered) >= max(1, len(attribute) * cutoff("answerability.covered_share")) else UNSTATED_ATTRIBUTE


def spoken_of(sentence, paragraph: list) -> str:
    """What a sentence speaks of: itself, the sentences before it in its paragraph ("2024年，…。其中，…") and the
    document's title."""
    before = [s.text for s in paragraph if s.metadata.get("index", 0) < sentence.metadata.get("index", 0)]
    return " ".join([*before, sentence.text, sentence.metadata.get("title", ""), sentence.metadata.get("title_en", "")])


def asked_attribute(question: str, long: bool = False) -> str:
    """The attribute a question asks of its subject: Y in "X的Y是多少" or "what is the Y of X" ("" when unclear)."""
    text = to_simplified(question)
    found = cue("answerability_attribute_long" if long else "answerability_attribute").search(text) or cue(
        "answerability_attribute_of").search(text.lower()) or cue(  # "what is Tokyo's population?"
        "answerability_attribute_possessive").search(text.lower())
    return found.group(1) if found else ""


def counted(question: str) -> str:
    """What a how-many question counts: X in "how many X", "有多少个X", "X有多少个" ("" when unclear)."""
    text = to_simplified(question)
    english = cue("answerability_how_many").search(text.lower())
    after = cue("answerability_counted_after").search(text)
    before = cue("answerability_counted_before").search(text)
    return (english or after).group(1) if english or after else (
        cue("answerability_of").split(before.group(1))[-1] if before else "")


def across_languages(question: str, sentence, names: list[str]) -> float:
    """Cap grounding when a sentence in the other language states none of what the question asks (glossed)."""
    named = {w for n in names for w in tokenize(n)} | {w.lower() for n in names for w in n.split()}
    section = sentence.metadata.get("section", "")
    gaps = uncovered(question, f"{sentence.text} {section}", named)
    asked = [s for s in gaps if not s & (GENERIC | STOP | QUESTION_STEMS)]
    attribute = [s for s in senses(question) if not s <= QUESTION_STEMS and not s & (named | GENERIC | STOP)]
    if attribute and len(asked) == len(attribute):
        return UNSTATED_ATTRIBUTE  # not one asked word stated
    head = [w for w in content_words(asked_attribute(question, long=True))[-1:]  # 绿色市政债券票面利率: the 利率
            if w not in STOP and len(w) > 1]
    missing = [s for w in head for s in senses(w) if not s <= QUESTION_STEMS and s in gaps]
    return UNSTATED_ATTRIBUTE if missing else 1.0


UNIT, AMOUNT = cue("answerability_unit"), cue("answerability_amount")  # "多少亿元"; a figure and the unit after it
# question words and relation words ("what role does X play", "X与什么有关") ask what the text says of X, not a property
STOP = {token for word in words("answerability_stop") for token in tokenize(word)}
FUNCTION_CHARS = set(words("answerability_function_chars"))
QUESTION_WORD = cue("answerability_question_word")


def evidence_text(hit: Hit) -> str:
    """What a paragraph offers as evidence of what it is about: its text in every version, section and title."""
    parts = [f"{p.text} {p.metadata.get('section', '')} {p.metadata.get('title', '')} {p.metadata.get('title_en', '')}"
             for passages in hit.versions.values() for p in passages[:1]]
    return " ".join(parts)


def names_in(text: str, names: list[str]) -> bool:
    """Tell whether a text names one of a name's forms; a Latin name may be the pinyin of a Chinese one."""
    if names_one_of(text, names):
        return True
    shortest = cutoff("answerability.latin_name_chars")
    latin = [n.lower().replace(" ", "") for n in names if n.isascii() and len(n) > shortest]
    spelled = pinyin(text).lower() if latin else ""  # spelled out only when a Latin name needs it
    return any(n in spelled for n in latin)


def _has_person(text: str) -> bool:
    """Tell whether a sentence names a person (a zh personal name, or an en name of two capitalised words)."""
    return any(cue("answerability_personal_name").match(n) for n in named_entities(text)) or bool(
        cue("answerability_person").search(text))


def asked_entities(reading: Reading, glossary, candidates) -> tuple[list[str], list[list[str]]]:
    """The names a question asks about (glossary terms, names in it) and those of them the candidates mention."""
    from cityqa.corpus.bilingual import is_name
    from cityqa.questions.intents import glossary_matches

    terms = glossary_matches(reading.query, glossary)
    groups = [[n for n in (t.zh, *t.aliases_zh, t.en, *t.aliases_en) if n] for t in terms
              if t.kind in listing.ENTITY_KINDS]
    names = {n for n in named_entities(reading.question) if is_name(n)}  # not 新建 (newly built), read as a place
    code = reading.language_base()  # a Chinese term in an English question is a name copied from the text
    if "answerability_copied_name" in cues(code):
        names |= set(cue("answerability_copied_name", code).findall(to_simplified(reading.question)))
    groups += [[n] for n in sorted(names) if len(n) > 1 and not set(tokenize(n)) <= GENERIC
               and not QUESTION_WORD.search(n) and not any(n in g for g in groups)]
    entities = [n for g in groups for n in g if any(names_one_of(c.sentence.text, [n]) for c in candidates)]
    return entities, groups
