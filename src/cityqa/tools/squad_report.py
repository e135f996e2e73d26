"""Own the SQuAD-format benchmark's report: the pairs side by side with the peers, as JSON, HTML and a plot."""
from __future__ import annotations

import html
import json
from pathlib import Path

from cityqa.settings import Settings
from cityqa.tools.report import _png, plain, write_whole
from cityqa.tools.squad import Article, load_squad, parallel, split_of, windows
from cityqa.tools.squad_eval import run_pair

COLUMNS = ("joint", "answer_right", "gold_in_quote", "false_refusals", "out_of_corpus_refused", "median_sentences",
           "latency_p50_ms", "latency_p95_ms")


def pairs(files: list[Path], window: int, split: str = "all") -> list[tuple[str, list[Article]]]:
    """The language pairs of one file (its own) or of two parallel files (each own, and each asked of the other)."""
    loaded = [[a for a in windows(load_squad(f), window) if split == "all" or split_of(a) == split] for f in files]
    lang = [("en" if a and a[0].language == "en" else "zh") for a in loaded]
    named = [(f"{lang[i]} → {lang[i]}", loaded[i]) for i in range(len(loaded))]
    if len(loaded) == 2:
        named += [(f"{lang[0]} → {lang[1]}", parallel(loaded[0], loaded[1])),
                  (f"{lang[1]} → {lang[0]}", parallel(loaded[1], loaded[0]))]
    return named


def benchmark(files: list[Path], settings: Settings, documents: int, held_out: float, questions: int, seed: int,
              window: int, progress=None, split: str = "all", near_miss: float = 0.0) -> dict:
    """Run every pair of the files and gather one report."""
    results = [run_pair(name, articles, settings, documents, held_out, questions, seed, progress, near_miss)
               for name, articles in pairs(files, window, split)]
    return {"files": [str(f) for f in files], "split": split, "documents": documents, "held_out_share": held_out,
            "near_miss_share": near_miss,
            "questions": questions, "seed": seed, "pairs": results}


def table_rows(report: dict) -> list[tuple[str, str, dict]]:
    """(pair, system, figures) for cityqa, each peer, and the peer's best threshold on the run."""
    rows = []
    for pair in report["pairs"]:
        rows.append((pair["pair"], "cityqa", pair["cityqa"]))
        rows += [(pair["pair"], name, figures) for name, figures in pair["peers"].items()]
        best = pair["peer_best_threshold"]
        if best:
            label = f"{best['peer']}, best threshold on this run (oracle)"
            rows.append((pair["pair"], label, {"joint": best["joint"]}))
    return rows


def markdown(report: dict) -> str:
    """The side-by-side table in Markdown."""
    lines = ["| pair | system | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for pair, system, figures in table_rows(report):
        cells = ["–" if figures.get(c) is None else f"{figures[c]:g}" for c in COLUMNS]
        lines.append(f"| {pair} | {system} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(report: dict) -> str:
    """Joint accuracy per pair, cityqa beside each peer, as base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [p["pair"] for p in report["pairs"]]
    systems = ["cityqa", *report["pairs"][0]["peers"]] if report["pairs"] else []
    fig, ax = plt.subplots(figsize=(9, 3.6))
    width = 0.8 / max(1, len(systems))
    for i, system in enumerate(systems):
        values = [(p["cityqa"] if system == "cityqa" else p["peers"][system])["joint"] for p in report["pairs"]]
        ax.bar([x + i * width for x in range(len(names))], values, width, label=system)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(names))], names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("joint accuracy")
    ax.legend(fontsize=7, ncol=3)
    return _png(fig)


def write(report: dict, out: Path) -> list[Path]:
    """Write report.json (every case), report.md and report.html (table and plot) into out."""
    out.mkdir(parents=True, exist_ok=True)
    esc = lambda value: html.escape(plain(value))  # noqa: E731
    body = "".join(f"<tr><td>{esc(pair)}</td><td>{esc(system)}</td>" + "".join(
        f"<td>{'–' if figures.get(c) is None else esc(f'{figures[c]:g}')}</td>" for c in COLUMNS) + "</tr>"
        for pair, system, figures in table_rows(report))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>cityqa SQuAD-format benchmark</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:3px 6px;font-size:13px}}</style></head><body><h1>SQuAD-format benchmark / 阅读理解基准</h1>
<p>{esc(', '.join(report['files']))}: {report['documents']} documents a pair, {report['held_out_share']:.0%} held out
(their questions must be refused), seed {report['seed']}.</p>
<table><tr><th>pair</th><th>system</th>{''.join(f'<th>{c}</th>' for c in COLUMNS)}</tr>{body}</table>
<img alt="joint accuracy per pair" src="data:image/png;base64,{plot(report)}"></body></html>"""
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    for path, text in zip(paths, (json.dumps(report, ensure_ascii=False, indent=1), markdown(report), page)):
        write_whole(path, text)
    return paths
