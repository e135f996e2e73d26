"""Recognised pages are kept under the data directory: a rebuild reads no page again, a changed page is read."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from cityqa.corpus import scans
from cityqa.corpus.ocr import OcrLine, RapidOcr, lines_json
from cityqa.corpus.ocr_cache import OcrCache, page_key
from cityqa.index import ingest as ingest_module
from cityqa.testing import FakeEmbeddings, FakeOcr

W, H = 1240, 1754


class CountingOcr(FakeOcr):
    """The fake engine, reading the same pixels the same way, under a version, counting its calls."""

    deterministic = True
    version = "counting fake 1"


def page(text: str, mark: int) -> bytes:
    """A page image whose pixels differ by mark, carrying its lines for the fake engine."""
    image = Image.new("L", (W, H), 255)
    ImageDraw.Draw(image).rectangle((100 + mark, 100, 140 + mark, 120), fill=0)
    info = PngInfo()
    info.add_text("ocr", lines_json([OcrLine(text, (150, 300, 1000, 324), 0.99)]))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_rebuild_does_not_call_the_engine_again_and_a_changed_scan_is_read_again(make_settings, monkeypatch):
    settings = make_settings(store="memory")
    settings.corpus_dir.mkdir(parents=True)
    (settings.corpus_dir / "notice.png").write_bytes(page("The harbour reopens on 3 May after dredging.", 0))
    engine = CountingOcr()
    monkeypatch.setattr(ingest_module, "make_ocr", lambda kind: engine)
    monkeypatch.setattr(scans, "RECOGNISED", {})  # only the disk cache may remember the page between runs
    ingest_module.ingest(settings, FakeEmbeddings(), rebuild=True)
    assert engine.calls == 1
    scans.RECOGNISED.clear()
    ingest_module.ingest(settings, FakeEmbeddings(), rebuild=True)
    assert engine.calls == 1  # read from the cache under the data directory
    assert list((settings.data_dir / "ocr").rglob("*.json"))
    (settings.corpus_dir / "notice.png").write_bytes(page("The harbour reopens on 9 May after dredging.", 40))
    scans.RECOGNISED.clear()
    ingest_module.ingest(settings, FakeEmbeddings(), rebuild=True)
    assert engine.calls == 2


def test_a_damaged_entry_is_read_again_and_an_unwritable_folder_only_costs_reuse(tmp_path):
    image = Image.new("L", (40, 20), 255)
    key = page_key(CountingOcr(), image)
    cache = OcrCache(tmp_path / "ocr")
    cache.put(key, [OcrLine("text", (0, 0, 10, 10), 0.9)])
    assert cache.get(key)[0].text == "text"
    next((tmp_path / "ocr").rglob("*.json")).write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    (tmp_path / "file").write_text("x")
    OcrCache(tmp_path / "file" / "ocr").put(key, [])  # a file where the folder should be: logged, not raised


def test_a_page_key_changes_with_the_engine_version_and_an_engine_that_may_vary_gets_none(monkeypatch):
    image = Image.new("L", (40, 20), 255)
    assert page_key(FakeOcr(), image) is None
    before = RapidOcr().version
    monkeypatch.setattr(RapidOcr, "TUNING", {**RapidOcr.TUNING, "Det.limit_side_len": 1})
    after = RapidOcr()
    assert after.version != before
    class Before(CountingOcr):
        version = before

    assert page_key(after, image) != page_key(Before(), image)
