"""Own mention lookups: does the corpus name X (and state what is asked of it), and which places it names."""
from __future__ import annotations

import re
from itertools import islice

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.holdings import held_sentence
from cityqa.answering.listing import FRAME
from cityqa.answering.naming import names_one_of
from cityqa.corpus.bilingual import senses, uncovered
from cityqa.corpus.names import is_country, places_in
from cityqa.corpus.text import content_words, named_entities, to_simplified, tokenize, words
from cityqa.index.lexical import paragraph_text
from cityqa.retrieval.conversation import GENERIC
from cityqa.types import Draft, Hit

SAYING = set(tokenize("say says said tell think view describe 说 讲 写 评价 描述 看待 论述 怎么 如何 怎样 文章 报告 "
                      "document documents")) | {"说", "讲", "写", "评价", "描述", "看待", "论述", "怎么",
                                                "如何", "怎样"}
MAX_MENTIONS = 12


def states_most(asked: list[str], text: str) -> bool:
    """Tell whether a text states most of the asked words, in either language (glossed)."""
    return 2 * len(uncovered(" ".join(asked), text)) < len(senses(" ".join(asked)))


def rest_of(question: str, subject: list[list[str]]) -> list[str]:
    """What a mention question asks about its subject beyond naming it ("metro system", 奥运会)."""
    named = {w for g in subject for n in g for w in tokenize(n)} | {n.lower() for g in subject for n in g}
    found = content_words(re.sub(r"['’]s\b", "", question), stem=False)  # as written: they are shown to the user
    return [w for w in found if w.lower() not in named and w.lower() not in SAYING
            and (w.isascii() or len(w) > 1) and not set(tokenize(w)) <= GENERIC | FRAME | SAYING | named
            and not re.search(r"多少|什么|哪|几|谁|吗|呢", w)]


def mention(corpus: CorpusContext, subject: list[list[str]], label: str, language: str, rest: list[str] = (),
            yes_no: bool = True) -> Draft:
    """Say whether and where the corpus names a subject, quoting each paragraph's sentence that names it."""
    def names_all(text: str) -> bool:
        return all(names_one_of(text, group) for group in subject)

    view = corpus.search.view  # the version's name postings give the candidates; the exact check is unchanged
    candidates = view.names.candidates(subject)
    keys = list(islice((key for key in (view.by_key if candidates is None else candidates)
                        if names_all(paragraph_text(view.by_key[key]))), MAX_MENTIONS))
    if keys and rest:  # "Tokyo's metro system": a paragraph naming Tokyo must also speak of its metro system
        keys = [key for key in keys if states_most(rest, paragraph_text(view.by_key[key]))]
        if not keys:
            text = (f"The documents mention {label}, but say nothing about {' '.join(rest)}. " if language == "en"
                    else f"语料提到了{label}，但没有谈到{''.join(rest)}。")
            return Draft([corpus.script(text, language)], [], True, 0.2)
    if not keys:
        text = f"None of the documents mentions {label}. " if language == "en" else f"语料中没有提到{label}。"
        held = held_sentence(corpus.docs.values(), language)
        return Draft([corpus.script(text + held, language)], [], True, 0.0)
    rows = grouped(corpus.search.sentences(keys))
    out = Composer(language, rows)
    groups = list(dict.fromkeys((corpus.search.by_key[k][next(iter(corpus.search.by_key[k]))][0].metadata.get("group")
                                 or k.partition("#")[0]) for k in keys))
    titles = [corpus.docs[g].title(language) for g in groups if g in corpus.docs]
    where = ", ".join(f"“{t}”" for t in titles) if out.base == "en" else "、".join(f"《{t}》" for t in titles)
    yes = ("Yes: " if out.base == "en" else "提到了：") if yes_no else ""  # "does it mention X?" is answered yes
    out.add(f"{yes}{where} mentions {label} in {len(keys)} paragraph{'s' * (len(keys) > 1)}:\n" if out.base == "en"
            else f"{yes}{where}中有{len(keys)}段提到{label}：\n")
    flat = [n for group in subject for n in group]
    for key in keys:
        hit = Hit(key, 1.0, corpus.search.by_key[key])
        every = [s for lang in hit.versions for s in rows.get(f"{key}|{lang}", [])]
        named = [s for s in every if names_one_of(s.text, flat)]
        local = [s for s in versions_for(hit, rows, language)
                 if named and s.metadata["index"] == named[0].metadata["index"]]
        sentence = (local or named or every)[0] if every else None
        if sentence is not None:
            section = sentence.metadata["section"].rpartition(" > ")[2] or sentence.metadata["title"]
            out.add(f"- {section}: {out.quote(hit, sentence)}\n" if out.base == "en"
                    else f"- {section}：{out.quote(hit, sentence)}\n")
    return out.draft(1.0, structural=True)


