"""Feedback is appended whole, and selected feedback becomes draft eval cases."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cityqa.feedback import feedback_to_cases, record_feedback


def answer(question: str) -> dict:
    return {"question": question, "language": "en", "answer": "Track 3 is …", "refused": False, "mode": "extractive",
            "citations": [{"n": 1, "paragraph_id": "track03.1", "quote": "The capacity …", "extra": "dropped"}],
            "history": [{"role": "user", "content": "earlier"}]}


def test_thumbs_down_feedback_becomes_draft_cases_with_question_history_and_comment(tmp_path):
    path = tmp_path / "feedback.jsonl"
    record_feedback(path, "s1", "down", "missed Geneva", answer("Which cities trade commodities?"),
                    {"mode": "extractive"})
    record_feedback(path, "s2", "up", "", answer("What is track 3?"), {"mode": "extractive"})
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["session"] for r in rows] == ["s1", "s2"] and rows[0]["citations"][0] == {
        "n": 1, "paragraph_id": "track03.1", "quote": "The capacity …"}
    cases = feedback_to_cases(path, "down")
    assert len(cases) == 1 and cases[0]["question"] == "Which cities trade commodities?"
    assert cases[0]["history"] == [{"role": "user", "content": "earlier"}] and cases[0]["note"] == "missed Geneva"
    assert cases[0]["gold"] == [] and len(feedback_to_cases(path, None)) == 2


@pytest.mark.slow  # starts a `python -m cityqa` process
def test_feedback_to_cases_command_writes_the_cases_file(tmp_path):
    path = tmp_path / "feedback.jsonl"
    record_feedback(path, "s1", "down", "", answer("Q?"), {})
    out = tmp_path / "cases.jsonl"
    result = subprocess.run([sys.executable, "-m", "cityqa", "feedback-to-cases", "--feedback", str(path), "--out",
                             str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and json.loads(out.read_text(encoding="utf-8"))["question"] == "Q?"
