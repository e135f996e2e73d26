"""Own the OCR commands: bench-ocr (character error rate and speed on rendered scans) and render-scans."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cityqa.cli_app import app
from cityqa.console import out, settings_or_exit, user_errors

TARGETS = {"zh clean": 0.02, "en clean": 0.03, "zh noisy": 0.05, "en noisy": 0.05}
PAGES_PER_S = 0.5


@app.command("bench-ocr")
def bench_ocr_command(
    scans: Annotated[Path | None, typer.Option(help="Scans rendered by render-scans (default: render the fixtures)")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print OCR character error rate (zh, en; clean and noisy renders) and A4 pages per second at 150 dpi."""
    from rich.table import Table

    from cityqa.tools.bench_ocr import run

    settings = settings_or_exit()
    with user_errors(settings.language):
        results = run(settings.ocr, scans=scans)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"OCR ({settings.ocr}) — A4, 150 dpi")
    for column in ("renders", "pages", "chars", "CER", "target", "CER restoring spaces", "pages/s", "CPU s/page"):
        table.add_column(column)
    for name, m in results.items():
        table.add_row(name, str(m["pages"]), str(m["chars"]), f"{m['cer']:.2%}", f"≤ {TARGETS.get(name, 0):.0%}",
                      f"{m['cer_restoring_spaces']:.2%}", f"{m['pages_per_s']:.2f} (≥ {PAGES_PER_S})",
                      f"{m['cpu_s_per_page']:.1f}")
    out.print(table)


@app.command("render-scans")
def render_scans_command(
    target: Annotated[Path, typer.Argument(help="Folder for clean/, noisy/ and truth/")],
    sources: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the fixture corpus)")]
    = None,
) -> None:
    """Render image-only scans (clean and noisy PDFs, A4 at 150 dpi) of documents, with each page's true lines."""
    from cityqa.tools.render_scans import FIXTURES, render_all

    settings = settings_or_exit()
    with user_errors(settings.language):
        for written in render_all(target, sources or [FIXTURES]):
            out.print(str(written), markup=False, highlight=False)
