"""A scan loads into the structure its text version has: title, bold headings, paragraphs, items, print marks."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from cityqa.corpus.documents import Document, Paragraph
from cityqa.corpus.loaders import load_document
from cityqa.corpus.ocr import OcrLine, lines_json, make_ocr
from cityqa.corpus.ocr_text import fixed_brackets, fixed_line
from cityqa.corpus.scans import Scanner
from cityqa.tools.scan_fidelity import compare
from test_ocr import line, load, png
from test_ocr_titles import SpacingOcr

FONTS = Path("/usr/share/fonts/opentype/noto")
OWN = Path(__file__).parent / "data" / "scans"  # documents written for these checks, not fixture documents


def printed_png(rows: list[tuple[str, bool, int]], size=(1240, 1754)) -> bytes:
    """A page printed with (text, bold, y) rows at body size, carrying each row's box for the fake engine."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    lines = []
    for text, bold, y in rows:
        face = ImageFont.truetype(str(FONTS / f"NotoSansCJK-{'Bold' if bold else 'Regular'}.ttc"), 22)
        draw.text((150, y), text, font=face, fill=20)
        lines.append(OcrLine(text, tuple(float(v) for v in draw.textbbox((150, y), text, font=face)), 0.99))
    info = PngInfo()
    info.add_text("ocr", lines_json(lines))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_bold_heading_set_as_large_as_the_body_text_heads_its_section(tmp_path):
    rows = [("Background", True, 150),
            ("The council collected 61,400 tonnes of household waste in 2025, and 43% of it was", False, 205),
            ("recycled or composted. The target for 2028 is 55%, set in the waste plan.", False, 240),
            ("What changes", True, 300),
            ("Recycling will be collected every week instead of every two weeks, and general", False, 355),
            ("waste every three weeks in a new 180-litre bin.", False, 390)]
    doc = load(tmp_path, "notice.png", printed_png(rows))
    assert [(p.section_path, p.text[:20]) for p in doc.paragraphs] == [
        (("Background",), "The council collecte"), (("What changes",), "Recycling will be co")]


def test_bold_words_inside_body_text_and_a_bold_sentence_stay_paragraphs(tmp_path):
    rows = [("人才方面，中心联合鹤汀理工大学开设“数据经纪人”培训班，全年共有860人通过考核。", False, 150),
            ("中心还设立了每年500万元的数据创新奖励资金。", False, 185),
            ("重要提示：逾期未申报的企业不再享受补贴。", True, 245),
            ("文化数据也成为新的交易品类，全年成交2100万元，买方主要是游戏公司。", False, 300)]
    doc = load(tmp_path, "notice.png", printed_png(rows))
    assert all(p.section_path == () for p in doc.paragraphs)
    assert [p.text for p in doc.paragraphs][-2] == "重要提示：逾期未申报的企业不再享受补贴。"


def test_a_short_last_line_in_a_taller_box_ends_its_paragraph_and_heads_nothing(tmp_path):
    full = "人才方面，中心联合鹤汀理工大学开设“数据经纪人”培训班，用于支持高校团队开发数据产"
    page = [line(full, 192, 778, 1092, 30), line("品。", 144, 845 - 34, 188, 38),  # "品。": 1.27 body lines tall
            line("文化数据也成为新的交易品类，全年成交2100万元。", 191, 903 - 40, 900, 30)]
    doc = load(tmp_path, "news.png", png(page))
    assert [(p.section_path, p.text) for p in doc.paragraphs] == [
        ((), full + "品。"), ((), "文化数据也成为新的交易品类，全年成交2100万元。")]


TITLE_ZH = ["澄湾市人民政府办公厅关于印发《澄湾市老旧小区改造、城市",
            "排水防涝设施建设与社区养老服务设施补短板三年攻坚行动实",
            "施方案(2026一2028年)》及《澄湾市城市更新专项资金管理", "办法》的通知"]


def test_a_title_of_over_80_characters_set_over_four_lines_with_its_own_leading_is_the_title(tmp_path):
    title = [line(text, 148, 160 + 54 * i, 1070 if i < 3 else 355, 35) for i, text in enumerate(TITLE_ZH)]  # gap 19
    text = ("各区人民政府，市政府各委、办、局：现将实施方案印发给你们，请认真贯彻执行。"
            "各区要于2026年3月底前报送年度项目清单。")
    rows = [(text[:38], 192, 420), (text[38:], 150, 455), ("一、总体要求", 150, 520)] + [
        ("到规划期末，全市完成老旧小区改造，惠及居民六万八千户，新建和改造雨水管网，消除易涝积水点", 150, 575 + 35 * i)
        for i in range(4)]
    body = [line(words, x0, y0, x0 + 22 * len(words), 30) for words, x0, y0 in rows]  # 22 px a character
    doc = load(tmp_path, "notice.png", png(title + body))
    assert doc.title == "".join(TITLE_ZH).replace("(", "（").replace(")", "）").replace("一2028", "—2028")
    assert len(doc.title) > 80
    assert doc.paragraphs[0].text == text and doc.paragraphs[1].section_path == ("一、总体要求",)


