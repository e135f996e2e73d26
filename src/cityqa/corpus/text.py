"""Own text handling: language and script detection, sentence splitting, zh conversion, BM25 tokens."""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A sentence ends at a terminator plus any closing quotes or brackets after it (an English ";" does not end one).
CLOSERS = "”’」』）)\"'"  # closing quotes and brackets: a sentence ending inside them ends after them
SENTENCE_END = re.compile(r"(?:[。！？；!?]|…{1,2}|(?<!\b(?:Dr|Mr|Ms|St|No|Jr|Sr|vs|Co))(?<!\b(?:Mrs|Inc|Ltd|etc|Fig))"
                          rf"(?<!\bProf)\.(?=[{CLOSERS}]*(?:\s|$)|[{CLOSERS}]+[A-Z\u4e00-\u9fff]))[{CLOSERS}]*\s*")
# "Dr. Okafor" is one sentence; 'He said “stop.” The works end.' is two, as is '“stop.”The works end.'
ZH_NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EN_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
              "nineteen", "twenty"]
EN_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
               "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
               "seventeenth", "eighteenth", "nineteenth", "twentieth"]
EN_STOPWORDS = frozenset(
    "a an the of and or to in on for by with as at from is are was were be been being it its this that these "
    "those what which who whom whose how why when where does do did can could should would will shall may "
    "might must has have had about into than then there their they them he she we you your our i me my "
    "report article text paper according say says said tell give list against let now just also any some all "
    "very more most much many other such only own same so too not no nor out up down over under again "
    "further once here if else while because until between through during before after above below".split()
)
ZH_STOPWORDS = frozenset("的 了 和 与 及 是 在 对 中 为 等 也 而 并 其 之 这 那 哪些 什么 哪 吗 呢 么 如何 怎样 怎么 "
                         "文中 报告 提到 "
                         "提出 有 有哪些 一 个 条 请 问".split())
_lock = threading.Lock()
HMM_BUDGET = 64  # unknown characters in a text that jieba's name-guessing HMM reads (random text: all of them)


def clean_question(text: str) -> str:
    """Drop control, NUL and zero-width characters and collapse whitespace."""
    kept = "".join(ch for ch in text if ch in "\n\t " or unicodedata.category(ch)[0] != "C")
    return re.sub(r"\s+", " ", kept).strip()


@lru_cache(maxsize=2)
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified."""
    return _simplified(text) if CJK.search(text) else text


@lru_cache(maxsize=65536)  # the converter is pure Python: the corpus's sentences are converted once each
def _simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert Simplified Chinese characters to Traditional."""
    return _converter("s2t").convert(text) if CJK.search(text) else text


