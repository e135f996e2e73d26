"""Own mention lookups: does the corpus name X (and state what is asked of it), and which places it names."""
from __future__ import annotations

from itertools import islice

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.holdings import held_sentence
from cityqa.answering.listing import FRAME
from cityqa.answering.naming import names_one_of
from cityqa.calibration import cutoff
from cityqa.corpus.bilingual import senses, uncovered
from cityqa.corpus.names import is_country, places_in
from cityqa.corpus.text import content_words, named_entities, to_simplified, tokenize, words
from cityqa.index.lexical import paragraph_text
from cityqa.language import base, cue, cues, say, spaced
from cityqa.language import words as listed_words
from cityqa.questions.conversation import GENERIC
from cityqa.types import Draft, Hit

SAYING = {t for w in listed_words("mentions_saying") for t in tokenize(w)} | set(listed_words("mentions_saying_verbs"))
MAX_MENTIONS = cutoff("mentions.max_mentions")


def states_most(asked: list[str], text: str) -> bool:
    """Tell whether a text states most of the asked words, in either language (glossed)."""
    return len(uncovered(" ".join(asked), text)) < cutoff("mentions.most_share") * len(senses(" ".join(asked)))


def rest_of(question: str, subject: list[list[str]]) -> list[str]:
    """What a mention question asks about its subject beyond naming it ("metro system", 奥运会)."""
    named = {w for g in subject for n in g for w in tokenize(n)} | {n.lower() for g in subject for n in g}
    found = content_words(cue("answerability_possessive").sub("", question), stem=False)  # as written: shown
    return [w for w in found if w.lower() not in named and w.lower() not in SAYING
            and (w.isascii() or len(w) > 1) and not set(tokenize(w)) <= GENERIC | FRAME | SAYING | named
            and not cue("mentions_question_word").search(w)]


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
            said = (" " if spaced(language) else "").join(rest)
            text = say("mentions_nothing_about", language, label=label, rest=said)
            return Draft([text], [], True, cutoff("mentions.rest_unstated_grounding"))
    if not keys:
        held = held_sentence(corpus.docs.values(), language)
        return Draft([say("mentions_none", language, label=label, held=held)], [], True, 0.0)
    rows = grouped(corpus.search.sentences(keys))
    out = Composer(language, rows)
    groups = list(dict.fromkeys((corpus.search.by_key[k][next(iter(corpus.search.by_key[k]))][0].metadata.get("group")
                                 or k.partition("#")[0]) for k in keys))
    titles = [corpus.docs[g].title(language) for g in groups if g in corpus.docs]
    where = say("mentions_separator", out.base).join(say("mentions_title", out.base, title=t) for t in titles)
    yes = say("mentions_yes", out.base) if yes_no else ""  # "does it mention X?" is answered yes
    found = "mentions_found_many" if len(keys) > 1 else "mentions_found_one"
    out.add(say(found, out.base, yes=yes, where=where, count=len(keys), label=label))
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
            out.add(say("mentions_line", out.base, section=section, quote=out.quote(hit, sentence)))
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
        found = sorted(found + _text_projects(view, base(language), known), key=lambda row: order[row[2]])
    if not found:
        return None
    rows = grouped(corpus.search.sentences(list(dict.fromkeys(row[2] for row in found))))
    out = Composer(language, rows)
    out.add(say("mentions_places_count", out.base, count=len(found)))
    for zh, en, key, _ in found:
        hit = Hit(key, 1.0, corpus.search.by_key[key])
        every = versions_for(hit, rows, language)
        sentence = next((s for s in every if names_one_of(s.text, [zh, en])), every[0] if every else None)
        if sentence is not None:
            n = out.cite(hit, sentence)
            out.add(f"- {dict(zh=zh, en=en)[out.base]} [{n}]\n")
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


def _text_projects(view, code: str, known: list[str]) -> list[tuple[str, str, str, bool]]:
    """Projects the text names beyond the glossary: "…项目" / "… project" in a clause that names a place."""
    if _PROJECTS.get("view") is not view or _PROJECTS.get("base") != code:
        found: dict[str, tuple[str, str, str, bool]] = {}
        for key, versions in view.by_key.items():
            passage = (versions.get(code) or next(iter(versions.values())))[0]
            written = base(passage.language)
            for clause in cue("mentions_clause_break").split(passage.text):
                named = _names_place(clause, written)
                for match in cue("mentions_project", written).finditer(clause) if named else ():
                    name = match.group(1).strip().rpartition("的")[2]  # 哥本哈根的城市数据交易项目 → 城市数据交易项目
                    found.setdefault(name.lower(), (name, name, key, False))
        _PROJECTS.update(view=view, base=code, found=list(found.values()))
    return [row for row in _PROJECTS["found"]
            if not any(k and (k.lower() in row[0].lower() or row[0].lower() in k.lower()) for k in known)]


def _names_place(clause: str, code: str):
    """Tell whether a clause names a place: by its language's cue if it has one (a capital), else a known place."""
    return cue("mentions_place_named", code).search(clause) if "mentions_place_named" in cues(code) else places_in(
        clause)


def _by_kind(found: list[tuple], question: str) -> list[tuple]:
    """Keep the countries when countries are asked for, the rest when cities are (places and regions: all)."""
    text = to_simplified(question).lower()
    if cue("mentions_countries").search(text):
        return [row for row in found if is_country(row[1])]
    if cue("mentions_cities").search(text):
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
                 and any(c.isalnum() or c == "_" or "\u4e00" <= c <= "\u9fff" for c in w)][-1:]  # a word, no mark
    groups += [[cue("mentions_possessive_end").sub("", n)] for n in extra]
    labels = [getattr(t, base(language)) for t in named] + [g[0] for g in groups[len(named):]]
    return groups, say("mentions_separator", language).join(dict.fromkeys(labels))
