"""A scan's title and cover as the text version has them: header repeats dropped, wrapped titles whole, spaces."""
from __future__ import annotations

from cityqa.testing import FakeOcr
from test_ocr import line, load, png

BODY = [line("This strategy sets out what the council will deliver between 2025 and 2035 across", 150, 400, 1070, 29),
        line("seven areas. It replaces the previous plan, which ran from 2015 to 2024, in full.", 150, 435, 1060, 29),
        line("1. Housing", 150, 500, 290, 33),
        line("The city will build 48,000 new homes by 2035, and at least 35% of them will be", 150, 550, 1070, 29),
        line("affordable homes, most of them on land the council already owns near the river.", 150, 585, 1050, 29)]


class SpacingOcr(FakeOcr):
    """The fake engine, declared to keep English word spaces as PP-OCRv6 does."""

    spaces_words = True


def test_a_header_line_repeating_the_title_on_a_one_page_scan_is_not_a_paragraph(tmp_path):
    page = [line("鹤汀数据交易中心挂牌一周年:累计成交额", 150, 74, 585, 23),  # the running header, cut short
            line("鹤汀数据交易中心挂牌一周年：累计成交额突破18亿元", 148, 156, 975, 41)]
    first = "本报讯 2024年11月12日，鹤汀数据交易中心迎来挂牌运营一周年。中心当天发布的年度运营报告"
    body = [line(first, 193, 317, 1091), line("显示，过去一年累计成交额达到18.6亿元。", 149, 352, 600)]
    doc = load(tmp_path, "news.png", png(page + body))
    assert doc.title == "鹤汀数据交易中心挂牌一周年：累计成交额突破18亿元"
    assert [p.text for p in doc.paragraphs] == [first + "显示，过去一年累计成交额达到18.6亿元。"]


def test_a_title_wrapped_onto_a_line_without_ascenders_or_descenders_stays_whole_with_its_word_spaces(tmp_path):
    title = [line("Velmora 2035: City Strategy for Homes, Movement and", 146, 158, 1063, 39),
             line("GreenGrowth", 148, 214, 384, 33)]  # in large type, but only 1.1 body lines tall
    doc = load(tmp_path, "strategy.png", png(title + BODY), SpacingOcr())
    assert doc.title == "Velmora 2035: City Strategy for Homes, Movement and Green Growth"
    assert doc.paragraphs[0].text.startswith("This strategy sets out")


def test_english_glued_inside_a_chinese_line_is_spaced_and_english_body_lines_are_left_as_read(tmp_path):
    page = [line("雁澜市行动规划", 150, 120, 500, 40),
            line("虚构文本，仅供测试/Fictionaltextfortestingonly。本规划中的雁澜市及其城区均为虚构。", 150, 250, 1000),
            line("The Brickyard Quarter reopens.", 150, 330, 600)]
    texts = [p.text for p in load(tmp_path, "plan.png", png(page), SpacingOcr()).paragraphs]
    assert texts == ["虚构文本，仅供测试/Fictional text for testing only。本规划中的雁澜市及其城区均为虚构。",
                     "The Brickyard Quarter reopens."]
