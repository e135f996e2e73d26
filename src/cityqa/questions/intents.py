"""Own the reading of questions: what kind of question it is, which numbered items and terms it names."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cityqa import language
from cityqa.calibration import cutoff
from cityqa.corpus.glossary import Term
from cityqa.corpus.profiles import EN_WORD, read_number
from cityqa.corpus.text import EN_ORDINALS, to_simplified

EN_ORDINAL = "|".join(sorted(EN_ORDINALS[1:], key=len, reverse=True))
ZH_NUM = language.data("zh")["fragments"]["num"]  # a Chinese or digit item number ({num} in the language files)
# nouns that name a numbered item in any document; the labels each document's headings use are added from the corpus
ZH_NOUNS = list(language.listed("intents_item_nouns", "zh"))
EN_NOUNS = list(language.listed("intents_item_nouns", "en"))
MAX_ITEM = cutoff("intents.max_item_number")
HEAD = cutoff("intents.head_chars")
AUTHOR = language.cue("intents_author")
ROLE = language.cue("intents_role")
META = {field: language.cue(f"intents_meta_{field}") for field in ("date", "publication", "publisher", "title")}
# where a question stops asking one thing and asks another: "哪一天刊登的？登在哪份报纸上？", "Who issued it, and when?"
ASK_BREAK = language.cue("intents_ask_break")
# a clause that asks for a field only beside another ask ("… and when?", "When and in which paper …?", "何时、…")
ASK_ALONE = {"date": language.cue("intents_ask_alone_date")}
# "Who is the editor-in-chief …?", 谁是…主编？, 主编是谁？: a person asked for by a role, no deed
HOLDER_ASK = language.cue("intents_holder_ask")
COUNT = language.cue("intents_count")  # 哪几条 asks which, not how many
LIST = language.cue("intents_list")
MENTIONING = language.cue("intents_mentioning")
MENTION = language.cue("intents_mention")
COMPARE = language.cue("intents_compare")
CATEGORY = {kind: language.cue(f"intents_category_{kind}") for kind in ("place", "project", "institution")}
SAME_SOURCE = language.cue("intents_same_source")
STRONG_ANAPHORA = language.cue("intents_strong_anaphora")
ASKS = {kind: language.cue(f"intents_asks_{kind}") for kind in ("number", "year", "person")}  # 谁的 asks which
WHICH_ITEMS, WHICH = language.cue("intents_which_items"), language.cue("intents_which")
EXAMPLES, WHICH_PLACES = language.cue("intents_examples"), language.cue("intents_which_places")
WHICH_ITEM = language.cue("intents_which_item")
LAST_ONE = language.cue("intents_last_one")


class Kind(StrEnum):
    """The kinds of question cityqa reads; each is served by the handlers that name it."""

    LIST_ITEMS = "list_items"
    ITEM = "item"
    ITEMS_MENTIONING = "items_mentioning"
    COUNT = "count"
    AUTHORS = "authors"
    METADATA = "metadata"
    MENTION = "mention"
    COMPARISON = "comparison"
    OPEN = "open"


@dataclass(frozen=True)
class Intent:
    """How a question is read: its kind, the item numbers and metadata field it names, what value it asks for."""

    kind: Kind
    items: tuple[int, ...] = ()
    detail: str = ""  # metadata: the field asked for, or several joined by "+" as asked ("date+publication")
    asks: str = ""
    category: str = ""
    roles: bool = False
    terms: tuple[Term, ...] = ()

    def __post_init__(self):
        """Hold the kind as a Kind: an unknown kind fails where it is made."""
        object.__setattr__(self, "kind", Kind(self.kind))


def classify(question: str, glossary: list[Term] = (), labels: tuple[str, ...] = ()) -> Intent:
    """Read a question (zh in either script, or en) into an Intent; labels are the corpus's item nouns."""
    text = to_simplified(question).lower()
    terms = tuple(glossary_matches(question, glossary))
    items = tuple(item_numbers(question, labels))
    asks = next((kind for kind, pattern in ASKS.items() if pattern.search(text)), "")
    names_items = bool(items) or names_item_noun(text, labels)
    fields = [] if items else metadata_asks(text, names_items)
    if len(fields) > 1 and _about_the_document(text, terms):  # two asks: each answered, or said not to be stated
        return Intent("metadata", detail="+".join(fields), roles=bool(ROLE.search(text)), terms=terms)
    if AUTHOR.search(text):
        return Intent("authors", roles=bool(ROLE.search(text)), terms=terms)
    if ROLE.search(text) and any(t.kind == "person" for t in terms):
        return Intent("authors", roles=True, terms=terms)
    holder = HOLDER_ASK.match(text)
    if holder and not items and _about_the_document(text, terms):  # answered from the author roles, if one fits
        return Intent("metadata", detail="holder:" + next(g for g in holder.groups() if g), asks="person", terms=terms)
    found = next((name for name, pattern in META.items() if pattern.search(text)), "")
    if found and not items and not (found == "title" and names_items) and _about_the_document(text, terms):
        return Intent("metadata", detail=found, terms=terms)
    if WHICH_ITEM.search(text) and names_items and not items:  # "X是第几条新赛道" asks for X's number, not a count
        return Intent("items_mentioning", terms=terms)
    if COUNT.search(text) and names_items and not items:
        return Intent("count", asks="number", terms=terms)
    if items and COMPARE.search(text):
        return Intent("comparison", items=items, terms=terms)
    if items:
        return Intent("item", items=items, asks=asks, terms=terms)
    topical = [t for t in terms if not names_item_noun(to_simplified(f"{t.zh} {t.en}").lower(), labels)]
    if names_items and (MENTIONING.search(text) or topical) and not _bare_list(text, labels):
        return Intent("items_mentioning", terms=terms)
    if names_items and LIST.search(text) or (names_items and WHICH_ITEMS.search(text)):
        return Intent("list_items", terms=terms)
    category = next((kind for kind, pattern in CATEGORY.items() if pattern.search(text)), "")
    mentions_which = WHICH.search(text) and MENTIONING.search(text) and not STRONG_ANAPHORA.search(text)
    examples = EXAMPLES.search(text) and not WHICH_PLACES.search(text)  # 数字孪生城市有哪些例子
    if category and (LIST.search(text) or mentions_which) and not terms and not examples and _corpus_wide(text):
        return Intent("mention", category=category, terms=terms)
    if MENTION.search(text):
        return Intent("mention", terms=terms)
    if COMPARE.search(text):
        return Intent("comparison", terms=terms, asks=asks)
    return Intent("open", asks=asks, terms=terms)


