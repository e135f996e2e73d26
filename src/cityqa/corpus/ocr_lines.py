"""Own recognised lines: text, box and confidence, and their JSON form (a leaf: engines and fakes share it)."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text, box (x0, y0, x1, y1 in page pixels), score and stroke width (0: unmeasured)."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float = 1.0
    stroke: float = 0.0  # the mean width of its strokes in pixels, measured on the page (never cached: pixels are)

    @property
    def height(self) -> float:
        """Line height in pixels."""
        return self.box[3] - self.box[1]


def lines_json(lines: list[OcrLine]) -> str:
    """Lines as JSON (a fake engine's script, a PNG text chunk)."""
    return json.dumps([[line.text, list(line.box), line.confidence] for line in lines], ensure_ascii=False)


def lines_from_json(text: str) -> list[OcrLine]:
    """Lines back from lines_json."""
    return [OcrLine(t, tuple(box), score) for t, box, score in json.loads(text)]
