"""Own document structure for answers: numbered items per document, which document a question means, a lexicon."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cityqa.answering.naming import named_across_languages, title_words
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import clear_gloss, is_name
from cityqa.corpus.glossary import Term
from cityqa.corpus.text import EN_NUMBERS, to_simplified, tokenize, zh_numeral
from cityqa.language import base, cue, listed, say, words
from cityqa.types import Hit, Passage

GENERIC_WORDS = tuple(sorted(words("structure_generic_words")))  # title words that name no one document
GENERIC = {token for word in words("structure_generic") for token in tokenize(word)}  # not retrieval's GENERIC
SPELLED_IN_TITLE = cutoff("structure.spelled_chars")  # a question's Latin word this long may spell a Chinese title


@dataclass
class Item:
    """One numbered item of a document: its number, name and label per language, and its paragraphs."""

    group: str
    number: int
    names: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)


@dataclass
class DocInfo:
    """A document (all its language versions): metadata per language and its items."""

    group: str
    meta: dict[str, dict] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    first_key: str = ""

    @property
    def original(self) -> dict:
        """Metadata of the original (not the translation)."""
        return next((m for m in self.meta.values() if not m.get("translation_of")), next(iter(self.meta.values())))

    def title(self, language: str) -> str:
        """The title in a language when a version exists in it, else the original's."""
        return (self.meta.get(base(language)) or self.original).get("title", "")

    def label(self, language: str, plural: bool = False) -> str:
        """The item noun in a language (路径 / pillars / 部分 / sections)."""
        code = base(language)
        labels = Counter(item.labels.get(code) for item in self.items.values() if item.labels.get(code))
        label = labels.most_common(1)[0][0] if labels else say("structure_default_label", code)
        if code == "en":  # an English noun: lower case in a sentence, plural in -s
            label = label[0].lower() + label[1:]
            return label + "s" if plural and not label.endswith("s") else label
        return label


def documents(by_key: dict[str, dict[str, list[Passage]]]) -> dict[str, DocInfo]:
    """Read every document's metadata and numbered items from the paragraph table."""
    docs: dict[str, DocInfo] = {}
    for key, versions in by_key.items():
        for lang, passages in versions.items():
            meta = passages[0].metadata
            group = meta.get("group") or meta["doc_id"]
            doc = docs.setdefault(group, DocInfo(group, first_key=key))
            doc.meta.setdefault(lang, meta)
            if meta.get("item"):
                item = doc.items.setdefault(meta["item"], Item(group, meta["item"]))
                item.names.setdefault(lang, meta.get("item_name", ""))
                item.labels.setdefault(lang, meta.get("item_label", ""))
                if key not in item.keys:
                    item.keys.append(key)
    for doc in docs.values():
        doc.items = dict(sorted(doc.items.items()))
    return docs


def named_documents(question: str, docs: dict[str, DocInfo]) -> list[str]:
    """The documents a question narrows its search to: those it names, unless it names every one."""
    found = documents_named(question, docs)
    return found if len(found) < len(docs) else []


def documents_named(question: str, docs: dict[str, DocInfo]) -> list[str]:
    """Documents a question names by a word only their id or title has ("Yanlan", "雁澜", "Velmora"), else by kind."""
    found = list(naming_words(question, docs))
    if not found and kinds_referred(question):  # 这份渡轮评估报告: 渡轮 glosses to "ferry" in one English title
        found = named_across_languages(question, docs, GENERIC_WORDS + tuple(GENERIC))
    wanted = kinds_referred(question) - {"article", "report"}  # "the report" is what users call any of them
    if not found and wanted:  # "the plan", "the brief": the documents of that kind, when not every one is
        found = [group for group, doc in docs.items() if document_kinds(doc, " ".join(
            f"{m.get('title', '')} {m.get('title_en', '')}" for m in doc.meta.values())) & wanted]
    return found


