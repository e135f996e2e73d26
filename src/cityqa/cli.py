"""Own the command line: thin Typer commands over the composition root."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cityqa.cli_app import app
from cityqa.console import (
    answer_line,
    clean_input,
    dumps,
    err,
    out,
    print_answer,
    printable_streams,
    progress_bar,
    read_history,
    reason,
    safe,
    settings_or_exit,
    user_errors,
    waiting,
)
from cityqa.errors import BadInput
from cityqa.settings import user_language

MAX_K = 50



def main() -> None:
    """Entry point of the cityqa console script."""
    from cityqa import cli_documents, cli_ocr, cli_tools  # noqa: F401  (register docs / remove, eval / bench-*)

    printable_streams()
    app()


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/)")] = None,
    rebuild: Annotated[bool, typer.Option(help="Re-embed everything, e.g. after changing the model")] = False,
) -> None:
    """Ingest files into the index: new version built, verified, then switched in."""
    from cityqa.app import ingest_files

    settings = settings_or_exit()
    zh = settings.language.startswith("zh")
    with user_errors(settings.language), progress_bar() as progress:
        report = ingest_files(settings, paths, rebuild, progress)
    for path, problem in report.problems:
        err.print(safe(f"{'跳过' if zh else 'skipped'} {path}: {problem.message(settings.language)}", False),
                  markup=False, highlight=False)
    for path, note in report.notes:
        err.print(safe(f"{'注意' if zh else 'note'} {path}: {note.message(settings.language)}", False),
                  markup=False, highlight=False)
    summary = (f"文件 {report.files}，块 {report.chunks}：新增 {report.added}，未变 {report.unchanged}，"
               f"删除 {report.removed}；{report.seconds:.1f} 秒" if zh else
               f"files {report.files}, chunks {report.chunks}: added {report.added}, unchanged {report.unchanged}, "
               f"removed {report.removed}; {report.seconds:.1f} s")
    out.print(summary, markup=False, highlight=False)


@app.command("search")
def search_command(
    question: str,
    k: Annotated[int, typer.Option(help="How many paragraphs")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print the ranked paragraphs for a question, with scores, section and ids."""
    from cityqa.app import build_qa
    from cityqa.corpus.text import detect_language

    question = clean_input(question)
    language = detect_language(question) if question.strip() else user_language()
    settings = settings_or_exit(language)
    with user_errors(language):
        if not 1 <= k <= MAX_K:
            raise BadInput(f"--k 必须在 1 到 {MAX_K} 之间（收到 {k}）", f"--k must be between 1 and {MAX_K} (got {k})")
        if not question.strip():
            raise BadInput("问题是空的：请输入一个问题", "the question is empty: please type a question")
        retrieval = build_qa(settings, waiting(language)).retrieve(question, k)
    rows = [{"rank": i + 1, "score": round(h.score, 4), "dense": round(h.dense, 4), "bm25": round(h.bm25, 3),
             "paragraph_key": h.key, "paragraph_id": h.meta["paragraph_id"], "doc_id": h.meta["doc_id"],
             "section": h.passage(language).metadata["section"], "item": h.meta.get("item") or None,
             "text": h.passage(language).text} for i, h in enumerate(retrieval.hits)]
    if as_json:
        sys.stdout.write(dumps({"question": question, "language": language, "results": rows}, indent=2) + "\n")
        return
    for row in rows:
        head = f"{row['rank']}. {row['paragraph_key']}  score {row['score']}  dense {row['dense']}  bm25 {row['bm25']}"
        out.print(safe(head, False), style="bold", markup=False, highlight=False)
        out.print(safe(f"   {row['section']}", False) + "\n   " + safe(row["text"]), markup=False, highlight=False)


@app.command("ask")
def ask_command(
    question: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract")] = False,
    history: Annotated[Path | None, typer.Option(help='JSON array of {"role", "content"} turns')] = None,
    doc: Annotated[list[str] | None, typer.Option(help="Limit the answer to these document ids (cityqa docs)")] = None,
) -> None:
    """Answer one question with citations (builds the index first if there is none)."""
    from cityqa.app import build_qa
    from cityqa.corpus.text import clean_question, detect_language

    question = clean_input(question)
    language = detect_language(clean_question(question)) if question.strip() else user_language()
    settings = settings_or_exit(language)
    with user_errors(language):
        turns = read_history(history, language)
        qa = build_qa(settings, waiting(language))
        answer = qa.ask(question, turns, doc or None)
    if as_json:
        sys.stdout.write(dumps(answer.to_dict()) + "\n")
    else:
        print_answer(answer)


@app.command("batch")
def batch_command(
    input_file: Annotated[Path, typer.Argument(help='JSONL: {"id", "question", "history"?} per line')],
) -> None:
    """Answer every line of a JSONL file: one JSON object per line on stdout, in input order."""
    from cityqa.app import build_qa

    settings = settings_or_exit()
    with user_errors(settings.language):
        try:
            lines = input_file.read_bytes().splitlines()
        except OSError as exc:
            zh, en = reason(exc)
            raise BadInput(f"无法读取 {safe(input_file, False)}：{zh}",
                           f"cannot read {safe(input_file, False)}: {en}") from None
        qa = build_qa(settings, waiting(settings.language))
    failed = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        body, problem = answer_line(qa, number, raw, settings.language)
        if problem:
            failed += 1
            err.print(safe(f"{body['id']}: {problem}", False), markup=False, highlight=False)
        sys.stdout.write(dumps(body) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(2)


@app.command("check")
def check_command() -> None:
    """Check the configuration: embedder, index, and the LLM endpoint when one is set."""
    from cityqa.app import health

    settings = settings_or_exit()
    with user_errors(settings.language):
        for line in health(settings):
            out.print(safe(line, False), markup=False, highlight=False)
