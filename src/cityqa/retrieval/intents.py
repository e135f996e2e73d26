"""Own the reading of questions: what kind of question it is, which numbered items and terms it names."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cityqa.corpus.glossary import Term
from cityqa.corpus.profiles import EN_WORD, read_number
from cityqa.corpus.text import EN_ORDINALS, to_simplified

EN_ORDINAL = "|".join(sorted(EN_ORDINALS[1:], key=len, reverse=True))
ZH_NUM = r"[一二三四五六七八九十两]{1,3}|\d{1,2}"
# nouns that name a numbered item in any document; the labels each document's headings use are added from the corpus
ZH_NOUNS = ["部分", "章", "节", "条", "项"]
EN_NOUNS = ["section", "part", "chapter", "item"]
AUTHOR = re.compile(r"作者|谁写|谁撰写|撰稿|执笔|\b(authors?|who wrote|written by|writers?)\b")
ROLE = re.compile(r"职务|职位|身份|头衔|什么人|\b(role|position|job)\b")
META = {
    "date": re.compile(r"(什么时候|何时|哪天|哪一天|哪年|日期).{0,6}(发表|发布|出版|刊|写|创建)|"
                       r"(发表|发布|出版|刊登|写成|创建).{0,6}(什么时候|何时|哪天|哪一天|哪年|日期)|发表于|发表日期|"
                       r"\bwhen\b.*\b(published|released|written|issued|appear)|"
                       r"\b(publication date|date of publication|what date)\b"),
    "publication": re.compile(r"哪份|哪一期|哪期|第几期|报纸|刊物|期刊|刊登|刊于|发表在|"
                              r"\b(which|what) (issue|newspaper|journal|paper|publication|periodical)\b|"
                              r"\bpublished in\b|\bissue\b"),
    "publisher": re.compile(r"发布机构|(哪个|哪家|什么)机构.{0,4}发布|(由|是)(哪个|哪家|什么)机构|谁发布|由谁发布|"
                            r"出版方|出版者|\bwho (published|issued|released)\b|"
                            r"\bpublisher\b|\bwhich (institution|organi[sz]ation)\b"),
    "title": re.compile(r"标题|题目|题名|\btitle\b"),
}
# where a question stops asking one thing and asks another: "哪一天刊登的？登在哪份报纸上？", "Who issued it, and when?"
ASK_BREAK = re.compile(r"[？?；;，,、]|\band\b|\bas well as\b|以及|并且|还有|同时")
# a clause that asks for a field only beside another ask ("… and when?", "When and in which paper …?", "何时、…")
ASK_ALONE = {"date": re.compile(r"^\W*(?:when|on what day)\W*$|(?:什么时候|何时|哪天|哪一天|哪年|日期)\W*$")}
# "Who is the editor-in-chief …?", 谁是…主编？, 主编是谁？: a person asked for by a role, no deed
HOLDER_ASK = re.compile(r"^\W*who (?:is|are|was|were) (?:the |a |an )?([^?]+?)\W*$|^\W*谁是(.+?)\W*$|^(.+?)是谁\W*$")
COUNT = re.compile(r"多少|(?<!哪)几[条个项部章节]|\bhow many\b|\bnumber of\b")  # 哪几条 asks which, not how many
LIST = re.compile(r"列出|列举|罗列|都有哪些|有哪些|有哪几|是哪些|分别是|全部|所有|"
                  r"\b(list|name|enumerate|what are)\b|\ball\b")
MENTIONING = re.compile(r"提到|提及|涉及|关于|有关|相关|包括|讲|关系|关联|联系|"
                        r"\b(mention|involve|about|relat|concern|cover|refer|include|connect|link|deals? with|"
                        r"ha(?:ve|s) to do with)")
MENTION = re.compile(r"(?:文章|报告|文中|本文|规划|文件)(?:怎么|如何|怎样)(?:说|讲|写|评价|描述)|"
                     r"对.{1,20}有(?:什么|何)评价|提到了?.{0,20}吗|提及了?.{0,20}吗|有没有(提到|提及|说到|讲到)|"
                     r"是否(提到|提及)|(关于|对).{1,20}(说了|讲了|怎么说|有何论述)|说了什么|"
                     r"\bdoes (the |this )?(report|article|text|document|it|paper|plan) (mention|say|discuss|talk)|"
                     r"\bwhat does (the |this )?(report|article|text|document|it|paper|plan) say\b|"
                     r"\bis .{1,30} mentioned\b|\bmentions? of\b")
COMPARE = re.compile(r"比较|对比|区别|不同|异同|相比|\b(compare|comparison|difference|differ|versus|vs\.?)\b")
CATEGORY = {"place": re.compile(r"城市|地方|国家|地区|\b(cities|city|places|countries|regions)\b"),
            "project": re.compile(r"项目|案例|\b(projects?|initiatives?)\b"),
            "institution": re.compile(r"机构|组织|单位|\b(institutions?|organi[sz]ations?)\b")}
SAME_SOURCE = re.compile(r"同一段|同一个段落|同段|这一?段|该段|上一?段|那一?段|原文中|"
                         r"\b(?:the same|that|this|the previous) (?:paragraph|passage|sentence)\b")
STRONG_ANAPHORA = re.compile(r"同一段|同一个段落|同段|这一?段|该段|上一?段|那一?段|"
                             r"这方面|它|这一点|这些|那些|这条|这一条|该项|其中|上述|此类|前者|后者|"
                             r"还有|另外|其他的|它们|他们|第.个|"
                             r"\b(these|those|the (first|second|third|last|former|latter) one|what about|how about|"
                             r"and the|any others?|more examples|the same|(?:that|this) (?:paragraph|passage))\b")
ASKS = {"number": re.compile(r"多少|几个|几条|几项|比例|百分|人口|规模|\bhow (many|much)\b|"
                            r"\b(population|percentage|share|size)\b"),
        "year": re.compile(r"哪一?年|何年|什么时候|何时|\b(which|what) year\b|\bwhen\b"),
        "person": re.compile(r"谁(?!的)|什么人|\bwho\b|\bwhom\b")}  # 谁的 (whose) asks which of them, not who


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
    if names_items and LIST.search(text) or (names_items and re.search(r"哪些|哪几|\bwhich\b|\bwhat\b", text)):
        return Intent("list_items", terms=terms)
    category = next((kind for kind, pattern in CATEGORY.items() if pattern.search(text)), "")
    mentions_which = re.search(r"哪些|\bwhich\b", text) and MENTIONING.search(text) and not STRONG_ANAPHORA.search(text)
    examples = re.search(r"例子|案例|举例|\bexamples?\b", text) and not re.search(  # 数字孪生城市有哪些例子
        r"哪些(?:城市|地方|国家|地区)|\b(?:which|all|the) (?:cities|places|countries)\b", text)
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


WHICH_ITEM = re.compile(r"第几[条个项章节部分]|是哪一?[条个项章节部分]|\bwhat number\b|\bwhich (?:number|one)\b"
                        r"|\bwhich \w+ (?:is|covers|deals with)\b")


def names_item_noun(text: str, labels: tuple[str, ...] = ()) -> bool:
    """Tell whether simplified, lower-cased text names numbered items (部分, sections, the corpus's labels)."""
    nouns = [n for n in ZH_NOUNS if len(n) > 1] + [label.lower().split()[-1] for label in labels if label] + [
        label[-2:] for label in labels if len(label) > 2 and not label.isascii()]
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
        if number and number not in found and not (match.group(1).isdigit() and number > 99):
            found.append(number)
    return found


def item_reference(question: str, labels: tuple[str, ...] = ()) -> str:
    """The words of a simplified question that name its first numbered item ("track 7", "第七条新赛道"), or ""."""
    found = next(iter(_item_matches(question.lower(), labels)), None)
    return question[found.start():found.end()] if found else ""


def _item_matches(text: str, labels: tuple[str, ...]) -> list[re.Match]:
    """Every match of an item reference in simplified, lower-cased text, in the order of the patterns, then position."""
    zh_labels = [lab for lab in labels if lab and not lab.isascii()]
    zh_nouns = "|".join(sorted({*ZH_NOUNS, *zh_labels, *(lab[-2:] for lab in zh_labels if len(lab) > 2)}, key=len,
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
    return -1 if re.search(r"\bthe last one\b|最后一[个条项]", text) else 0


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
    rest = re.sub(r"列出|列举|罗列|都有哪些|有哪些|哪些|所有|全部|提到|提及|涉及|报告|文章|本文|文中|文件|文档|"
                  r"语料|材料|这些|的|了|中|里|都|有|请|城市|地方|国家|地区|项目|案例|机构|组织|单位|[？?。.!！，,]",
                  " ", text)
    rest = re.sub(r"\b(?:list|name|enumerate|which|what|are|is|the|all|every|of|in|mentioned|mention|mentions|does|"
                  r"do|named|report|article|documents?|corpus|texts?|it|they|cities|city|places|countries|regions|"
                  r"projects?|initiatives?|institutions?|organi[sz]ations?|me|please|that|there)\b", " ", rest)
    return not re.search(r"[\u4e00-\u9fff]|[a-z]{3,}", rest)


def _about_the_document(text: str, terms: tuple[Term, ...]) -> bool:
    """Tell whether a metadata cue is about the document itself, not about a place or project it names."""
    return not any(t.kind in ("place", "project", "person") for t in terms)


def _bare_list(text: str, labels: tuple[str, ...]) -> bool:
    """Tell whether a question only asks for the list of items ("what are the sections?", "列出七个部分")."""
    rest = re.sub(r"\b(list|name|enumerate|what|which|are|is|the|all|of|report|article|new|does|do|identify|"
                  r"propose|give|me|please|in|it|this|there|\d+|" + EN_WORD + r")\b", "", text)
    rest = re.sub(r"列出|列举|罗列|都有哪些|有哪些|有哪几条|有哪几|是哪些|分别是|全部|所有|"
                  r"哪些|哪几条|报告|文章|本文|提出|的|了|新|"
                  r"[一二三四五六七八九十两\d]+条?|[？?。.!！，,\s]", "", rest)
    for noun in ZH_NOUNS + EN_NOUNS + [lab.lower() for lab in labels]:
        rest = rest.replace(noun, "")
    return len(re.sub(r"s\b", "", rest).strip()) <= 1