def metadata_asks(text: str, names_items: bool = False) -> list[str]:
    """The metadata fields a simplified, lower-cased question asks for, one per clause, in the order asked."""
    asked = []  # per clause: (field, whether the clause is only a question word that borrows the verb of another)
    for clause in ASK_BREAK.split(text):
        found = "authors" if AUTHOR.search(clause) else next(
            (name for name, cue in META.items() if cue.search(clause) and not (name == "title" and names_items)), "")
        alone = "" if found else next((name for name, pattern in ASK_ALONE.items() if pattern.search(clause)), "")
        asked.append((found or alone, not found))
    if all(bare for _, bare in asked):  # "When?" alone asks of nothing named: no metadata field
        return []
    return list(dict.fromkeys(field for field, _ in asked if field))


def names_item_noun(text: str, labels: tuple[str, ...] = ()) -> bool:
    """Tell whether simplified, lower-cased text names numbered items (部分, sections, the corpus's labels)."""
    nouns = [n for n in ZH_NOUNS if len(n) > 1] + [label.lower().split()[-1] for label in labels if label] + [
        label[-HEAD:] for label in labels if len(label) > HEAD and not label.isascii()]
    zh = any(noun in text for noun in nouns if not noun.isascii())
    en = re.search(r"\b(" + "|".join(re.escape(n) for n in EN_NOUNS + [n for n in nouns if n.isascii()]) + r")s?\b",
                   text)
    return zh or bool(en)