def test_a_long_english_title_keeps_a_name_the_engine_read_with_its_spaces(tmp_path):
    title = [line("Corran Bay Borough Council Notice of Changes to", 146, 157, 974, 44),
             line("Household Waste Collection, Garden Waste Permits and", 147, 212, 1080, 39),
             line("Bulky Item Charges from April 2026", 147, 266, 741, 40)]
    words = "Recycling will be collected every week instead of every two weeks from April."
    body = [line(words, 147, 400 + 35 * i, 1070, 30) for i in range(4)]
    doc = load(tmp_path, "notice.png", png(title + body), SpacingOcr())
    assert doc.title == ("Corran Bay Borough Council Notice of Changes to Household Waste Collection, Garden Waste "
                         "Permits and Bulky Item Charges from April 2026")


@pytest.mark.parametrize("read, printed", [
    ("(一)数据交易场所", "（一）数据交易场所"), ("行动规划(2025一2029年)", "行动规划（2025—2029年）"),
    ("a fee of £ 3.1 million (TEU)", "a fee of £3.1 million (TEU)"), ("挂牌一周年:累计", "挂牌一周年：累计"),
    ("增长1.5万个, up 3%", "增长1.5万个, up 3%"), ("第一季度完成十一项", "第一季度完成十一项")])
def test_print_marks_ocr_loses_are_restored_and_nothing_else_changes(read, printed):
    assert fixed_brackets(fixed_line(read)) == printed


def test_brackets_opened_on_one_line_and_closed_on_the_next_are_made_full_width(tmp_path):
    page = [line("(虚构新闻，仅供测试。文中的鹤汀市、机构、企业和人物", 206, 227, 1078, 30),
            line("均为虚构。)", 146, 262, 275, 30)]
    doc = load(tmp_path, "news.png", png(page))
    assert [p.text for p in doc.paragraphs] == ["（虚构新闻，仅供测试。文中的鹤汀市、机构、企业和人物均为虚构。）"]


def _doc(title: str, paragraphs: list[tuple[tuple[str, ...], str]]) -> Document:
    return Document("d", title, "en", "d.md", [Paragraph(f"p{i}", text, 0, len(text), "", path)
                                               for i, (path, text) in enumerate(paragraphs)])


def test_the_fidelity_count_says_what_a_scan_lost():
    text = _doc("Port brief", [(("1. Trade",), "Containers rose."), (("2. Jobs",), "Jobs fell.")])
    scan = _doc("port-brief", [((), "Containers rose."), (("2. Jobs",), "Jobs  fell.")])
    result = compare(text, scan)
    assert (result.title, result.headings, result.paragraphs, result.verbatim, result.items) == (
        False, (1, 2), (2, 2), (2, 2), (0, 2))
    assert compare(text, text).placed == (2, 2)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["chengwan-notice", "corran-notice"])
def test_a_rendered_scan_of_a_notice_with_bold_body_size_headings_loads_as_its_text_does(tmp_path, name):
    from cityqa.tools.render_scans import BODY, DPI, render

    text = load_document(OWN / f"{name}.md", OWN, 5.0)
    pages, _ = render(text, heading_px=BODY)  # headings bold, as large as the body text
    pdf = tmp_path / f"{name}.pdf"
    pages[0].save(pdf, "PDF", resolution=DPI, save_all=True, append_images=pages[1:], title=None)
    result = compare(text, load_document(pdf, tmp_path, 5.0, Scanner(make_ocr("rapidocr"))))
    assert result.title and result.byline[0] == result.byline[1], result.missed
    assert result.headings[0] == result.headings[1] and result.items[0] == result.items[1], result.missed
    assert result.paragraphs[0] == result.paragraphs[1], result.missed



def test_paragraphs_of_a_blurred_page_turned_by_a_degree_stay_apart(tmp_path):
    tan, lines, y = 0.0175, [], 150.0  # a scan turned by 1°: every box grows by its width × tan, and blur adds 8 px
    paragraphs = [["The council will build Metro Line C, an 18.2 km line with 14 stations from the",
                   "Brickyard Quarter to the airport; it opens in 2032 at a cost of £2.4 billion."],
                  ["Single bus fares will be capped at £1.50 across the city. In 2023, 41% of trips",
                   "were made on foot, by bicycle or by public transport, and the aim is 60% by 2035."],
                  ["A network of 120 km of protected cycle lanes will be completed by 2030, and every",
                   "school in the city will have a car-free school street at drop-off times each day."]]
    # each paragraph's last line runs (nearly) to the margin: only the space between paragraphs tells them apart
    for words in paragraphs:
        for text in words:
            width = 11.6 * len(text)
            x0, middle, height = 150 - y * tan, y + 15, 30 + width * tan + 8
            lines.append(OcrLine(text, (x0, middle - height / 2, x0 + width, middle + height / 2), 0.99))
            y += 35  # lines of a paragraph: 35 px apart
        y += 18  # paragraphs: 53 px apart
    doc = load(tmp_path, "scan.png", png(lines))
    assert [p.text for p in doc.paragraphs] == [" ".join(words) for words in paragraphs]