def naming_words(question: str, docs: dict[str, DocInfo]) -> dict[str, set[str]]:
    """The words of a question that name a document, by document: words only its id or title has, or spells."""
    if len(docs) < 2:
        return {}
    asked_latin = set(cue("structure_latin_spelling").findall(question.lower()))
    titles = {group: title_words(" ".join(f"{m.get('title', '')} {m.get('title_en', '')} {m.get('doc_id', '')}"
                                           for m in doc.meta.values())) for group, doc in docs.items()}
    per_doc = {group: words | {w for w in asked_latin if len(w) >= SPELLED_IN_TITLE and w in spelled}
               for group, (words, spelled) in titles.items()}  # "Qingshuiwan" spells 青水湾
    counts = Counter(w for words in per_doc.values() for w in words)
    asked = set(cue("structure_latin_word").findall(question.lower())) | {
        run[i:i + 2] for run in cue("structure_han_run").findall(to_simplified(question)) for i in range(len(run) - 1)}
    generic = set(GENERIC_WORDS)
    found = {group: {w for w in asked & words if counts[w] == 1 and w not in generic and is_name(w)}
             for group, words in per_doc.items()}  # 雁澜, 上海 name a document; 亿元 in its title does not
    return {group: words for group, words in found.items() if words}


def pick_document(question: str, docs: dict[str, DocInfo], hits: list[Hit], need_items: bool = False) -> DocInfo | None:
    """Choose the document a question means: named by its title or item noun, else the best-retrieved one."""
    candidates = [d for d in docs.values() if d.items or not need_items]
    named = [docs[g] for g in named_documents(question, docs) if docs[g] in candidates]
    if len(named) == 1:
        return named[0]
    if not (candidates := named or candidates):
        return None
    words = set(tokenize(question)) - GENERIC
    ranked_groups = [h.meta.get("group") or h.meta.get("doc_id") for h in hits]
    asked_kinds = kinds_referred(question)

    def score(doc: DocInfo) -> tuple:
        titles = " ".join(m.get("title", "") + " " + m.get("title_en", "") + " " + m.get("doc_id", "")
                          for m in doc.meta.values())
        named = len(words & (set(tokenize(titles)) - GENERIC))
        named += bool(asked_kinds & document_kinds(doc, titles))  # "this article" means the newspaper article
        nouns = " ".join([doc.label("zh"), doc.label("en")]
                         + [lab for i in doc.items.values() for lab in i.labels.values()]).lower()
        by_noun = sum(1 for w in words if w and w in set(tokenize(nouns)))
        rank = ranked_groups.index(doc.group) if doc.group in ranked_groups else len(ranked_groups)
        return (named, by_noun, -rank)

    return max(candidates, key=score)


KINDS = ("article", "news", "report", "plan", "strategy", "brief", "paper", "review")  # words: structure_kind_KIND
KIND_WORDS = {word: kind for kind in KINDS for word in sorted(words(f"structure_kind_{kind}"))}
TYPE_KINDS = {"newspaper": {"article", "news"}, "web": {"article"}, "report": {"report"}, "journal": {"article"}}


def kinds_named(text: str) -> set[str]:
    """Kinds of document a text names ("this article", 这份规划, "the brief")."""
    lower = to_simplified(text).lower()
    return {kind for word, kind in KIND_WORDS.items() if any(  # the word with no letter a-z just before or after it
        lower.startswith(word, i) and not "a" <= lower[i - 1:i] <= "z" and not "a" <= lower[i + len(word):][:1] <= "z"
        for i in range(len(lower)))}


def kind_fits(question: str, doc: DocInfo) -> bool:
    """Tell whether a document is of the kind a question points at ("the plan" is no newspaper article)."""
    wanted = kinds_referred(question) - {"article", "report"}
    titles = " ".join(f"{m.get('title', '')} {m.get('title_en', '')}" for m in doc.meta.values())
    return not wanted or bool(document_kinds(doc, titles) & wanted)


def kinds_referred(question: str) -> set[str]:
    """Kinds of document a question points at as one ("the plan", "this brief", 这份规划, 规划中), not "what plan"."""
    lower = to_simplified(question).lower()
    return {kind for word, kind in KIND_WORDS.items()
            if re.search(rf"\b(?:the|this|that|these|its)\s+(?:[\w\-]+\s+){{0,3}}?{word}(?![a-z])", lower)
            or re.search(rf"(?:这份|这篇|这则|这个|该|此|本|份)[\u4e00-\u9fff]{{0,6}}?{word}|"
                         rf"{word}(?:里|中|内|提到|提出|认为|指出|说|写)", lower)
            or word in words("structure_kind_alone") and word in lower}


