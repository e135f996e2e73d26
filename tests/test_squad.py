"""SQuAD-format files are read, split, sampled and written as a corpus; answers are matched to gold spans fairly."""
from __future__ import annotations

import json

import pytest

from cityqa.corpus.loaders import load_document
from cityqa.errors import BadInput
from cityqa.tools.squad import (
    contains_gold,
    load_squad,
    parallel,
    sample,
    split_of,
    windows,
    write_corpus,
)


def squad_file(path, articles, version="v2.0"):
    """Write a SQuAD-format file of {title: [(context, [(id, question, answer or None)])]}."""
    data = [{"title": title, "paragraphs": [
        {"context": context, "qas": [{"id": qid, "question": q, "is_impossible": a is None,
                                      "answers": [] if a is None else [{"text": a, "answer_start": context.find(a)}]}
                                     for qid, q, a in qas]} for context, qas in paragraphs]}
        for title, paragraphs in articles.items()]
    path.write_text(json.dumps({"version": version, "data": data}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def english(tmp_path):
    """A two-article English file with one unanswerable question."""
    return squad_file(tmp_path / "en.json", {
        "Tidal_power": [("The Swansea lagoon was approved in 2015. Its cost was 1.3 billion pounds.",
                         [("q1", "When was the lagoon approved?", "2015"),
                          ("q2", "Who opposed the lagoon?", None)])],
        "Ferries": [("The first ferry leaves at 5:30. It carries 400 people.", [("q3", "How many people?", "400")])]})


def test_v2_unanswerable_questions_have_no_gold_and_titles_lose_underscores(english):
    articles = load_squad(english)
    assert [a.title for a in articles] == ["Tidal power", "Ferries"]
    assert [(q.qid, q.answers) for q in articles[0].questions] == [("q1", ["2015"]), ("q2", [])]
    assert articles[0].language == "en" and not articles[0].questions[1].answerable


def test_a_file_that_is_not_squad_format_is_one_bilingual_error(tmp_path):
    broken = tmp_path / "x.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInput) as raised:
        load_squad(broken)
    assert "SQuAD" in raised.value.message("en") and "SQuAD" in raised.value.message("zh")


def test_parallel_files_ask_one_language_of_the_other_by_question_id(english, tmp_path):
    chinese = squad_file(tmp_path / "zh.json", {
        "潮汐能": [("斯旺西潟湖于2015年获批。其造价为13亿英镑。", [("q1", "潟湖哪一年获批？", "2015年"),
                                                  ("q2", "谁反对潟湖？", None)])]})
    asked = parallel(load_squad(english), load_squad(chinese))
    assert asked[0].paragraphs[0].startswith("斯旺西")
    assert [(q.text, q.answers) for q in asked[0].questions] == [("When was the lagoon approved?", ["2015年"]),
                                                                 ("Who opposed the lagoon?", [])]


def test_long_articles_are_cut_into_documents_and_questions_follow_their_paragraph(tmp_path):
    path = squad_file(tmp_path / "long.json", {"Long": [(f"Paragraph {i} says {i}.", [(f"q{i}", f"What {i}?", str(i))])
                                                      for i in range(12)]})
    parts = windows(load_squad(path), 5)
    assert [len(p.paragraphs) for p in parts] == [5, 5, 2]
    assert [q.qid for q in parts[2].questions] == ["q10", "q11"] and parts[2].questions[0].paragraph == 0


def test_splits_are_stable_by_title_and_held_out_questions_are_must_refuse(english):
    articles = load_squad(english) * 1
    assert split_of(articles[0]) == split_of(load_squad(english)[0])
    chosen = sample(articles, 2, 0.5, 10, seed=1)
    assert len(chosen.corpus) == 1 and len(chosen.held_out) == 1
    held = {q.qid for a in chosen.held_out for q in a.questions}
    assert all(inside == (q.qid not in held) for q, inside in chosen.questions)


def test_written_articles_load_as_documents_with_their_title_and_language(english, tmp_path):
    write_corpus(load_squad(english), tmp_path / "corpus")
    document = load_document(tmp_path / "corpus" / "article-0000.md", tmp_path / "corpus", 20)
    assert document.title == "Tidal power" and document.language == "en"
    assert [p.text for p in document.paragraphs][-1].startswith("The Swansea lagoon")


@pytest.mark.parametrize("answer, gold, expected", [
    ("據報導，它於2015年獲批。", ["2015年获批"], True),  # script does not matter
    ("The  Swansea\nlagoon was approved", ["swansea lagoon"], True),  # nor case and spacing
    ("It was approved in 2015.", ["2016"], False),
    ("Anything at all", ["", " "], False),  # an empty gold span matches nothing
])
def test_gold_span_containment_ignores_script_case_and_spacing(answer, gold, expected):
    assert contains_gold(answer, gold) is expected


def test_windows_of_one_article_share_its_split_and_are_held_out_together(tmp_path):
    path = squad_file(tmp_path / "two.json", {
        title: [(f"{title} paragraph {i}.", [(f"{title}{i}", f"What {i}?", str(i))]) for i in range(10)]
        for title in ("Alpha", "Beta", "Gamma")})
    parts = windows(load_squad(path), 5)
    assert len({split_of(p) for p in parts if p.family == "Alpha"}) == 1
    chosen = sample(parts, 6, 0.34, 30, seed=3)
    assert {p.origin for p in chosen.held_out}.isdisjoint({p.origin for p in chosen.corpus})


def test_the_benchmark_asks_every_question_through_qa_and_scores_cityqa_beside_its_peers(english, tmp_path,
                                                                                        monkeypatch):
    from cityqa.settings import Settings
    from cityqa.tools import squad_eval, squad_report

    monkeypatch.setattr(squad_eval, "CACHE", tmp_path / "cache.sqlite")
    settings = Settings(embedding="fake-words", language="en", data_dir=tmp_path / "data")
    report = squad_report.benchmark([english], settings, documents=2, held_out=0.5, questions=10, seed=1, window=5)
    pair = report["pairs"][0]
    assert pair["pair"] == "en → en" and pair["documents"] == 1 and pair["held_out_documents"] == 1
    assert set(pair["peers"]) == {"dense top-1 sentence", "dense top-2 sentences", "BM25 top-1 sentence",
                                  "LangChain Chroma paragraph"}
    cases = {c["id"]: c for c in pair["cases"]}
    held = [c for c in cases.values() if not c["answerable"]]
    assert held and all(c["gold"] == [] for c in held)  # a held-out article's questions must be refused
    assert 0.0 <= pair["cityqa"]["joint"] <= 1.0 and pair["cityqa"]["latency_p95_ms"] > 0
    written = squad_report.write(report, tmp_path / "out")
    page = written[2].read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "LangChain Chroma paragraph" in page
    assert "| en → en | cityqa |" in written[1].read_text(encoding="utf-8")


def test_near_misses_leave_paragraphs_out_of_kept_articles_and_their_questions_must_be_refused(tmp_path):
    path = squad_file(tmp_path / "near.json", {
        title: [(f"{title} paragraph {i} states {title}{i}.", [(f"{title}{i}", f"What {i}?", f"{title}{i}")])
                for i in range(4)] for title in ("Alpha", "Beta", "Gamma")})
    articles = load_squad(path)
    plain = sample(articles, 3, 0.34, 12, seed=3)
    near = sample(articles, 3, 0.34, 12, seed=3, near_miss=0.25)
    assert [a.number for a in near.corpus] == [a.number for a in plain.corpus]  # same articles, fewer paragraphs
    assert all(len(a.paragraphs) == 3 for a in near.corpus)
    corpus_text = " ".join(p for a in near.corpus for p in a.paragraphs)
    held = {q.qid for a in near.held_out for q in a.questions}
    for question, inside in near.questions:
        assert inside == (question.answers[0] in corpus_text and question.qid not in held)
    assert sum(not inside and q.qid not in held for q, inside in near.questions) >= 1  # near misses are asked
    kept = {q.qid: q for a in near.corpus for q in a.questions}
    for article in near.corpus:  # questions follow their paragraph's new place
        assert all(article.paragraphs[q.paragraph].endswith(f"{q.answers[0]}.") for q in article.questions)
    assert kept and plain.questions == sample(articles, 3, 0.34, 12, seed=3).questions
