"""Own the document commands: list the indexed documents and take one out of the index."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from cityqa.cli import app
from cityqa.console import dumps, out, safe, settings_or_exit, user_errors, waiting
from cityqa.settings import user_language


@app.command("docs")
def docs_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """List the indexed documents: id, title, language, paragraphs, when added."""
    from rich.table import Table

    from cityqa.app import build_qa

    language = user_language()
    settings = settings_or_exit(language)
    with user_errors(language):
        documents = build_qa(settings, waiting(language)).documents()
    if as_json:
        sys.stdout.write(dumps(documents) + "\n")
        return
    zh = language == "zh"
    table = Table(title="文档 / Documents")
    for column in (("编号", "id"), ("标题", "title"), ("语言", "language"), ("段落", "paragraphs"), ("加入", "added")):
        table.add_column(column[0] if zh else column[1])
    for d in documents:
        table.add_row(*(safe(str(d[k])) for k in ("doc_id", "title", "language", "paragraphs", "added")))
    out.print(table)


@app.command("remove")
def remove_command(doc_id: Annotated[str, typer.Argument(help="Document id, as cityqa docs lists it")]) -> None:
    """Take a document out of the index (its file moves to corpus/.removed/; nothing is deleted)."""
    from cityqa.app import build_qa

    language = user_language()
    settings = settings_or_exit(language)
    with user_errors(language):
        report = build_qa(settings, waiting(language)).remove(doc_id)
    line = (f"已移除 {doc_id}：删除 {report.removed} 个片段，文件移至 corpus/.removed/" if language == "zh" else
            f"removed {doc_id}: {report.removed} chunks dropped, the file moved to corpus/.removed/")
    out.print(safe(line), markup=False, highlight=False)
