"""Own reading evaluation cases: JSONL datasets and which paragraph keys are gold."""
from __future__ import annotations

import json
from pathlib import Path

from cityqa.errors import BadInput


def load_cases(path: Path) -> list[dict]:
    """Read a JSONL dataset, or raise BadInput naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"无法读取数据集 {path}：{type(exc).__name__}",
                       f"cannot read the dataset {path}: {type(exc).__name__}") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError:
                raise BadInput(f"{path} 第 {number} 行不是有效的 JSON",
                               f"{path} line {number} is not valid JSON") from None
    return cases


def is_gold(key: str, gold: set[str]) -> bool:
    """Tell whether a paragraph key ("doc#id") is gold: gold names a key, or a bare id of the main document."""
    return key in gold or key.rpartition("#")[2] in gold
