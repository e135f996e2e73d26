"""Scans are bounded: bombs and broken images refused in one line, a slow page skipped, the rest ingested."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.scans import Scanner
from cityqa.testing import FakeOcr
from test_ocr import line, png


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width=60_000, height=60_000) -> bytes:
    """A PNG of a few hundred bytes that declares 3.6 billion pixels of white."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\xff" * (width // 8), 9)  # one row only: the rest is never reached
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def reason(tmp_path, name, data, engine=None, **scanner) -> str:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        load_document(tmp_path / name, tmp_path, 20.0, Scanner(engine or FakeOcr(), **scanner))
    return caught.value.message("en")


def test_r67_a_decompression_bomb_image_is_refused_before_decoding(tmp_path):
    engine = FakeOcr()
    assert reason(tmp_path, "bomb.png", bomb_png(), engine) == (
        "the image is too large (a decompression bomb?); not read")  # Pillow's own guard, at open
    assert reason(tmp_path, "big.png", bomb_png(8000, 8000), engine) == (
        "image is 8000×8000 pixels, over the 40 Mpx limit")  # below Pillow's guard, over the page limit
    assert engine.calls == 0


def test_r67_a_pdf_page_too_large_to_render_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(14400, 14400)  # 200 × 200 inches: 900 Mpx at 150 dpi
    out = io.BytesIO()
    writer.write(out)
    assert reason(tmp_path, "poster.pdf", out.getvalue()) == (
        "the PDF page is 30000×30000 pixels, over the 40 Mpx limit")


@pytest.mark.parametrize("name, data", [
    ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"not an image at all" * 50),
    ("truncated.png", png([line("一行字", 100, 100, 300)])[:300]),
    ("renamed.jpg", b"%PDF-1.4 this is no jpeg" * 40),
])
def test_r68_a_broken_image_is_one_line(tmp_path, name, data):
    assert reason(tmp_path, name, data) == "unreadable image: damaged or not an image"


def test_r69_a_page_over_its_time_budget_is_skipped_and_the_other_pages_kept(tmp_path):
    frames = [Image.new("L", (600, 800), 255) for _ in range(2)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    engine = FakeOcr(pages=[[line("The first page reads in time.", 50, 100, 500)], []], delays_s=[0.0, 2.0])
    (tmp_path / "two.tiff").write_bytes(out.getvalue())
    scanner = Scanner(engine, page_budget_s=0.3)
    doc = load_document(tmp_path / "two.tiff", tmp_path, 20.0, scanner)
    assert [p.text for p in doc.paragraphs] == ["The first page reads in time."] and scanner.skipped == [2]


def test_r69_a_file_whose_every_page_goes_over_budget_is_one_line(tmp_path):
    engine = FakeOcr(delays_s=[2.0])
    assert reason(tmp_path, "slow.png", png([line("x", 1, 1, 9)]), engine, page_budget_s=0.2) == (
        "OCR failed or went over the 0.2 s budget on every page")


def test_r67_r68_bad_images_are_one_line_each_and_the_rest_of_the_corpus_ingests(make_settings, tmp_path):
    from cityqa.app import ingest_files

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bomb.png").write_bytes(bomb_png())
    (corpus / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken" * 30)
    (corpus / "scan.png").write_bytes(png([line("一、总体要求", 150, 200, 400),
                                           line("到2027年建成充电桩两万个。", 150, 250, 700)]))
    (corpus / "notes.md").write_text("# Notes\n\nThe ferry runs hourly.\n", encoding="utf-8")
    steps = []
    report = ingest_files(make_settings(ocr="fake", store="memory"),
                          progress=lambda stage, done, total: steps.append((stage, done, total)))
    assert report.files == 2
    assert sorted((p.rpartition("/")[2], e.message("en")) for p, e in report.problems) == [
        ("bomb.png", "the image is too large (a decompression bomb?); not read"),
        ("broken.jpg", "unreadable image: damaged or not an image")]
    assert ("ocr · scan.png", 1, 1) in steps  # each scanned document has a progress bar of its own


def test_an_engine_on_one_thread_a_page_reads_pages_side_by_side_each_within_its_budget(tmp_path):
    import time

    class SideBySide:
        pages_at_once = 2

        def read(self, image):
            time.sleep(5.0 if image.width == 630 else 0.5)  # the fourth page hangs
            return [line(f"Page {image.width - 600}.", 50, 100, 500)]

    frames = [Image.new("L", (width, 800), 255) for width in (601, 602, 603, 630)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    (tmp_path / "four.tiff").write_bytes(out.getvalue())
    scanner = Scanner(SideBySide(), page_budget_s=1.5)
    started = time.monotonic()
    doc = load_document(tmp_path / "four.tiff", tmp_path, 20.0, scanner)
    assert time.monotonic() - started < 2.6  # one after another: 3 × 0.5 s and the hung page's 1.5 s
    assert [p.text for p in doc.paragraphs] == ["Page 1.", "Page 2.", "Page 3."] and scanner.skipped == [4]