def document_kinds(doc: DocInfo, titles: str) -> set[str]:
    """Kinds a document is: its declared type, and what its title calls it."""
    declared = {str(m.get("doc_type", "")).lower() for m in doc.meta.values()}
    return set().union(*(TYPE_KINDS.get(t, set()) for t in declared)) | kinds_named(titles)


def item_labels(docs: dict[str, DocInfo]) -> tuple[str, ...]:
    """Every item noun the corpus uses, in every language (for reading questions)."""
    return tuple(sorted({lab for d in docs.values() for i in d.items.values() for lab in i.labels.values() if lab}))


def lexicon(docs: dict[str, DocInfo], glossary: list[Term]) -> dict[str, set[str]]:
    """Map a word to its words in the other language, from aligned item names and the glossary."""
    pairs = [(item.names["zh"], item.names["en"]) for d in docs.values() for item in d.items.values()
             if item.names.get("zh") and item.names.get("en")]
    pairs += [(t.zh, t.en) for t in glossary]
    seen: dict[str, list[set[str]]] = {}
    for zh, en in pairs:
        zh_tokens, en_tokens = set(tokenize(zh)), set(tokenize(en))
        for token in en_tokens:
            seen.setdefault(token, []).append(zh_tokens)
        for token in zh_tokens:
            seen.setdefault(token, []).append(en_tokens)
    frequency = Counter(t for zh, en in pairs for t in set(tokenize(zh)) | set(tokenize(en)))
    most = max(cutoff("structure.common_min"), len(pairs) // cutoff("structure.common_divisor"))
    common_words = {t for t, n in frequency.items() if n > most}  # 国际, city: no translation
    out = {}
    for token, groups in seen.items():
        common = (set.intersection(*groups) if len(groups) > 1 else set()) - common_words
        if common and token not in common_words:
            out[token] = common
    return {token: mutual for token, found in out.items() if (mutual := {t for t in found if token in out.get(t, ())})}


def count_phrase(doc: DocInfo, language: str) -> str:
    """"七个部分" / "seven sections" / "fourteen pillars"."""
    n = len(doc.items)
    if language == "en":
        return f"{EN_NUMBERS[n] if n < len(EN_NUMBERS) else n} {doc.label('en', plural=n > 1)}"
    label = doc.label("zh")
    measure = "条" if label.endswith(listed("structure_tiao_labels", "zh")) else "个"
    return f"{zh_numeral(n) if n < cutoff('structure.zh_numeral_below') else n}{measure}{label}"


def item_name(item: Item, code: str) -> str:
    """An item's name in a language; an English reader gets a Chinese-only name with its words glossed."""
    name = item.names.get(code) or next(iter(item.names.values()), "")
    return name + gloss_note(name, code, code in item.names)


def gloss_note(name: str, code: str, translated: bool = False) -> str:
    """" (word by word: data · safe)" for an English reader of a Chinese-only name, every word clear; else ""."""
    gloss = "" if code != "en" or translated or name.isascii() else clear_gloss(name)  # CC-CEDICT glosses in English
    return f" (word by word: {gloss})" if gloss else ""


def item_title(item: Item, doc: DocInfo, language: str) -> str:
    """"路径五“绿色金融”" / "Section 5, “Green finance”" / "第二部分“绿色金融改革”"."""
    code = base(language)
    name = item.names.get(code) or next(iter(item.names.values()), "")
    label = item.labels.get(code, "")
    if code == "en":
        noun = label or doc.label("en")
        return f"{noun[0].upper() + noun[1:]} {item.number}, “{name}”{gloss_note(name, code, code in item.names)}"
    if label:
        if label.startswith("第"):
            return f"第{zh_numeral(item.number)}{label[1:]}“{name}”"
        return f"{label}{zh_numeral(item.number)}“{name}”"
    return f"第{zh_numeral(item.number)}{doc.label('zh')}“{name}”"
