"""Own answers built from structure: item lists and counts, item N, which items mention X, mention lookups."""
from __future__ import annotations

from cityqa.answering.compose import Composer, grouped, versions_for
from cityqa.answering.context import CorpusContext
from cityqa.answering.naming import names_one_of
from cityqa.answering.structure import DocInfo, Item, count_phrase, item_name, item_title
from cityqa.calibration import cutoff
from cityqa.corpus.text import to_simplified, tokenize, zh_numeral
from cityqa.language import FILES, base, cue, in_script, listed, say, spaced, words
from cityqa.questions.conversation import GENERIC
from cityqa.questions.intents import EN_NOUNS, ZH_NOUNS
from cityqa.types import Draft, Hit, Passage

ENTITY_KINDS = ("place", "project", "institution", "person")
MENTION_CUE = cue("listing_mention")
NUMERALS = {"chinese": zh_numeral, "digits": str}  # how a language writes an item number (listing_numerals)
STEM = cutoff("listing.stem")  # English words match on a common stem of this many letters
STEMMED = cutoff("listing.stemmed")  # characters: a word this long or longer loses its verbalising suffix
RETURNS = cutoff("listing.returns")  # an item naming a topic word this often involves it
FRAME = set(tokenize(" ".join(w for code in FILES for w in listed("listing_frame", code)))) | set(
    tokenize(" ".join(ZH_NOUNS + EN_NOUNS)))


def item_hit(corpus: CorpusContext, item: Item) -> Hit:
    """The first paragraph of an item, as a hit."""
    return Hit(item.keys[0], 1.0, corpus.search.by_key[item.keys[0]])


def list_items(corpus: CorpusContext, doc: DocInfo, language: str) -> Draft:
    """List a document's numbered items, one citation per item."""
    items = list(doc.items.values())
    hits = [item_hit(corpus, i) for i in items]
    rows = grouped(corpus.search.sentences([h.key for h in hits]))
    out = Composer(language, rows)
    title = doc.title(language)
    out.add(say("listing_lists", out.base, title=title, count=count_phrase(doc, out.base)))
    for item, hit in zip(items, hits):
        first = versions_for(hit, rows, language)[:1]
        marker = f"[{out.cite(hit, first[0])}]" if first else ""
        out.add(f"{item.number}. {item_name(item, out.base)} {marker}\n")
    return out.draft(1.0, structural=True)


def count_items(corpus: CorpusContext, doc: DocInfo, language: str) -> Draft:
    """State how many numbered items a document has, then list them."""
    listed = list_items(corpus, doc, language)
    lead = say("listing_identifies", language, title=doc.title(language), count=count_phrase(doc, base(language)))
    return Draft([lead, *listed.pieces[1:]], listed.citations, False, 1.0, structural=True)


def missing_item(doc: DocInfo, number: int, language: str) -> Draft:
    """Refuse an item number the document does not have, saying how many it has."""
    code = base(language)
    text = say("listing_missing", code, title=doc.title(language), count=count_phrase(doc, code),
               label=doc.label(code), number=numeral(number, code))
    return Draft([in_script(text, language)], [], True, 0.0)


def numeral(number: int, language: str) -> str:
    """An item number as the language writes it in an answer (第三条, pillar 3)."""
    return NUMERALS[listed("listing_numerals", base(language))[0]](number)


