"""An OCR citation in a real browser, desktop and phone: the reader shows the page image, the quoted lines outlined."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from browser_helpers import BOTH, ask, card_details, open_reader, running_app, shot
from cityqa.corpus.ocr import OcrLine, lines_json

pytest_plugins = ["browser_fixtures"]  # the browser and watched fixtures
pytestmark = [pytest.mark.browser, pytest.mark.slow]
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LINES = [("The Lumen Harbour Plan", 40), ("1. Tidal parks", 26),
         ("Lumen will turn the old coal docks into tidal parks that flood twice a day.", 24),
         ("2. Night trams", 26),
         ("Night trams will run every ten minutes between the harbour", 24),
         ("and the university. Osterby tested night trams first.", 24)]
QUOTE = "Night trams will run every ten minutes between the harbour and the university."


def scan_png() -> bytes:
    """A page image with the text drawn on it, and the same lines (boxes measured) for the fake OCR engine."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw, lines, y = ImageDraw.Draw(image), [], 150
    for text, size in LINES:
        font = ImageFont.truetype(FONT, size)
        x0, top, x1, bottom = draw.textbbox((150, y), text, font=font)
        draw.text((150, y), text, font=font, fill="black")
        lines.append(OcrLine(text, (x0, top, x1, bottom), 0.98))
        y += int(size * 1.6) + (30 if size > 24 else 0)
    info = PngInfo()
    info.add_text("ocr", lines_json(lines))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over one scanned page read by the fake OCR engine, on e5 and the memory store."""
    root = tmp_path_factory.mktemp("scan")
    (root / "corpus").mkdir()
    (root / "corpus" / "harbour-notes.png").write_bytes(scan_png())
    env = {"CITYQA_CORPUS_DIR": str(root / "corpus"), "CITYQA_INDEX_DIR": str(root / "index"),
           "CITYQA_STORE": "memory", "CITYQA_OCR": "fake"}
    with running_app(env, root / "data") as url:
        yield url


@BOTH
def test_an_ocr_citation_opens_the_page_image_with_the_quoted_lines_outlined(watched, viewport):
    browser = watched(viewport)
    page = browser.page()
    ask(page, "How often will night trams run?", "every ten minutes")
    details = card_details(page, "2-night-trams.1")
    details.get_by_text("Scan: text read by OCR, page 1").wait_for()
    reader, target = open_reader(browser, details)
    assert QUOTE in target.inner_text()
    view = target.locator(".ocr-page")
    view.wait_for(timeout=30_000)
    image = view.locator("img")
    image.evaluate("img => img.complete || new Promise(done => img.onload = done)")
    assert image.evaluate("img => img.naturalWidth") > 0
    frame = image.bounding_box()
    boxes = [b.bounding_box() for b in view.locator(".ocr-box").all()]
    assert len(boxes) == 2  # the two lines the quoted sentence was read from, not the whole page
    for box in boxes:  # each outline on the image, where the line was printed (lines 5 and 6 of the page)
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        assert frame["y"] + 0.15 * frame["height"] < box["y"] < frame["y"] + 0.35 * frame["height"]
    if viewport == "desktop":
        shot(reader, "reader-ocr.png")
