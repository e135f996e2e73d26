"""Scans and images are read through the OCR seam: page by page, laid out by geometry, each bad file one line."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.ocr import OcrLine, lines_json, make_ocr
from cityqa.corpus.scans import Scanner
from cityqa.testing import FakeOcr
from test_loaders import text_pdf

W, H = 1240, 1754


def line(text, x0, y0, x1, height=24, score=0.99):
    """A recognised line at a place on an A4 page at 150 dpi."""
    return OcrLine(text, (x0, y0, x1, y0 + height), score)


def png(lines: list[OcrLine], size=(W, H)) -> bytes:
    """A blank page image carrying its lines for the fake engine."""
    info = PngInfo()
    info.add_text("ocr", lines_json(lines))
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def load(tmp_path, name, data, engine=None, **scanner):
    (tmp_path / name).write_bytes(data)
    return load_document(tmp_path / name, tmp_path, 20.0, Scanner(engine or FakeOcr(), **scanner))


PLAN = [line("雁澜市行动规划", 150, 120, 500, height=40),
        line("一、发展目标", 150, 220, 300),
        line("到2027年，全市数据交易额突破120亿元，新增绿色贷款", 150, 270, 1000),
        line("余额800亿元。", 150, 306, 330),
        line("全市新建充电桩两万个。", 190, 342, 500),
        line("二、重点任务", 150, 420, 300),
        line("Velmora will build 48,000newhomesby2035.", 150, 470, 900, score=0.6),
        line("3", 610, 1650, 625)]


def test_an_image_is_read_into_numbered_sections_with_its_page_number_dropped(tmp_path):
    doc = load(tmp_path, "plan.png", png(PLAN))
    assert doc.title == "雁澜市行动规划"
    texts = [(p.section_path, p.text) for p in doc.paragraphs]
    assert texts == [(("一、发展目标",), "到2027年，全市数据交易额突破120亿元，新增绿色贷款余额800亿元。"),
                     (("一、发展目标",), "全市新建充电桩两万个。"),  # a first-line indent starts a paragraph
                     (("二、重点任务",), "Velmora will build 48,000 new homes by 2035.")]


def test_the_title_in_large_type_is_found_below_a_small_header_line(tmp_path):
    doc = load(tmp_path, "plan.png", png([line("雁澜发展研究 2025", 150, 60, 400, height=18)] + PLAN))
    assert doc.title == "雁澜市行动规划" and doc.paragraphs[0].text == "雁澜发展研究 2025"


def test_each_paragraph_keeps_its_lines_page_box_and_confidence(tmp_path):
    first, last = load(tmp_path, "plan.png", png(PLAN)).paragraphs[::2]
    lines = json.loads(first.place)
    assert [entry[:2] for entry in lines] == [[0, 1], [first.text.index("余额"), 1]]
    assert lines[0][2:6] == [round(150 / W, 4), round(270 / H, 4), round(1000 / W, 4), round(294 / H, 4)]
    from cityqa.corpus.documents import Document, chunk_document

    chunks = chunk_document(Document("d", "t", "zh", "d.png", [first, last]), 1200)
    assert {c.metadata["low_confidence"] for c in chunks if c.metadata["paragraph_id"] == last.paragraph_id} == {True}
    assert {c.metadata["low_confidence"] for c in chunks if c.metadata["paragraph_id"] == first.paragraph_id} == {False}


def test_running_headers_repeated_on_pages_are_dropped_and_a_paragraph_runs_on_over_the_page(tmp_path):
    header = line("Port of Tarrowmouth Research Brief 2025", 150, 60, 800, height=20)
    one = [header, line("1. Key findings", 150, 200, 400),
           line("Throughput rose by a fifth last year and", 150, 250, 1000), line("Page 1", 600, 1680, 680, height=20)]
    two = [header, line("the port added two berths.", 150, 200, 700), line("Page 2", 600, 1680, 680, height=20)]
    frames = [Image.new("L", (W, H), 255) for _ in range(2)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    doc = load(tmp_path, "brief.tiff", out.getvalue(), FakeOcr(pages=[one, two]))
    assert [(p.section_path, p.text) for p in doc.paragraphs] == [
        (("1. Key findings",), "Throughput rose by a fifth last year and the port added two berths.")]
    assert [entry[1] for entry in json.loads(doc.paragraphs[0].place)] == [1, 2]


def test_two_columns_are_read_left_column_first(tmp_path):
    left = [line(f"Left column sentence {n} goes on", 100, 300 + 36 * n, 580) for n in range(4)]
    right = [line(f"Right column sentence {n} goes on", 660, 300 + 36 * n, 1140) for n in range(4)]
    page = [line("A full-width heading over both columns", 100, 200, 1140, height=40)] + right + left
    doc = load(tmp_path, "cols.png", png(page))
    text = " ".join(p.text for p in doc.paragraphs)
    assert text.index("Left column sentence 3") < text.index("Right column sentence 0")


def test_a_scanned_pdf_page_is_recognised_beside_the_text_layer_pages(tmp_path):
    from pypdf import PdfReader, PdfWriter

    scan = io.BytesIO()
    Image.new("L", (W, H), 255).save(scan, "PDF", resolution=150)
    writer = PdfWriter()
    for data in (text_pdf(["1. Overview", "The text layer page says the harbour opened in 1901."]), scan.getvalue()):
        writer.add_page(PdfReader(io.BytesIO(data)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    engine = FakeOcr(pages=[[line("2. Scanned annex", 150, 200, 500),
                             line("The scanned page says the new berth opened in 2024.", 150, 250, 1100)]])
    doc = load(tmp_path, "mixed.pdf", out.getvalue(), engine)
    assert engine.calls == 1  # only the page without a text layer
    found = {p.text.rpartition("Overview ")[2]: (p.section_path, p.place) for p in doc.paragraphs}
    assert found["The text layer page says the harbour opened in 1901."][1] == ""  # the text layer, as before
    path, place = found["The scanned page says the new berth opened in 2024."]
    assert path == ("2. Scanned annex",) and json.loads(place)[0][1] == 2


def test_a_scan_with_ocr_off_gets_one_line(tmp_path):
    (tmp_path / "a.png").write_bytes(png(PLAN))
    with pytest.raises(UnreadableFile) as caught:
        load_document(tmp_path / "a.png", tmp_path, 20.0)
    assert caught.value.message("en") == "a scan, but OCR is off (CITYQA_OCR=off)"
    assert make_ocr("off") is None


def test_the_real_engine_reads_a_rendered_chinese_and_english_page_with_word_spaces(tmp_path, monkeypatch):
    from PIL import ImageDraw, ImageFont
    from rapidocr.utils.download_file import DownloadFile

    def no_download(*args, **kwargs):
        raise AssertionError("the OCR engine tried to download a model")

    monkeypatch.setattr(DownloadFile, "run", no_download)  # the wheel's own models, named by path, or nothing

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 24)
    image = Image.new("RGB", (900, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "一、加快建设绿色金融改革创新试验区。", font=font, fill="black")
    draw.text((40, 110), "The cost of electricity was 178 pounds per MWh.", font=font, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    doc = load(tmp_path, "page.png", out.getvalue(), make_ocr("rapidocr"))
    assert doc.paragraphs[0].section_path == ("一、加快建设绿色金融改革创新试验区。",) or any(
        "加快建设绿色金融改革创新试验区" in p.text for p in doc.paragraphs)
    assert "The cost of electricity was 178 pounds per MWh." in " ".join(p.text for p in doc.paragraphs)


def test_a_blank_scan_that_reads_no_text_gets_one_line(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        load(tmp_path, "blank.png", png([]))
    assert caught.value.message("en") == "no extractable text (blank pages, or OCR read no text)"


def test_a_citation_of_recognised_text_carries_its_page_and_the_boxes_of_its_lines(tmp_path):
    from cityqa.answering.citations import make_citation
    from cityqa.corpus.documents import Document, chunk_document
    from cityqa.corpus.ocr_layout import quoted_boxes
    from cityqa.types import Hit, Passage

    paragraph = load(tmp_path, "plan.png", png(PLAN)).paragraphs[0]
    doc = Document("plan", "雁澜市行动规划", "zh", "plan.png", [paragraph])
    sentence = next(c for c in chunk_document(doc, 1200) if c.metadata["kind"] == "sentence")
    passage = Passage(sentence.id, sentence.text, sentence.metadata)
    citation = make_citation(1, Hit("plan#" + paragraph.paragraph_id, 1.0, {"zh": [passage]}), passage, "zh", {})
    second = [round(v, 4) for v in (150 / W, 306 / H, 330 / W, 330 / H)]
    assert citation.page == 1 and citation.boxes == [[1, *json.loads(paragraph.place)[0][2:6]], [1, *second]]
    assert quoted_boxes(paragraph.text, paragraph.place, ["余额800亿元。"]) == [[1, *second]]
    assert quoted_boxes(paragraph.text, paragraph.place, ["不在这里"]) == []


def test_recognised_chinese_lines_join_without_spaces_and_a_short_last_line_ends_a_paragraph(tmp_path):
    page = [line("一、发展目标", 150, 200, 300),
            line("到2027年绿色贷款余额突破2600亿元，比重由2024年的9.8%", 150, 250, 1000),
            line("提高到15%，全市新建充电桩两万个，覆盖所有街道和乡镇", 150, 286, 1000),
            line("（以下简称“两万计划”）。", 150, 322, 470),
            line("发布单位：雁澜市发展研究中心", 150, 358, 520),
            line("日期：2025年2月18日", 150, 394, 420)]
    doc = load(tmp_path, "plan.png", png(page))
    assert [p.text for p in doc.paragraphs] == [
        "到2027年绿色贷款余额突破2600亿元，比重由2024年的9.8%提高到15%，全市新建充电桩两万个，覆盖所有街道和乡镇"
        "（以下简称“两万计划”）。", "发布单位：雁澜市发展研究中心", "日期：2025年2月18日"]


def test_a_running_header_spaced_differently_by_ocr_on_each_page_is_still_dropped(tmp_path):
    pages = [[line(header, 150, 60, 800, height=20), line(f"{n}. Section", 150, 200, 400),
              line(f"Body text of page {n}.", 150, 250, 700)]
             for n, header in ((1, "Research Brief No. 7: Ports"), (2, "Research Brief No.7: Ports"),
                               (3, "Research Brief No. 7:Ports"))]
    frames = [Image.new("L", (W, H), 255) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    doc = load(tmp_path, "brief.tiff", out.getvalue(), FakeOcr(pages=pages))
    assert not any("Research Brief" in p.text for p in doc.paragraphs)


def test_a_cover_stating_its_date_on_a_later_line_dates_the_document():
    from cityqa.corpus.properties import byline

    cover = ["雁澜市行动规划", "作者：韩映秋", "发布单位：雁澜市发展研究中心", "刊载：《雁澜发展研究》",
             "日期：2025年2月18日", "到2027年全市新建充电桩两万个。"]  # a scan's cover: one line each, the date fifth
    assert byline(cover)["date"] == "2025-02-18"
