"""Own the Typer application every command module registers on (a leaf: it imports no command module)."""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="cityqa: cited zh/en answers about the documents in the corpus.")
