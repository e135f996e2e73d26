"""The CLI contract: JSON shape, batch order and ids, exit code 2 with one line for bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow
KEYS = {"understood_as", "question", "language", "answer", "refused", "mode", "grounding", "citations", "timings_ms",
        "flags"}
CITATION_KEYS = {"quotes", "n", "doc_id", "title", "section", "paragraph_id", "quote", "original", "translation",
                 "reference",
                 "score", "paragraph_key", "language", "page", "boxes"}


@pytest.fixture
def run(e5_settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_INDEX_DIR": str(e5_settings.index_dir), "CITYQA_CORPUS_DIR": str(e5_settings.corpus_dir)}

    def cityqa(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "cityqa", *args], capture_output=True, text=True, env=env,
                              timeout=120, input=stdin)
    return cityqa


def test_ask_json_follows_the_contract(run):
    result = run("ask", "What is track 3?", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == KEYS and body["language"] == "en" and body["mode"] == "extractive"
    assert set(body["citations"][0]) == CITATION_KEYS and set(body["timings_ms"]) == {"retrieve", "answer", "total"}


def test_ask_reads_a_history_file_for_follow_ups(run, tmp_path):
    history = tmp_path / "h.json"
    history.write_text(json.dumps([{"role": "user", "content": "新赛道十是什么？"}], ensure_ascii=False),
                       encoding="utf-8")
    body = json.loads(run("ask", "有哪些城市在这方面做了探索？", "--json", "--history", str(history)).stdout)
    assert {c["paragraph_id"] for c in body["citations"]} == {"track10.1"}


@pytest.mark.parametrize("args, text", [
    (["ask", "   "], "empty"),
    (["ask", "新" * 3000], "上限"),
    (["ask", "什么是第三维度？", "--history", "/nonexistent/h.json"], "无法读取对话历史"),
])
def test_bad_input_exits_2_with_one_line_in_the_question_language(run, args, text):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0] and "Traceback" not in result.stderr


def test_batch_answers_in_input_order_with_ids_and_flags_bad_lines(run, tmp_path):
    cases = [{"id": "a", "question": "What is track 3?"}, {"id": "b", "question": "新赛道七是什么？"},
             {"id": "c", "question": "  "},
             {"id": "d", "question": "Which cities are examples?",
              "history": [{"role": "user", "content": "What does the report say about green finance?"}]}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\nnot json\n", encoding="utf-8")
    result = run("batch", str(path))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 2
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "line 5"]
    assert rows[0]["citations"][0]["paragraph_id"] == "track03.1" and rows[1]["language"] == "zh"
    assert "error" in rows[2] and "error" in rows[4] and "Shenzhen" in rows[3]["answer"]
    assert len(result.stderr.strip().splitlines()) == 2


def test_search_json_lists_ranked_paragraphs(run):
    body = json.loads(run("search", "第七条新赛道", "--json", "--k", "3").stdout)
    assert body["results"][0]["paragraph_id"] == "track07.1" and len(body["results"]) == 3


@pytest.mark.parametrize("args, text", [
    (["eval", "--dataset", "/nonexistent/cases.jsonl", "--no-baselines"], "cannot read the dataset"),
    (["eval", "--dataset", "eval/dev.jsonl", "--baseline", "/nonexistent/b.json"], "cannot read the baseline"),
    (["bench-retrieval", "--dataset", "/nonexistent/dev.jsonl"], "cannot read the dataset"),
])
def test_missing_eval_files_are_one_clear_line(run, args, text):
    result = run(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith(("FileNotFoundError", "No such file or directory")) and text in result.stderr
