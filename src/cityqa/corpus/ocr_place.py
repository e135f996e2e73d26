"""Own where recognised text stands: a paragraph's lines with their pages, boxes and scores, as stored per chunk."""
from __future__ import annotations

import json

from cityqa.corpus.ocr import LOW_CONFIDENCE


def place(lines: list) -> str:
    """A paragraph's lines on its pages as JSON for the index ("" for text-layer paragraphs)."""
    return json.dumps(lines, separators=(",", ":")) if lines else ""


def chunk_place(place_json: str, start: int, end: int) -> str:
    """The lines of a paragraph's place that the span [start, end) of its text covers, offsets made span-relative."""
    lines = json.loads(place_json)
    ends = [line[0] for line in lines[1:]] + [float("inf")]
    return place([[max(0, line[0] - start), *line[1:]] for line, stop in zip(lines, ends)
                  if line[0] < end and stop > start])


def quoted_boxes(text: str, place_json: str, quotes: list[str]) -> list[list]:
    """The [page, x0, y0, x1, y1] of each line of a text (with its place) that one of the quotes stands on."""
    if not place_json:
        return []
    lines = json.loads(place_json)
    ends = [line[0] for line in lines[1:]] + [len(text)]
    spans = [(at, at + len(q)) for q in quotes if q and (at := text.find(q)) >= 0]
    return [line[1:6] for line, stop in zip(lines, ends) if any(a < stop and b > line[0] for a, b in spans)]


def low_confidence(place_json: str) -> bool:
    """Whether any line of a paragraph was recognised with a low score."""
    return bool(place_json) and any(line[6] < LOW_CONFIDENCE for line in json.loads(place_json))
