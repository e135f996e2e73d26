"""PDF and plain-text layouts become paragraphs and numbered sections; running headers and footers are dropped."""
from __future__ import annotations

import io

from cityqa.corpus.layout import pdf_blocks, text_blocks
from cityqa.corpus.loaders import load_document

HEADER = "Harbour Institute | Brief No. 3 | page {n}"


def brief_pdf(pages: list[list[str]], font: str = "Helvetica") -> bytes:
    """A PDF with a running header on every page, one text line per entry and a gap where an entry is ""."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    if font != "Helvetica":
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(font))
    for n, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, 800, HEADER.format(n=n))
        pdf.setFont(font, 11)
        y = 760
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 28 if not line else 15
        pdf.showPage()
    pdf.save()
    return out.getvalue()


PAGES = [
    ["1. Key findings", "", "The port handled 3.4 million TEU in 2024, 6% more than",
     "in 2023.", "", "Rail carried 34% of containers leaving the port, and the share of rail"],
    ["kept rising all year.", "", "2. Workforce", "", "Women make up 19% of the port workforce."],
]


def test_pdf_paragraphs_follow_the_layout_and_running_headers_are_dropped(tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(brief_pdf(PAGES))
    doc = load_document(path, tmp_path, 20)
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["The port handled 3.4 million TEU in 2024, 6% more than in 2023.",
                     "Rail carried 34% of containers leaving the port, and the share of rail kept rising all year.",
                     "Women make up 19% of the port workforce."]
    assert not any("Harbour Institute" in t for t in texts)
    assert [p.section_path for p in doc.paragraphs] == [("1. Key findings",)] * 2 + [("2. Workforce",)]


def test_chinese_pdf_lines_join_without_spaces_and_headings_number_sections(tmp_path):
    pages = [["一、总体目标", "", "到2029年，全市新建公园80个，", "绿道总长达到500公里。"],
             ["二、保障措施", "", "市财政每年安排专项资金5亿元。"]]
    path = tmp_path / "plan.pdf"
    path.write_bytes(brief_pdf(pages, font="STSong-Light"))
    doc = load_document(path, tmp_path, 20)
    assert [p.text for p in doc.paragraphs] == ["到2029年，全市新建公园80个，绿道总长达到500公里。",
                                                "市财政每年安排专项资金5亿元。"]
    assert [p.section_path for p in doc.paragraphs] == [("一、总体目标",), ("二、保障措施",)]
    assert doc.language == "zh"


def test_a_numbered_sentence_is_not_taken_for_a_heading():
    blocks = pdf_blocks(["1. The port grew fast, and so did rail.\n\nMore text follows here."])
    assert [b[2] for b in blocks] == [(), ()]


def test_text_files_read_numbered_headings_and_nested_items():
    text = ("雁栖市绿道规划\n\n一、总体目标\n到2029年建成绿道500公里。\n\n（一）滨江段\n滨江段长42公里。\n\n"
            "二、保障措施\n\n设立专项资金。")
    blocks = text_blocks(text)
    assert [(b[1], b[2]) for b in blocks] == [
        ("雁栖市绿道规划", ()), ("到2029年建成绿道500公里。", ("一、总体目标",)),
        ("滨江段长42公里。", ("一、总体目标", "（一）滨江段")), ("设立专项资金。", ("二、保障措施",))]
    assert all(text[start:].startswith(body.split("\n")[0]) for start, body, _ in blocks)


def test_a_title_line_is_the_documents_name_not_a_paragraph(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("鹤栖数据中心挂牌一周年\n\n本报讯 中心累计成交额达到18.6亿元。", encoding="utf-8")
    doc = load_document(path, tmp_path, 20)
    assert doc.title == "鹤栖数据中心挂牌一周年"
    assert [p.text for p in doc.paragraphs] == ["本报讯 中心累计成交额达到18.6亿元。"]


def titled_pdf(lines: list[str], title: str = "") -> bytes:
    """A one-page PDF of the given lines (a gap where an entry is ""), with a /Title property when given."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    if title:
        pdf.setTitle(title)
    pdf.setFont("Helvetica", 11)
    y = 760
    for line in lines:
        if line:
            pdf.drawString(72, y, line)
        y -= 28 if not line else 15
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_pdf_title_wrapped_over_lines_is_the_title_not_a_paragraph(tmp_path):
    body = ["", "Author: Mara Fenn", "", "Night ferries leave every twenty minutes."]
    for name, lines, title in [("wrapped.pdf", ["Harbour Night Brief", "2025", *body], "Harbour Night Brief 2025"),
                               ("unnamed.pdf", ["Harbour Night Brief", "2025", *body], ""),
                               ("gapped.pdf", ["Harbour Night", "", "Brief 2025", *body], "Harbour Night Brief 2025")]:
        (tmp_path / name).write_bytes(titled_pdf(lines, title))
        doc = load_document(tmp_path / name, tmp_path, 20)
        assert doc.title == "Harbour Night Brief 2025", name
        assert [p.text for p in doc.paragraphs] == ["Author: Mara Fenn", "Night ferries leave every twenty minutes."]


def test_a_bare_year_is_not_a_page_number_but_a_page_number_is():
    from cityqa.corpus.layout import is_page_number

    assert not is_page_number("2025") and not is_page_number("1998")
    assert all(is_page_number(line) for line in ("12", "- 3 -", "第 5 页", "Page 6", "7 / 40", "Page 1024"))
