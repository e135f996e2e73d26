"""Own evaluation reports: JSON, a Markdown summary, and an HTML page with plots and every failed case."""
from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path

# characters a viewer would obey rather than show: controls, bidi overrides, lone surrogates
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    r"\u2066-\u2069\u2028\u2029\ud800-\udfff]")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~:])")
COLUMNS = ("n", "hit@5", "mrr", "fact_recall", "citation_precision", "citation_support", "refusal_accuracy",
           "false_refusal_rate", "language_match", "latency_p50_ms", "latency_p95_ms")


def write_reports(report: dict, out: Path) -> list[Path]:
    """Write report.json, report.md and report.html into out (each whole or not at all); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    for path, text in zip(paths, (json.dumps(report, ensure_ascii=False, indent=2), markdown(report),
                                  html_page(report))):
        write_whole(path, text)
    return paths


def write_whole(path: Path, text: str) -> None:
    """Write a text file through a temporary sibling and a rename, so readers never see half a file."""
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def table_md(rows: dict[str, dict], columns=COLUMNS) -> str:
    """A Markdown table of metric rows."""
    present = [c for c in columns if any(c in r for r in rows.values())]
    lines = ["| group | " + " | ".join(present) + " |", "|---" * (len(present) + 1) + "|"]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(row.get(c)) for c in present) + " |")
    return "\n".join(lines)


def markdown(report: dict) -> str:
    """The Markdown summary: headline, per language, per category, baselines, failures."""
    parts = [f"# cityqa evaluation / 评测 — {md(report.get('dataset', ''))} ({md(report.get('mode', ''))})", "",
             "## Summary / 总览", table_md({"all": report["summary"]}), "",
             "## By language / 按语言", table_md(report["by_language"]), "",
             "## By category / 按类别", table_md(report["by_category"]), "",
             "## By split (dev: calibrated on; test: held out) / 按数据划分", table_md(report.get("by_split", {})), ""]
    for name, per in report.get("baselines", {}).items():
        parts += [f"## Retrieval baseline / 检索基线: {md(name)}", table_md(per), ""]
    if report.get("gate"):
        parts += ["## Gate / 回归门槛", *(f"- {md(line)}" for line in report["gate"]), ""]
    parts += [f"## Failed cases / 失败用例 ({len(report['failures'])})", ""]
    parts += [f"- **{md(f['id'])}** ({md(f['category'])}, {md(f['language'])}) {md(f['question'][:300])} — "
              f"{md('; '.join(f['reasons']))}" for f in report["failures"]]
    return "\n".join(parts) + "\n"


def html_page(report: dict) -> str:
    """A self-contained HTML report: tables, plots as inline PNG, failed cases (all text escaped)."""
    esc = lambda value: html.escape(plain(value))  # noqa: E731
    rows = lambda table: "".join(  # noqa: E731
        f"<tr><th>{esc(name)}</th>" + "".join(f"<td>{_fmt(r.get(c))}</td>" for c in COLUMNS) + "</tr>"
        for name, r in table.items())
    head = "<tr><th>group</th>" + "".join(f"<th>{esc(c)}</th>" for c in COLUMNS) + "</tr>"
    failures = "".join(
        f"<tr><td>{esc(f['id'])}</td><td>{esc(f['category'])}</td><td>{esc(f['question'][:300])}</td>"
        f"<td>{esc(f['answer'][:600])}</td><td>{esc('; '.join(c['paragraph_id'] for c in f['citations']))}</td>"
        f"<td>{esc('; '.join(f['reasons']))}</td></tr>" for f in report["failures"])
    baselines = "".join(f"<h2>Baseline: {esc(name)}</h2><table>{head}{rows(per)}</table>"
                        for name, per in report.get("baselines", {}).items())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>cityqa evaluation</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:3px 6px;font-size:13px;vertical-align:top}}</style></head><body>
<h1>cityqa evaluation / 评测 — {esc(str(report.get('dataset', '')))} ({esc(str(report.get('mode', '')))})</h1>
<h2>Summary / 总览</h2><table>{head}{rows({'all': report['summary']})}</table>
<h2>By language / 按语言</h2><table>{head}{rows(report['by_language'])}</table>
<h2>By category / 按类别</h2><table>{head}{rows(report['by_category'])}</table>
<img alt="per-category metrics" src="data:image/png;base64,{category_plot(report)}">
<img alt="latency distribution" src="data:image/png;base64,{latency_plot(report)}">
{baselines}
<h2>Failed cases / 失败用例 ({len(report['failures'])})</h2>
<table><tr><th>id</th><th>category</th><th>question</th><th>answer</th><th>citations</th><th>reason</th></tr>
{failures}</table></body></html>"""


def category_plot(report: dict) -> str:
    """Grouped bars of fact recall, citation precision and refusal accuracy per category, as base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    categories = [c for c in report["by_category"] if c != "all"]
    metrics = ("hit@5", "fact_recall", "citation_precision", "refusal_accuracy", "language_match")
    fig, ax = plt.subplots(figsize=(9, 3.6))
    width = 0.8 / len(metrics)
    for i, metric in enumerate(metrics):
        values = [report["by_category"][c].get(metric, float("nan")) for c in categories]
        ax.bar([x + i * width for x in range(len(categories))], values, width, label=metric)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(categories))], categories, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7, ncol=len(metrics))
    ax.set_title("Per category")
    return _png(fig)


def latency_plot(report: dict) -> str:
    """Histogram of answer latency, as base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(report["latencies_ms"], bins=30)
    ax.set_xlabel("ms")
    ax.set_title("Answer latency")
    return _png(fig)


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _fmt(value) -> str:
    if value is None:
        return "–"
    return (f"{value:.3f}" if isinstance(value, float) and value <= 1.0
            else f"{value:g}" if isinstance(value, float) else str(value))


def plain(value) -> str:
    """Text with control, bidi and lone-surrogate characters shown as visible escapes."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


def md(value) -> str:
    """Text for a Markdown line: plain, one line, every Markdown metacharacter escaped (no link, image or HTML)."""
    return MD_SPECIAL.sub(r"\\\1", plain(value).replace("\n", " ").replace("\r", " "))
