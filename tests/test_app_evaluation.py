"""Streamlit AppTest of the Evaluation page: a metric a row lacks shows "–", never "None"."""
from __future__ import annotations

import json

import pytest

REPORT = {"dataset": "cases.jsonl", "mode": "extractive",
          "summary": {"n": 3, "citation_precision": 0.9, "refusal_accuracy": 1.0},
          "by_language": {"en": {"n": 3, "citation_precision": 0.9, "refusal_accuracy": 1.0}},
          "by_category": {"factual": {"n": 2, "citation_precision": 0.9},
                          "out_of_scope": {"n": 1, "refusal_accuracy": 1.0}},  # no precision: nothing is cited
          "latency_ms": [], "failures": []}


@pytest.fixture
def evaluation(started_app, tmp_path, monkeypatch):
    """The Evaluation page over a report whose refusal category has no citation metrics, in English."""
    from ui import evaluation

    from cityqa.testing import write_tiny_corpus

    (tmp_path / "report.json").write_text(json.dumps(REPORT), encoding="utf-8")
    monkeypatch.setattr(evaluation, "REPORT", tmp_path / "report.json")
    monkeypatch.setattr(evaluation, "category_plot", lambda report: "")
    monkeypatch.setattr(evaluation, "latency_plot", lambda report: "")
    at = started_app({"CITYQA_CORPUS_DIR": str(write_tiny_corpus(tmp_path / "corpus")),
                      "CITYQA_INDEX_DIR": str(tmp_path / "index"), "CITYQA_DATA_DIR": str(tmp_path / "data"),
                      "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"}, {"page": "evaluation"})
    assert [t.value for t in at.title] == ["Evaluation"]
    return at


def test_a_metric_a_category_lacks_shows_a_dash(evaluation):
    by_category = evaluation.dataframe[2].value
    row = by_category[by_category["category"] == "out of scope"].iloc[0]
    assert row["citation precision"] == "–" and row["refusal accuracy"] == "1"
    factual = by_category[by_category["category"] == "factual"].iloc[0]
    assert factual["refusal accuracy"] == "–"
    assert not by_category.isna().any().any()
