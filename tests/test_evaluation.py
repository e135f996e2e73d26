"""The evaluation harness computes each metric as by hand, writes its reports, and the gate catches drops."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cityqa.tools.evaluation import evaluate, gate
from cityqa.tools.report import write_reports

CASES = [
    {"id": "c1", "question": "甲是什么？", "language": "zh", "category": "factual", "gold": ["p1"],
     "facts": ["甲", "丙"]},
    {"id": "c2", "question": "What is the capital of France?", "language": "en", "category": "out_of_scope",
     "gold": [], "refuse": True},
    {"id": "c3", "question": "What is X?", "language": "en", "category": "factual", "gold": ["p3"], "facts": ["X"]},
]
PARAGRAPHS = {"d#p1|zh": "甲是重要的城市功能。", "d#p2|zh": "乙是另一个功能。"}


def citation(n, pid):
    return {"n": n, "paragraph_id": pid, "paragraph_key": f"d#{pid}", "language": "zh", "quote": "…"}


ANSWERS = {
    "c1": {"answer": "甲是重要的城市功能。[1]乙是另一个功能。[2]天空是绿色的。[2]", "refused": False,
           "citations": [citation(1, "p1"), citation(2, "p2")], "timings_ms": {"total": 10.0}},
    "c2": {"answer": "The report does not answer this question.", "refused": True, "citations": [],
           "timings_ms": {"total": 20.0}},
    "c3": {"answer": "The report does not answer this question.", "refused": True, "citations": [],
           "timings_ms": {"total": 30.0}},
}
RANKS = {"c1": ["p2", "p1"], "c2": [], "c3": ["p9"]}


@pytest.fixture
def report():
    return evaluate(CASES, lambda c: ANSWERS[c["id"]], lambda c: RANKS[c["id"]], PARAGRAPHS,
                    {"perfect": lambda c: c["gold"]})


def test_each_metric_matches_the_hand_computed_value(report):
    summary = report["summary"]
    assert summary["n"] == 3
    assert summary["hit@1"] == 0.0 and summary["hit@3"] == 0.5 and summary["hit@5"] == 0.5
    assert summary["mrr"] == 0.25                      # (1/2 + 0) / 2
    assert summary["fact_recall"] == 0.25              # c1: 甲 yes, 丙 no → 0.5; c3 refused → 0
    assert summary["citation_precision"] == 0.5        # c1: p1 in gold, p2 not
    assert summary["citation_support"] == round(2 / 3, 4)  # the third sentence is in neither cited paragraph
    assert summary["refusal_accuracy"] == 1.0
    assert summary["false_refusal_rate"] == 0.5
    assert summary["language_match"] == 1.0
    assert summary["latency_p50_ms"] == 20.0
    assert report["by_language"]["zh"]["n"] == 1 and report["by_category"]["factual"]["n"] == 2
    assert report["baselines"]["perfect"]["all"]["hit@1"] == 1.0
    assert report["by_split"]["unsplit"]["n"] == 3 and report["by_split"]["all"]["n"] == 3


def test_failures_carry_question_answer_citations_and_reason(report):
    failures = {f["id"]: f for f in report["failures"]}
    assert set(failures) == {"c1", "c3"}
    assert "missing facts: 丙" in failures["c1"]["reasons"] and failures["c1"]["citations"][1]["paragraph_id"] == "p2"
    assert failures["c3"]["reasons"][0] == "refused an answerable question"


def test_reports_are_written_with_plots_and_escaped_text(report, tmp_path):
    report["failures"][0]["question"] = "<script>alert(1)</script>"
    json_path, md_path, html_path = write_reports(report | {"dataset": "tiny", "mode": "extractive"}, tmp_path)
    assert json.loads(json_path.read_text(encoding="utf-8"))["summary"]["mrr"] == 0.25
    assert "| all | 3 |" in md_path.read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_gate_fails_on_an_injected_regression_and_passes_within_tolerance(report):
    baseline = dict(report["summary"])
    assert gate(report["summary"], baseline) == []
    regressed = dict(report["summary"], fact_recall=baseline["fact_recall"] - 0.1,
                     false_refusal_rate=baseline["false_refusal_rate"] + 0.1)
    drops = gate(regressed, baseline)
    assert len(drops) == 2 and drops[0].startswith("fact_recall") and drops[1].startswith("false_refusal_rate")
    assert gate(dict(report["summary"], mrr=baseline["mrr"] - 0.01), baseline) == []


@pytest.mark.slow
def test_eval_command_exits_non_zero_when_the_baseline_is_better(e5_settings, tmp_path):
    import os

    baseline = json.loads(open("eval/baseline.json", encoding="utf-8").read())
    baseline["summary"]["fact_recall"] = 1.5  # a baseline no run can reach: an injected regression
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(baseline), encoding="utf-8")
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(open("eval/cases.jsonl", encoding="utf-8").read().splitlines()[:6]), encoding="utf-8")
    env = os.environ | {"CITYQA_INDEX_DIR": str(e5_settings.index_dir),
                        "CITYQA_CORPUS_DIR": str(e5_settings.corpus_dir)}
    result = subprocess.run([sys.executable, "-m", "cityqa", "eval", "--dataset", str(cases), "--baseline", str(path),
                             "--out", str(tmp_path / "out"), "--no-baselines"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 1 and "fact_recall" in result.stderr
    assert (tmp_path / "out" / "report.html").exists()


def test_a_lead_in_characters_both_scripts_share_counts_as_the_expected_script():
    from cityqa.tools.evaluation import lead_language

    assert lead_language("提到了：《國際城市》中有1段", "zh-Hant") == "zh-Hant"
    assert lead_language("提到了：《國際城市》中有1段", "zh") == "zh"
    assert lead_language("报告提到了：", "zh-Hant") == "zh"  # 报 is Simplified only