def item_numbers(question: str, labels: tuple[str, ...] = ()) -> list[int]:
    """Find item numbers a question names: "section 7", "第七章", "第二部分", "seventh chapter", "<label> 7"."""
    text = to_simplified(question).lower()
    found: list[int] = []
    for match in _item_matches(text, labels):
        number = read_number(match.group(1))
        if number and number not in found and not (match.group(1).isdigit() and number > MAX_ITEM):
            found.append(number)
    return found


def item_reference(question: str, labels: tuple[str, ...] = ()) -> str:
    """The words of a simplified question that name its first numbered item ("track 7", "第七条新赛道"), or ""."""
    found = next(iter(_item_matches(question.lower(), labels)), None)
    return question[found.start():found.end()] if found else ""


def _item_matches(text: str, labels: tuple[str, ...]) -> list[re.Match]:
    """Every match of an item reference in simplified, lower-cased text, in the order of the patterns, then position."""
    zh_labels = [lab for lab in labels if lab and not lab.isascii()]
    zh_nouns = "|".join(sorted({*ZH_NOUNS, *zh_labels, *(lab[-HEAD:] for lab in zh_labels if len(lab) > HEAD)}, key=len,
                               reverse=True))
    en_labels = [lab.lower() for lab in labels if lab and lab.isascii()]
    en_nouns = "|".join(sorted({*EN_NOUNS, *en_labels, *(lab.split()[-1] for lab in en_labels)}, key=len, reverse=True))
    patterns = [rf"(?:{zh_nouns})\s*第?\s*({ZH_NUM})(?![\d年月日%])",
                rf"第\s*({ZH_NUM})\s*(?:[条个项])?\s*(?:{zh_nouns})",
                rf"\b(?:{en_nouns})s?\s*(?:no\.?|number|#)?\s*(\d{{1,2}}|{EN_WORD})\b",
                rf"\b(\d{{1,2}})(?:st|nd|rd|th)\s+(?:new\s+)?(?:{en_nouns})",
                rf"\b({EN_ORDINAL})\s+(?:new\s+)?(?:{en_nouns})"]
    return [match for pattern in patterns for match in re.finditer(pattern, text)]


def ordinal_reference(question: str) -> int:
    """Position a follow-up points at: "the second one", "第二个", "the last one" (-1); 0 when none."""
    text = to_simplified(question).lower()
    match = re.search(rf"\bthe ({EN_WORD}) (one|item|author)\b|第({ZH_NUM})[个条项位]", text)
    if match:
        return read_number(match.group(1) or match.group(3)) or 0
    return -1 if LAST_ONE.search(text) else 0



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


def _corpus_wide(text: str) -> bool:
    """Tell whether a list question asks for every place or project of the corpus, not those of a topic."""
    rest = text
    for code in language.FILES:  # each language's filler words, Chinese first
        rest = language.cue("intents_corpus_wide_filler", code).sub(" ", rest)
    return not language.cue("intents_corpus_wide_rest").search(rest)


def _about_the_document(text: str, terms: tuple[Term, ...]) -> bool:
    """Tell whether a metadata cue is about the document itself, not about a place or project it names."""
    return not any(t.kind in ("place", "project", "person") for t in terms)


def _bare_list(text: str, labels: tuple[str, ...]) -> bool:
    """Tell whether a question only asks for the list of items ("what are the sections?", "列出七个部分")."""
    rest = re.sub(r"\b(list|name|enumerate|what|which|are|is|the|all|of|report|article|new|does|do|identify|"
                  r"propose|give|me|please|in|it|this|there|\d+|" + EN_WORD + r")\b", "", text)
    rest = language.cue("intents_bare_list_filler").sub("", rest)
    for noun in ZH_NOUNS + EN_NOUNS + [lab.lower() for lab in labels]:
        rest = rest.replace(noun, "")
    return len(language.cue("intents_plural").sub("", rest).strip()) <= 1
