"""Own SQuAD-format data: articles and questions read from any v1.1/v2.0 file, sampled corpora written as documents."""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from cityqa.corpus.text import detect_language, to_simplified
from cityqa.errors import BadInput


@dataclass
class Question:
    """One question with its gold answer spans (none: it must be refused)."""

    qid: str
    text: str
    answers: list[str]
    article: int
    paragraph: int

    @property
    def answerable(self) -> bool:
        """Whether the question has a gold span."""
        return bool(self.answers)


@dataclass
class Article:
    """One article: its title, language, paragraphs and questions."""

    number: int
    title: str
    language: str
    paragraphs: list[str]
    questions: list[Question] = field(default_factory=list)
    source: int = -1  # the article a window was cut from (held out together: a window's topic is its article's)
    family: str = ""  # that article's title (train/dev split together: no article on both sides)

    @property
    def origin(self) -> int:
        """The number of the whole article this document comes from."""
        return self.number if self.source < 0 else self.source


def load_squad(path: Path) -> list[Article]:
    """Read a SQuAD-format JSON file (v1.1, or v2.0 with unanswerable questions) into articles."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))["data"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"无法读取 SQuAD 文件 {path}：{exc}", f"cannot read SQuAD file {path}: {exc}") from None
    articles = []
    for number, raw in enumerate(data):
        contexts = [p["context"].strip() for p in raw.get("paragraphs", [])]
        sample = " ".join(contexts)[:2000]
        article = Article(number, str(raw.get("title") or f"Article {number + 1}").replace("_", " "),
                          detect_language(sample), contexts)
        for index, paragraph in enumerate(raw.get("paragraphs", [])):
            for qa in paragraph.get("qas", []):
                spans = [] if qa.get("is_impossible") else [a["text"] for a in qa.get("answers", []) if a["text"]]
                article.questions.append(Question(str(qa["id"]), qa["question"].strip(),
                                                  list(dict.fromkeys(spans)), number, index))
        articles.append(article)
    return articles


def parallel(questions_from: list[Article], documents_from: list[Article]) -> list[Article]:
    """Articles of the documents' file whose questions are the other file's, matched by question id."""
    asked = {q.qid: q for a in questions_from for q in a.questions}
    out = []
    for article in documents_from:
        matched = [Question(q.qid, asked[q.qid].text, q.answers, q.article, q.paragraph)
                   for q in article.questions if q.qid in asked]
        out.append(Article(article.number, article.title, article.language, article.paragraphs, matched,
                           article.source, article.family))
    return out


def split_of(article: Article, dev_share: float = 0.3, seed: int = 13) -> str:
    """Assign an article to "train" or "dev" by a seeded hash of its title (stable whatever the file order)."""
    return "dev" if random.Random(f"{seed}:{article.family or article.title}").random() < dev_share else "train"


def windows(articles: list[Article], size: int) -> list[Article]:
    """Cut long articles into documents of at most size paragraphs (questions follow their paragraph)."""
    out = []
    for article in articles:
        if len(article.paragraphs) <= size:
            out.append(article)
            continue
        for start in range(0, len(article.paragraphs), size):
            part = Article(len(out), f"{article.title} ({start // size + 1})", article.language,
                           article.paragraphs[start:start + size],
                           [Question(q.qid, q.text, q.answers, q.article, q.paragraph - start)
                            for q in article.questions if start <= q.paragraph < start + size], article.number,
                           article.title)
            out.append(part)
    return out


@dataclass
class Sample:
    """A corpus of articles and the questions asked of it (held-out articles' questions must be refused)."""

    corpus: list[Article]
    held_out: list[Article]
    questions: list[tuple[Question, bool]]  # (question, its article is in the corpus)


def sample(articles: list[Article], documents: int, held_out_share: float, questions: int, seed: int,
           near_miss: float = 0.0) -> Sample:
    """Choose documents for the corpus, hold out whole articles (and, near misses, a share of the kept articles'
    paragraphs), and draw questions evenly over what is in the corpus and what is not."""
    rng = random.Random(seed)
    chosen = rng.sample(articles, min(len(articles), documents))
    origins = list(dict.fromkeys(a.origin for a in chosen))
    cut = max(1, round(len(origins) * held_out_share)) if held_out_share and len(origins) > 1 else 0
    held_origins = set(origins[:cut])
    held = [a for a in chosen if a.origin in held_origins]
    kept = [a for a in chosen if a.origin not in held_origins]
    missed: list[Question] = []
    if near_miss:
        kept, missed = without_paragraphs(kept, near_miss, random.Random(f"{seed}:near-miss"))
    pool = [(q, True) for a in kept for q in a.questions] + [(q, False) for a in held for q in a.questions]
    rng.shuffle(pool)
    inside = [row for row in pool if row[1]]
    outside = [row for row in pool if not row[1]] + [(q, False) for q in missed]
    share_out = (len(held) + near_miss * len(kept)) / max(1, len(chosen)) if missed else len(held) / max(1, len(chosen))
    want_out = min(len(outside), round(questions * share_out))
    picked = outside[:want_out] + inside[:questions - want_out]
    rng.shuffle(picked)
    return Sample(kept, held, picked)


def without_paragraphs(articles: list[Article], share: float, rng: random.Random
                       ) -> tuple[list[Article], list[Question]]:
    """The articles less a share of their paragraphs, and the questions those paragraphs answered that nothing left
    in the article answers: near misses, asked of their topic's own document, that must be refused."""
    out, missed = [], []
    for article in articles:
        count = len(article.paragraphs)
        drop = set(rng.sample(range(count), max(1, round(count * share)))) if count > 1 else set()
        kept = [i for i in range(count) if i not in drop]
        text = " ".join(article.paragraphs[i] for i in kept)
        questions = [Question(q.qid, q.text, q.answers, q.article, kept.index(q.paragraph))
                     for q in article.questions if q.paragraph in kept]
        missed += [q for q in article.questions if q.paragraph in drop and not contains_gold(text, q.answers)]
        out.append(Article(article.number, article.title, article.language, [article.paragraphs[i] for i in kept],
                           questions, article.source, article.family))
    return out, missed


def write_corpus(articles: list[Article], folder: Path) -> None:
    """Write each article as a Markdown document with front matter (title, language), one paragraph per block."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        base = "en" if article.language == "en" else "zh"
        title = article.title.replace('"', "'")
        body = "\n\n".join(p.replace("\n", " ") for p in article.paragraphs)
        (folder / f"article-{article.number:04d}.md").write_text(
            f'---\ntitle: "{title}"\nlanguage: {base}\n---\n\n# {title}\n\n{body}\n', encoding="utf-8")


SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Text compared for containment: simplified script, lower case, single spaces, no spaces between CJK."""
    text = SPACE.sub(" ", to_simplified(text).lower()).strip()
    return re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])", "", text)


def contains_gold(text: str, answers: list[str]) -> bool:
    """Whether any gold span occurs in the text (after normalising script, case and spacing)."""
    found = normalised(text)
    return any(normalised(a).strip(" .,。，") in found for a in answers if normalised(a).strip(" .,。，"))
