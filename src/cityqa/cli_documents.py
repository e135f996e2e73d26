"""Own the document and load commands: list the indexed documents, take one out, ask many questions at once."""
from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cityqa.cli_app import app
from cityqa.console import dumps, out, safe, settings_or_exit, user_errors, waiting
from cityqa.settings import user_language


@app.command("docs")
def docs_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """List the indexed documents: id, title, language, paragraphs, when added (piped: one tab-separated line each)."""
    from rich.table import Table

    from cityqa.app import build_qa

    language = user_language()
    settings = settings_or_exit(language)
    with user_errors(language):
        documents = build_qa(settings, waiting(language)).documents()
    if as_json:
        sys.stdout.write(dumps(documents) + "\n")
        return
    fields = ("doc_id", "title", "language", "paragraphs", "added")
    if not out.is_terminal:  # piped or redirected: whole lines for cut, grep and sort, never a table wrapped to 80
        for d in documents:
            sys.stdout.write("\t".join(safe(d[k], newlines=False) for k in fields) + "\n")
        return
    zh = language == "zh"
    table = Table(title="文档 / Documents")
    id_width = max([len(d["doc_id"]) for d in documents] + [4])
    for column in (("编号", "id"), ("标题", "title"), ("语言", "language"), ("段落", "paragraphs"), ("加入", "added")):
        # remove needs the whole id: it never wraps or shrinks; the title wraps instead
        fixed = {"no_wrap": True, "min_width": id_width} if column[1] == "id" else {"overflow": "fold"}
        table.add_column(column[0] if zh else column[1], **fixed)
    for d in documents:
        table.add_row(*(safe(str(d[k])) for k in fields))
    # on a terminal too narrow for whole ids the table is drawn wider (the terminal wraps it), never cut
    out.print(table, width=max(out.width, id_width + 44), crop=False)


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


@app.command("bench-load")
def bench_load_command(
    threads: Annotated[list[int] | None, typer.Option(help="Thread counts")] = None,
    questions: Annotated[int, typer.Option(help="Questions per run")] = 200,
) -> None:
    """Ask many questions at once on one QA object (threads): all answered, figures printed."""
    from cityqa.app import build_qa
    from cityqa.tools.scale import load_threads

    settings = settings_or_exit()
    with user_errors(settings.language):
        qa = build_qa(settings)
    for count in threads or [1, 2, 4, 8, 16]:
        out.print(json.dumps(load_threads(qa, count, questions)), markup=False, highlight=False)


@app.command("hash-key")
def hash_key_command() -> None:
    """Print the hash of an editor key (typed twice, or one line on stdin) for CITYQA_EDITOR_KEY_HASH."""
    import getpass

    from cityqa.editors import hash_key

    zh = user_language().startswith("zh")
    if sys.stdin.isatty():
        key = getpass.getpass("编辑密钥：" if zh else "Editor key: ")
        again = getpass.getpass("再输入一次：" if zh else "Again: ")
    else:
        key = again = sys.stdin.readline().rstrip("\r\n")
    if not key.strip() or key != again:
        sys.stderr.write(("密钥为空或两次输入不同" if zh else "the key is empty or the two entries differ") + "\n")
        raise typer.Exit(2)
    sys.stdout.write(hash_key(key) + "\n")
