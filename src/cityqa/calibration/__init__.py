"""Own the calibration data: every named cut-off in cutoffs.toml (per embedder), fitted weights beside it."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

CUTOFFS = Path(__file__).with_name("cutoffs.toml")
ANY = "any"  # the section of values that hold for every embedder


@cache
def _cutoffs() -> dict:
    """The parsed cut-off file."""
    with CUTOFFS.open("rb") as handle:
        return tomllib.load(handle)


def cutoff(name: str, embedder: str = ANY):
    """The cut-off `module.name` for an embedder, else the value that holds for every embedder."""
    module, key = name.split(".", 1)
    for section in (embedder, ANY):
        value = _cutoffs().get(section, {}).get(module, {}).get(key)
        if value is not None:
            return value
    raise KeyError(f"cutoffs.toml has no cut-off {name!r}")
