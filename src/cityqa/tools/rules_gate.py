"""Own the choice of the grounding from which the quoting rules are skipped, from SQuAD harness runs on train."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

GRID = np.round(np.arange(0.0, 1.02, 0.02), 2)


def joined_cases(with_rules: Path, without_rules: Path) -> list[tuple[bool, bool, float]]:
    """Per question asked in both runs: (right with the rules, right without, grounding without)."""
    def cases(path: Path) -> dict[str, dict]:
        report = json.loads(path.read_text(encoding="utf-8"))
        return {c["id"]: c for pair in report["pairs"] for c in pair["cases"]}

    on, off = cases(with_rules), cases(without_rules)
    return [(right(on[q]), right(off[q]), off[q]["cityqa"]["grounding"]) for q in on.keys() & off.keys()]


def right(case: dict) -> bool:
    """Joint accuracy of one case: an answerable question answered with its gold span, another one refused."""
    answer = case["cityqa"]
    return answer["right"] and not answer["refused"] if case["answerable"] else answer["refused"]


def joint_by_threshold(sets: list[list[tuple[bool, bool, float]]]) -> dict[float, float]:
    """Mean joint accuracy over the sets (each counting alike) when the rules apply below each grounding."""
    return {float(g): float(np.mean([np.mean([on if grounding < g else off for on, off, grounding in cases])
                                     for cases in sets])) for g in GRID}


def main() -> None:
    """Per question language, the joint accuracy per threshold over pairs of runs (with rules, without) and the
    best threshold (the lowest among equals)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", help="LANGUAGE:WITH_RULES.json:WITHOUT.json per set (LANGUAGE en or zh)")
    args = parser.parse_args()
    sets: dict[str, list] = {}
    for run in args.runs:
        base, on, off = run.split(":")
        sets.setdefault(base, []).append(joined_cases(Path(on), Path(off)))
    out = {}
    for base, cases in sets.items():
        table = joint_by_threshold(cases)
        best = max(table, key=lambda g: (round(table[g], 4), -g))
        out[base] = {"rules_below": best, "joint": round(table[best], 4), "always": round(table[1.0], 4),
                     "never": round(table[0.0], 4)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
