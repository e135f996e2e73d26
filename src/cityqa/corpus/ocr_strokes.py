"""Own the stroke width of recognised lines, measured on the page image: bold type is found by it, not by size."""
from __future__ import annotations

from dataclasses import replace

from cityqa.corpus.ocr_lines import OcrLine

MIN_INK = 20  # pixels: a box with less ink than this (a blank page, a fake engine's line) is left unmeasured


def with_strokes(image, lines: list[OcrLine]) -> list[OcrLine]:
    """The lines, each with the mean width of its strokes on the page image (2 × ink area / ink outline)."""
    import numpy as np

    if not lines:
        return lines
    gray = np.asarray(image.convert("L"), dtype=np.float32)
    paper, ink = np.percentile(gray, 90), np.percentile(gray, 0.5)
    if paper - ink < 40:  # no print on the page to tell ink from paper (a blank or flat image)
        return lines
    dark = gray < (paper + ink) / 2  # midway between paper and ink: a grey cast or grain moves both alike
    return [replace(line, stroke=_stroke(dark, line.box)) for line in lines]


def _stroke(dark, box) -> float:
    """Stroke width in a box: a stroke w pixels wide and L long has area w·L and an outline of about 2·L pixels."""
    import numpy as np

    x0, y0, x1, y1 = (max(0, int(round(v))) for v in box)
    cell = dark[y0:y1, x0:x1]
    area = int(cell.sum())
    if area < MIN_INK:
        return 0.0
    padded = np.pad(cell, 1)
    inside = padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    outline = area - int(inside.sum())
    return round(2 * area / max(outline, 1), 3)