EN_LEAD = re.compile(r"(?:who|what|which|when|where|why|how|is|are|was|were|does|do|did|can|could|list|tell|give|"
                     r"show|name|summari[sz]e|explain|compare|describe)\b", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Return "zh", "zh-Hant" or "en" for a question, by script."""
    cjk = CJK.findall(text)
    latin = re.findall(r"[A-Za-z]+", text)
    if not cjk or len(latin) >= len(cjk) / 2 or len(latin) >= 2 and EN_LEAD.match(text.strip()):
        return "en"  # "Who wrote 青水湾城市绿道建设三年行动计划?" asks in English about a Chinese title
    simplified = to_simplified("".join(cjk))
    changed = sum(a != b for a, b in zip(cjk, simplified))
    return "zh-Hant" if changed >= max(1, len(cjk) * 0.05) else "zh"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentences, returned as (start, end) spans that never cut a sentence."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        piece = text[start:end].rstrip()
        if piece.strip():
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((start + lead, start + len(piece)))
        start = end
    if text[start:].strip():
        lead = len(text[start:]) - len(text[start:].lstrip())
        spans.append((start + lead, len(text.rstrip())))
    return spans


def bounded_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """Sentence spans, an over-long run without a terminator cut into pieces of at most limit (at a space if any)."""
    spans = []
    for a, b in sentence_spans(text):
        while b - a > limit:
            space = text.rfind(" ", a + limit // 2, a + limit)
            cut = space if space > a else a + limit
            spans.append((a, cut))
            a = cut + (text[cut:cut + 1] == " ")
        spans.append((a, b))
    return spans


def sentences(text: str) -> list[str]:
    """Split text into sentences."""
    return [text[a:b] for a, b in sentence_spans(text)]


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Turn zh (either script) or en text into BM25 tokens: jieba words, stemmed English words, digits."""
    return list(_tokens(text))


@lru_cache(maxsize=65536)  # sentences are scored again for every question that retrieves them
def _tokens(text: str) -> tuple[str, ...]:
    text = to_simplified(text).lower()
    tokens: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[a-z][a-z'’\-]*|\d+", text):
        if CJK.match(run):
            with _lock:
                words = _jieba().lcut_for_search(run)
            tokens += [w for w in words if w not in ZH_STOPWORDS]
        elif run[0].isdigit():
            tokens.append(run)
        else:
            words = [w for w in re.split(r"[-'’]", run) if w and w not in EN_STOPWORDS]
            tokens += _stemmer().stemWords(words)
    return tuple(tokens)


def add_words(terms: list[str]) -> None:
    """Teach the zh segmenter domain terms (glossary names of places and institutions)."""
    with _lock:
        new = [t for t in terms if CJK.search(t) and _jieba().get_FREQ(t) != 100_000]  # re-adding skews the totals
        for term in new:
            _jieba().add_word(term, freq=100_000)
    if new:  # words segmented before may now segment otherwise
        _tokens.cache_clear()
        _names.cache_clear()


def words(text: str) -> list[str]:
    """Segment zh text into words (jieba, precise mode)."""
    with _lock:
        return _jieba().lcut(to_simplified(text))


def content_words(text: str, stem: bool = True) -> list[str]:
    """A question's words as the segmenter reads them whole (注册资本 stays one word); English stemmed unless told."""
    out = []
    for run in re.findall(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+", to_simplified(text)):
        if CJK.match(run):
            out += [w for w in words(run) if w.strip() and w not in ZH_STOPWORDS]
        elif stem:
            out += tokenize(run)
        else:
            out += [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", run) if w.lower() not in EN_STOPWORDS]
    return [w for w in out if re.search(r"\w", w)]


def named_entities(text: str, flags: tuple[str, ...] = ("ns", "nr", "nt", "nrt", "nrfg")) -> list[str]:
    """Find names in a question: zh places, people and organisations (jieba POS flags), capitalised en words."""
    return list(_names(text, tuple(flags)))


@lru_cache(maxsize=65536)
def _names(text: str, flags: tuple[str, ...]) -> tuple[str, ...]:
    import jieba.posseg

    _jieba()
    names = []
    runs = re.findall(r"[\u3400-\u9fff]+", to_simplified(text))
    # the HMM guesses unknown names; over long unknown stretches (random characters) its cost grows, its use does not
    guess = sum(_unknown_chars(run) for run in runs) <= HMM_BUDGET
    for run in runs:
        with _lock:
            names += [w.word for w in jieba.posseg.lcut(run, HMM=guess) if w.flag in flags]
    chinese = bool(re.search(r"[\u3400-\u9fff]", text))  # in a zh question a capitalised word is a name anywhere
    for match in re.finditer(r"[A-Za-z][A-Za-z'’\-]*", text):
        word, before = re.sub(r"['’]s?$", "", match.group()), text[:match.start()].rstrip()  # Tokyo's → Tokyo
        initial = not chinese and (not before or before[-1] in ".?!")  # an en sentence's first word is capitalised
        if not initial and word[0].isupper() and word.lower() not in EN_STOPWORDS and len(word) > 1:
            names.append(word)
    return tuple(names)


def _unknown_chars(run: str) -> int:
    """How many characters of a CJK run fall in stretches of single characters the dictionary does not join."""
    stretch = total = 0
    for word in [*_jieba().lcut(run, HMM=False), "。。"]:
        if len(word) == 1:
            stretch += 1
            continue
        total += stretch if stretch > 1 else 0
        stretch = 0
    return total


def zh_number(token: str) -> int | None:
    """Read a number written in digits or Chinese numerals up to 99 (七 → 7, 十四 → 14)."""
    if token.isdigit():
        return int(token)
    if not token or any(ch not in ZH_NUMERALS and ch != "十" for ch in token):
        return None
    if "十" not in token:
        return ZH_NUMERALS[token] if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    return (ZH_NUMERALS.get(tens, 0) if tens else 1) * 10 + (ZH_NUMERALS.get(ones, 0) if ones else 0)


def zh_numeral(n: int) -> str:
    """Write 1–99 in Chinese numerals (14 → 十四)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