def matching_items(corpus: CorpusContext, doc: DocInfo, question: str, language: str, terms, focus: str = "") -> list:
    """Items whose name or text names what the question asks about: (item, hit, sentence), rows."""
    names = [n for t in terms if t.kind in ENTITY_KINDS for n in (t.zh, *t.aliases_zh, t.en, *t.aliases_en)]
    nouns = set(tokenize(" ".join(corpus.labels() + tuple(lab[-2:] for lab in corpus.labels()))))
    topic = [w for w in dict.fromkeys(tokenize(question)) if w not in FRAME | GENERIC | nouns]
    own = set(tokenize(" ".join(f"{m.get('title', '')} {m.get('title_en', '')} {m.get('doc_id', '')}"
                                for m in doc.meta.values())))
    topic = [w for w in topic if w not in own] or topic  # "the Velmora strategy" names the document, not the topic
    alternatives = [[w, *_stems(w), *corpus.lexicon.get(w, ())] for w in topic]
    anywhere = bool(MENTION_CUE.search(to_simplified(question).lower()))  # "mention X": anywhere in the item
    items = list(doc.items.values())
    rows = grouped(corpus.search.sentences([k for i in items for k in i.keys]))
    chosen = []
    for item in items:
        hits = [Hit(k, 1.0, corpus.search.by_key[k]) for k in item.keys]
        sentences = [s for h in hits for s in versions_for(h, rows, language)]
        every = [s for h in hits for lang in h.versions for s in rows.get(f"{h.key}|{lang}", [])]
        if names:
            found = [s for s in every if names_one_of(s.text, names)]
        else:  # X in the item's name or in its defining (first) sentence (or anywhere when asked what it mentions)
            defining = " ".join(s.text for s in every if anywhere or (
                s.metadata["index"] == 0 and s.metadata["paragraph_key"] == item.keys[0]))
            text = " ".join(item.names.values()) + " " + defining
            found = sentences if alternatives and (all(_shares(group, text) for group in alternatives) or any(
                all(_occurrences(group, " ".join(s.text for s in every if s.language == lang)) >= RETURNS
                    for group in alternatives) for lang in hits[0].versions)) else []
        if found and sentences:
            bonus = corpus.place_bonus(focus or question)
            best = _best(found, focus or question, topic, bonus)
            picked = [best] + [s for s in found if s is not best and bonus(s.text) and bonus(best.text)][:1]
            # asked for places: two that name some
            chosen.append((item, [_local(corpus, s, sentences) for s in picked]))
    return chosen, rows, bool(names)


def _local(corpus: CorpusContext, sentence: Passage, sentences: list[Passage]) -> tuple[Hit, Passage]:
    """The paragraph of a sentence and the sentence in the answer's language version."""
    key = sentence.metadata["paragraph_key"]
    local = [s for s in sentences if s.metadata["paragraph_key"] == key
             and s.metadata["index"] == sentence.metadata["index"]]
    return Hit(key, 1.0, corpus.search.by_key[key]), (local or [sentence])[0]


def items_mentioning(corpus: CorpusContext, doc: DocInfo, question: str, language: str, terms, focus: str = ""
                     ) -> Draft | None:
    """Answer "which items mention X / involve X": every item whose name or text names X, with the sentence."""
    chosen, rows, named = matching_items(corpus, doc, question, language, terms, focus)
    if not chosen:
        return None
    out = Composer(language, rows)
    code, many = out.base, len(chosen) > 1
    subject = "、".join(dict.fromkeys(getattr(t, c) for c in listed("listing_subject_names", code) for t in terms
                                      if t.kind in ENTITY_KINDS)) or say("listing_this", code)
    label = doc.label(code, plural=many)
    counter = "listing_counter_long" if label.endswith(listed("listing_long_labels", code)) else "listing_counter"
    verb = say(f"listing_{'named' if named else 'related'}_{'many' if many else 'one'}", code, subject=subject)
    out.add(say("listing_mentioning", code, n=len(chosen), label=say(counter, code) + label,
                title=doc.title(language), verb=verb))
    for item, quoted in chosen:
        quotes = (" " if spaced(code) else "").join(out.quote(hit, sentence) for hit, sentence in quoted)
        out.add(say("listing_item_line", code, title=item_title(item, doc, language), quotes=quotes))
    return out.draft(1.0, structural=True)


def _shares(topic: list[str], text: str) -> bool:
    """Tell whether text has a topic word (English words match on a common stem of STEM letters)."""
    tokens = set(tokenize(text))
    return any(w in tokens or (w.isascii() and len(w) >= STEM and any(t.startswith(w[:STEM]) for t in tokens
                                                                       if t.isascii())) for w in topic)


def _occurrences(topic: list[str], text: str) -> int:
    """How often a text names a topic word (an item that returns to X twice involves X)."""
    tokens = tokenize(text)
    return sum(1 for t in tokens if t in topic or (t.isascii() and any(
        w.isascii() and len(w) >= STEM and t.startswith(w[:STEM]) for w in topic)))


def _stems(word: str) -> list[str]:
    """A word's stem without a verbalising suffix (数字化 → 数字); English words already match on five letters."""
    return [word[:-1]] if len(word) >= STEMMED and word.endswith(tuple(words("listing_suffixes"))) else []



def _best(sentences: list[Passage], question: str, topic: list[str], bonus=lambda text: 0.0) -> Passage:
    """The sentence sharing most topic words with the question (places first when asked for; the first on a tie)."""
    wanted = set(topic) | set(tokenize(question))
    stems = list(topic) + [stem for w in topic for stem in _stems(w)]
    return max(sentences, key=lambda s: (bonus(s.text) > 0, _occurrences(stems, s.text) > 0,
                                         len(wanted & set(tokenize(s.text))), -s.metadata["index"]))
