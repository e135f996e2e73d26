"""Own the OCR seam: recognised lines with boxes and confidence, an engine protocol, and the engine factory."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from cityqa.corpus.ocr_lines import OcrLine, lines_from_json, lines_json  # noqa: F401  (the seam's names)

LOW_CONFIDENCE = 0.8  # PP-OCR scores a clean printed line above 0.95; below this a line is worth checking


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
    """PP-OCRv6 detection and Chinese/English recognition from the models inside the rapidocr wheel."""

    deterministic = True  # a page's pixels always read the same: results may be reused
    spaces_words = True  # PP-OCRv6 keeps English word spaces: restoring them cost CER (1.0 % → 1.1 %, bench-ocr)
    MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
              "Rec": "PP-OCRv6_rec_small.onnx"}  # the classifier is named (never fetched) though unused
    # no direction classifier: it turned upright lines of print over (garbage at score 0.7, bench-ocr). Detection
    # on the page scaled to 1152 px (an A4 page at 150 dpi is 1754): 40 % of its CPU, CER unchanged at 1152 and
    # 1280 (960 px ran close lines together). Recognition one line at a time: a batch pads every line to its
    # widest (batch 6: +35 % CPU).
    # One thread a session and two pages side by side: the threads never wait on each other (docs/ocr.md).
    TUNING = {"Global.log_level": "error", "Global.use_cls": False, "Det.limit_type": "max",
              "Det.limit_side_len": 1152, "Rec.rec_batch_num": 1,
              "EngineConfig.onnxruntime.intra_op_num_threads": 1, "EngineConfig.onnxruntime.inter_op_num_threads": 1}
    pages_at_once = max(1, min(4, os.cpu_count() or 1))

    def __init__(self) -> None:
        """Defer loading the models to the first page (no work at import or at build time)."""
        self._engine = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """What a page's reading depends on: the package's version, the model files (names, sizes) and settings."""
        if self._version is None:
            from importlib import metadata, util

            folder = Path(util.find_spec("rapidocr").submodule_search_locations[0]) / "models"
            models = {name: (folder / name).stat().st_size if (folder / name).is_file() else None
                      for name in self.MODELS.values()}
            self._version = json.dumps(["rapidocr", metadata.version("rapidocr"), models, self.TUNING],
                                       sort_keys=True)
        return self._version

    def read(self, image) -> list[OcrLine]:
        """Recognise one page; each line keeps its box and score."""
        import numpy as np

        if self._engine is None:
            self._engine = self._load()
        pixels = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])  # OpenCV's BGR order
        result = self._engine(pixels)
        if result.boxes is None or result.txts is None:
            return []
        return [_line(box, text, score) for box, text, score in zip(result.boxes, result.txts, result.scores)
                if str(text).strip()]

    def _load(self):
        """The engine on the wheel's own model files, named by path so its downloader is never reached."""
        import rapidocr

        folder = Path(rapidocr.__file__).parent / "models"
        paths = {f"{task}.model_path": str(folder / name) for task, name in self.MODELS.items()}
        missing = [p for p in paths.values() if not Path(p).is_file()]
        if missing:
            raise FileNotFoundError(f"OCR model missing from the rapidocr package: {missing[0]}")
        return rapidocr.RapidOCR(params={**paths, **self.TUNING})


def _line(points, text, score) -> OcrLine:
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return OcrLine(str(text).strip(), (min(xs), min(ys), max(xs), max(ys)), float(score))
