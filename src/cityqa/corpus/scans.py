"""Own scanned pages: images and PDF pages without a text layer, rendered and bounded, read by the OCR engine."""
from __future__ import annotations

import io
import logging
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from cityqa.corpus.files import UnreadableFile
from cityqa.corpus.ocr import OcrEngine, OcrLine
from cityqa.corpus.ocr_cache import OcrCache, page_key
from cityqa.corpus.ocr_strokes import with_strokes

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
OCR_DPI = 150
MAX_PIXELS = 40_000_000  # an A4 page at 600 dpi is 35 Mpx; a bomb declares billions in a few kilobytes
MAX_SIDE = 2400  # a longer side is scaled down before recognition: print at 150–200 dpi reads as well
MAX_SCAN_PAGES = 300
MIN_TEXT_CHARS = 20  # a PDF page whose text layer has fewer characters than this is read as a scan
BROKEN_IMAGE = ("无法读取图像：文件已损坏，或不是图像", "unreadable image: damaged or not an image")
CACHED_PAGES = 64
RECOGNISED: dict[str, list[OcrLine]] = {}  # the last pages read, by page key (engine version and pixels)
log = logging.getLogger("cityqa.corpus")
PageProgress = Callable[[int, int], None]


@dataclass
class ScanPage:
    """One recognised page: its number (from 1), its size in pixels, and its lines."""

    number: int
    width: int
    height: int
    lines: list[OcrLine]
    spaced: bool = False  # the engine puts the spaces between English words itself (none to restore)


@dataclass
class Scanner:
    """What reading scans needs: the engine (None when OCR is off), a time budget per page, a progress callback."""

    engine: OcrEngine | None
    page_budget_s: float = 60.0
    progress: PageProgress = field(default=lambda done, total: None)
    skipped: list[int] = field(default_factory=list)
    cache: OcrCache | None = None  # pages read before (by pixels and engine version), kept on disk

    def read_pages(self, images: list[tuple[int, Callable[[], object]]]) -> list[ScanPage]:
        """Recognise each (page number, image made on demand); a page over its time budget is skipped and noted."""
        if self.engine is None:
            raise UnreadableFile("这是扫描件，但文字识别已关闭（CITYQA_OCR=off）",
                                 "a scan, but OCR is off (CITYQA_OCR=off)")
        pages = []
        together = max(1, int(getattr(self.engine, "pages_at_once", 1)))  # an engine on one thread a page
        for start in range(0, len(images), together):
            self.progress(start, len(images))
            batch = [(number, make()) for number, make in images[start:start + together]]
            for (number, image), lines in zip(batch, self._recognise(batch)):
                if lines is not None:
                    pages.append(ScanPage(number, image.width, image.height, with_strokes(image, lines),
                                          getattr(self.engine, "spaces_words", False)))
        self.progress(len(images), len(images))
        if images and not pages:
            raise UnreadableFile(f"文字识别失败或超过每页 {self.page_budget_s:g} 秒的时限，没有读出任何一页",
                                 f"OCR failed or went over the {self.page_budget_s:g} s budget on every page")
        return pages

    def _recognise(self, batch: list[tuple[int, object]]) -> list[list[OcrLine] | None]:
        """The lines of each page: read before (memory, disk), or recognised side by side, each within its budget."""
        keys = [page_key(self.engine, image) for _, image in batch]  # None: a reading that may vary is redone
        found = [self._known(key) for key in keys]  # an upload is checked, then ingested; a rebuild reads again
        outcomes: list[dict] = [{} for _ in batch]
        workers = [(i, threading.Thread(target=self._read, args=(batch[i][1], outcomes[i]), daemon=True))
                   for i, known in enumerate(found) if known is None]
        for _, worker in workers:
            worker.start()
        deadline = time.monotonic() + self.page_budget_s
        for i, worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            number, done = batch[i][0], outcomes[i]
            if worker.is_alive() or "error" in done:
                log.warning("OCR skipped page %d: %s", number, done.get("error") or f"over {self.page_budget_s:g} s")
                self.skipped.append(number)
                continue
            found[i] = done["lines"]
            if keys[i] is not None:
                _remember(keys[i], done["lines"])
                if self.cache is not None:
                    self.cache.put(keys[i], done["lines"])
        return found

    def _known(self, key: str | None) -> list[OcrLine] | None:
        known = None if key is None else RECOGNISED.get(key)
        if known is None and key is not None and self.cache is not None:
            known = self.cache.get(key)
        if known is not None:
            _remember(key, known)
        return known

    def _read(self, image, done: dict) -> None:
        try:
            done["lines"] = self.engine.read(image)
        except Exception as exc:  # an engine failure costs this page, never the corpus
            done["error"] = exc


def _remember(key: str, lines: list[OcrLine]) -> None:
    RECOGNISED[key] = lines
    while len(RECOGNISED) > CACHED_PAGES:
        RECOGNISED.pop(next(iter(RECOGNISED)))


def check_pixels(width: int, height: int, what: str = "图像", what_en: str = "image") -> None:
    """Refuse a page whose declared size is beyond MAX_PIXELS, before a byte of it is decoded."""
    if width * height > MAX_PIXELS:
        raise UnreadableFile(f"{what}尺寸 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素上限",
                             f"{what_en} is {width}×{height} pixels, over the {MAX_PIXELS // 1_000_000} Mpx limit")


def image_frames(data: bytes) -> list[tuple[int, Callable[[], object]]]:
    """The pages of an image file (a TIFF may hold several), each decoded on demand, size-checked first."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            check_pixels(*image.size)
            frames = getattr(image, "n_frames", 1)
    except UnreadableFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableFile("图像尺寸过大（疑似解压炸弹），未读取",
                             "the image is too large (a decompression bomb?); not read") from None
    except Exception:
        raise UnreadableFile(*BROKEN_IMAGE) from None
    if frames > MAX_SCAN_PAGES:
        raise UnreadableFile(f"图像有 {frames} 页，超过 {MAX_SCAN_PAGES} 页上限",
                             f"the image has {frames} pages, over the {MAX_SCAN_PAGES}-page limit")
    return [(i + 1, lambda i=i: image_page(data, i)) for i in range(frames)]


def image_page(data: bytes, index: int):
    """Decode frame index of an image file as RGB, scaled to MAX_SIDE at most."""
    from PIL import Image, ImageOps

    try:
        image = Image.open(io.BytesIO(data))
        check_pixels(*image.size)
        image.seek(index)
        page = ImageOps.exif_transpose(image).convert("RGB")
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(*BROKEN_IMAGE) from None
    page.info.update({k: v for k, v in image.info.items() if isinstance(v, str)})  # text chunks (the fake's)
    return scaled(page)


def pdf_page(data: bytes, index: int, dpi: int = OCR_DPI):
    """Render one PDF page (from 0) at dpi with pdfium, refusing a page whose size is beyond the pixel limit."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[index]
        width, height = page.get_size()
        check_pixels(int(width * dpi / 72), int(height * dpi / 72), "PDF 页面", "the PDF page")
        return scaled(page.render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        document.close()


def scaled(image):
    """The image with its longer side at most MAX_SIDE pixels."""
    longest = max(image.size)
    if longest <= MAX_SIDE:
        return image
    ratio = MAX_SIDE / longest
    small = image.resize((max(1, round(image.width * ratio)), max(1, round(image.height * ratio))))
    small.info.update(image.info)
    return small


def needs_ocr(page_text: str) -> bool:
    """Whether a PDF page's text layer is too thin to be the page's text (a scan, or a scanned insert)."""
    return sum(not c.isspace() for c in page_text) < MIN_TEXT_CHARS
