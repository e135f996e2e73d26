"""The answering and question code keep language knowledge and cut-offs in data: budgets the issue set, counted."""
from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "cityqa"
STAGES = ("questions", "retrieval", "answering")
PATTERN_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
CODES = {"en", "zh", "zh-Hant", "zh-Hans"}


def _trees():
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for stage in STAGES
            for path in sorted((SOURCE / stage).glob("*.py"))]


def _is_code(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in CODES
    return isinstance(node, (ast.Tuple, ast.Set, ast.List)) and any(_is_code(e) for e in node.elts)


def regex_literals() -> list[str]:
    """Every re.<call>("literal", …) in those stages, as file:line."""
    return [f"{path.name}:{node.lineno}" for path, tree in _trees() for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PATTERN_CALLS
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
            and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp))]


def language_comparisons() -> list[str]:
    """Every comparison against a language code in those stages, as file:line."""
    return [f"{path.name}:{node.lineno}" for path, tree in _trees() for node in ast.walk(tree)
            if isinstance(node, ast.Compare) and any(_is_code(v) for v in [node.left, *node.comparators])]


def inline_cut_offs() -> list[str]:
    """Every float literal but 0, 1 and a division guard (< 1e-6) in those stages: cut-offs live in cutoffs.toml."""
    return [f"{path.name}:{node.lineno}" for path, tree in _trees() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value not in (0.0, 1.0)
            and abs(node.value) >= 1e-6]


def test_regex_literals_in_answering_and_question_code_are_at_most_thirty():
    found = regex_literals()
    assert len(found) <= 30, found


def test_language_code_comparisons_are_at_most_fifteen():
    found = language_comparisons()
    assert len(found) <= 15, found


def test_no_fractional_cut_off_is_written_inline():
    assert inline_cut_offs() == []