def places(corpus: CorpusContext, category: str, language: str, question: str = "") -> Draft | None:
    """List the places (projects, institutions) the corpus names, each with the first paragraph naming it."""
    kinds = {"place": ("place",), "project": ("project",), "institution": ("institution",)}[category]
    found, view = [], corpus.search.view
    for term in corpus.glossary:
        if term.kind in kinds:
            names = [term.zh, *term.aliases_zh, term.en, *term.aliases_en]
            candidates = view.names.candidates([names])  # a superset, in corpus order, from the name postings
            key = next((k for k in (view.by_key if candidates is None else candidates)
                        if any(names_one_of(p.text, names) for ps in view.by_key[k].values() for p in ps)), None)
            if key:
                found.append((term.zh, term.en, key, True))
    order = {key: i for i, key in enumerate(view.by_key)}
    known = [n for zh, en, *_ in found for n in (zh, en)]
    if category == "place":
        found = sorted(_by_kind(found + _text_places(corpus, view, known), question), key=lambda row: order[row[2]])
    if category == "project":
        base = "en" if language == "en" else "zh"
        found = sorted(found + _text_projects(view, base, known), key=lambda row: order[row[2]])
    if not found:
        return None
    rows = grouped(corpus.search.sentences(list(dict.fromkeys(row[2] for row in found))))
    out = Composer(language, rows)
    out.add(f"The documents name {len(found)}:\n" if out.base == "en" else f"语料提到的共有{len(found)}个：\n")
    for zh, en, key, _ in found:
        hit = Hit(key, 1.0, corpus.search.by_key[key])
        every = versions_for(hit, rows, language)
        sentence = next((s for s in every if names_one_of(s.text, [zh, en])), every[0] if every else None)
        if sentence is not None:
            n = out.cite(hit, sentence)
            out.add(f"- {en if out.base == 'en' else zh} [{n}]\n")
    return out.draft(1.0, structural=True)


def _text_places(corpus: CorpusContext, view, known: list[str]) -> list[tuple[str, str, str, bool]]:
    """Places the Chinese text names that the glossary does not (巴黎 in 法国巴黎凡尔赛宫), once per index version."""
    if _PLACES.get("view") is not view:
        longer = [n for t in corpus.glossary if t.kind != "place" for n in (t.zh, *t.aliases_zh) if n]
        found: dict[str, tuple[str, str, str, bool]] = {}
        for key, versions in view.by_key.items():
            for passage in versions.get("zh", [])[:1]:
                text = passage.text
                for name in sorted(longer, key=len, reverse=True):  # 上海 inside an institute's name is no place
                    text = text.replace(name, " ")
                for zh, en in places_in(text):
                    found.setdefault(zh, (zh, en, key, False))
        _PLACES.update(view=view, found=list(found.values()))
    return [row for row in _PLACES["found"] if not any(row[0] in k or k in row[0] for k in known)]


def _text_projects(view, base: str, known: list[str]) -> list[tuple[str, str, str, bool]]:
    """Projects the text names beyond the glossary: "…项目" / "… project" in a clause that names a place."""
    if _PROJECTS.get("view") is not view or _PROJECTS.get("base") != base:
        found: dict[str, tuple[str, str, str, bool]] = {}
        for key, versions in view.by_key.items():
            passage = (versions.get(base) or next(iter(versions.values())))[0]
            for clause in re.split(r"[，,。；;：:]|\band\b|以及", passage.text):
                named = re.search(r"\b[A-Z][a-z]+", clause) if passage.language == "en" else places_in(clause)
                matches = (re.finditer(r"(?:^|\b(?:the|a|an|of|in|for|and|such as)\s)((?:(?!the\b|a\b|an\b|of\b|"
                                       r"in\b)[\w'’\-]+\s){1,4}project)\b(?!s)", clause, re.IGNORECASE)
                           if passage.language == "en" else
                           re.finditer(r"(?:^|[、“”《》（）\s的如和与及])([\u4e00-\u9fff]{2,16}?项目)", clause))
                for match in matches if named else ():
                    name = match.group(1).strip().rpartition("的")[2]  # 哥本哈根的城市数据交易项目 → 城市数据交易项目
                    found.setdefault(name.lower(), (name, name, key, False))
        _PROJECTS.update(view=view, base=base, found=list(found.values()))
    return [row for row in _PROJECTS["found"]
            if not any(k and (k.lower() in row[0].lower() or row[0].lower() in k.lower()) for k in known)]


def _by_kind(found: list[tuple], question: str) -> list[tuple]:
    """Keep the countries when countries are asked for, the rest when cities are (places and regions: all)."""
    text = to_simplified(question).lower()
    if re.search(r"国家|\bcountr", text):
        return [row for row in found if is_country(row[1])]
    if re.search(r"城市|\bcit(y|ies)\b", text):
        return [row for row in found if row[3] or not is_country(row[1])]  # the glossary's places stay
    return found


_PLACES: dict = {}
_PROJECTS: dict = {}


def subject_of(question: str, terms, language: str) -> tuple[list[list[str]], str]:
    """What a mention question asks about: groups of alternative names (every group must be named), and a label."""
    named = [t for t in terms if t.kind != "concept"] or list(terms)
    groups = [[n for n in (t.zh, *t.aliases_zh, t.en, *t.aliases_en) if n] for t in named]
    covered = " ".join(n.lower() for g in groups for n in g)
    extra = [n for n in named_entities(question) if not set(tokenize(n)) <= GENERIC | FRAME
             and n.lower().rstrip("'’s") not in covered]
    if not groups and not extra:
        extra = [w for w in words(question) if len(w) > 1 and not set(tokenize(w)) <= GENERIC | FRAME
                 and re.search(r"[\w\u4e00-\u9fff]", w)][-1:]
    groups += [[re.sub(r"['’]s$", "", n)] for n in extra]
    labels = [(t.en if language == "en" else t.zh) for t in named] + [g[0] for g in groups[len(named):]]
    return groups, (", " if language == "en" else "、").join(dict.fromkeys(labels))
