"""Own the OCR seam: recognised lines with boxes and confidence, an engine protocol, and the engine factory."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

LOW_CONFIDENCE = 0.8  # PP-OCR scores a clean printed line above 0.95; below this a line is worth checking


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text, box (x0, y0, x1, y1 in page pixels), score, and each character's x-span."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float = 1.0
    chars: tuple[tuple[float, float], ...] = ()

    @property
    def height(self) -> float:
        """Line height in pixels."""
        return self.box[3] - self.box[1]


class OcrEngine(Protocol):
    """Recognise the text lines of one page image."""

    def read(self, image) -> list[OcrLine]:
        """Return the lines of a PIL image, in any order."""


def make_ocr(kind: str) -> OcrEngine | None:
    """Build the OCR engine a setting names (None for "off"); the vendor is imported at first use, not here."""
    match kind:
        case "rapidocr":
            return RapidOcr()
        case "fake":
            from cityqa.testing import FakeOcr

            return FakeOcr()
        case "off":
            return None
    raise ValueError(f"unknown OCR engine {kind!r}; choose rapidocr, fake or off")


class RapidOcr:
    """PP-OCR (detection, direction, Chinese/English recognition) through rapidocr-onnxruntime's bundled models."""

    deterministic = True  # a page's pixels always read the same: results may be reused

    def __init__(self) -> None:
        """Defer loading the models to the first page (no work at import or at build time)."""
        self._engine = None

    def read(self, image) -> list[OcrLine]:
        """Recognise one page; each line keeps its box, score and character spans."""
        import numpy as np

        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR

            self._engine = RapidOCR()
        pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # the engine expects OpenCV's BGR order
        result, _ = self._engine(pixels, return_word_box=True)
        return [_line(row) for row in result or [] if str(row[1]).strip()]


def _line(row) -> OcrLine:
    points, text, score = row[0], str(row[1]), float(row[2])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    chars = tuple((float(min(p[0] for p in c)), float(max(p[0] for p in c))) for c in (row[3] if len(row) > 3
                                                                                     and row[3] else []))
    return OcrLine(text.strip(), (float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))), score, chars)


def lines_json(lines: list[OcrLine]) -> str:
    """Lines as JSON (a fake engine's script, a PNG text chunk)."""
    return json.dumps([[line.text, list(line.box), line.confidence] for line in lines], ensure_ascii=False)


def lines_from_json(text: str) -> list[OcrLine]:
    """Lines back from lines_json."""
    return [OcrLine(t, tuple(box), score) for t, box, score in json.loads(text)]
