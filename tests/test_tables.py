"""Tables in .docx, HTML and Markdown: each row a paragraph that reads on its own, in its section, cited and read."""
from __future__ import annotations

import io

import pytest

from cityqa.corpus.loaders import load_document
from cityqa.corpus.tables import row_paragraphs

DISTRICTS = [("区", "项目数", "投资（亿元）"), ("南湾街道", "38", "1.6"), ("北岭区", "52", "2.1"),
             ("东滩新区", "37", "1.1")]


def table_docx(rows, before: str = "北岭区新建慢行步道18.5公里。", after: str = "居民满意度为68%。",
               broken: bool = False) -> bytes:
    """A .docx: a heading, a paragraph, the table, a second heading and its paragraph (broken: a damaged grid)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("二、重点项目", level=1)
    document.add_paragraph(before)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if broken:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "two")
        table.rows[0].cells[0]._tc.get_or_add_tcPr().append(span)
    document.add_heading("三、下一步", level=1)
    document.add_paragraph(after)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def load(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return load_document(tmp_path / name, tmp_path, 20)


def test_each_docx_table_row_is_a_paragraph_of_the_section_it_stands_in(tmp_path):
    doc = load(tmp_path, "districts.docx", table_docx(DISTRICTS))
    assert [(p.text, p.section_path[-1]) for p in doc.paragraphs] == [
        ("北岭区新建慢行步道18.5公里。", "二、重点项目"), ("南湾街道：项目数 38，投资 1.6亿元", "二、重点项目"),
        ("北岭区：项目数 52，投资 2.1亿元", "二、重点项目"), ("东滩新区：项目数 37，投资 1.1亿元", "二、重点项目"),
        ("居民满意度为68%。", "三、下一步")]
    assert [p.start for p in doc.paragraphs] == sorted(p.start for p in doc.paragraphs)
    assert len({p.paragraph_id for p in doc.paragraphs}) == 5


def test_an_english_row_pairs_each_header_with_its_value():
    rows = [["District", "Projects", "Investment (million)", "Share (%)"], ["Northgate", "52", "2.1", "41"]]
    assert row_paragraphs(rows) == ["Northgate: Projects 52; Investment 2.1 million; Share 41%"]


@pytest.mark.parametrize("rows, paragraphs", [
    ([["项目数", "127"], ["总投资", "4.8亿元"]], ["项目数：127", "总投资：4.8亿元"]),  # key and value, no header
    ([["Notes"], ["Night ferries run hourly."], ["Trams run till 1 am."]], ["Notes", "Night ferries run hourly.",
                                                                          "Trams run till 1 am."]),  # one column
    ([["指标", "2023", "2024"], ["项目数", "94", "127"]], ["项目数：2023 94，2024 127"]),  # years name columns
    ([["Target", "Value", "Year"], ["Net zero", "-", "2040"]], ["Net zero: Year 2040"]),  # a dash states nothing
])
def test_tables_without_a_header_or_with_one_column_keep_every_cell(rows, paragraphs):
    assert row_paragraphs(rows) == paragraphs


def test_a_question_about_a_table_row_is_answered_from_it_and_the_reader_shows_the_row(tiny_qa):
    assert tiny_qa.upload([("districts.docx", table_docx(DISTRICTS))]).added
    answer = tiny_qa.ask("北岭区完成了多少个项目？投资多少亿元？")
    assert "52" in answer.answer and "2.1" in answer.answer, answer.answer
    assert [c.quote for c in answer.citations] == ["北岭区：项目数 52，投资 2.1亿元"]
    group = answer.citations[0].paragraph_key.partition("#")[0]
    shown = sorted((v[0].metadata["start"], v[0].text) for key, versions in tiny_qa.paragraphs().items()
                   if key.partition("#")[0] == group for v in versions.values())
    assert [text for _, text in shown][1:4] == ["南湾街道：项目数 38，投资 1.6亿元", "北岭区：项目数 52，投资 2.1亿元",
                                                "东滩新区：项目数 37，投资 1.1亿元"]


def test_a_table_that_cannot_be_read_is_one_line_in_the_ingest_report_and_the_rest_loads(tiny_qa):
    upload = tiny_qa.upload([("damaged.docx", table_docx(DISTRICTS, broken=True))])
    assert upload.added == [("damaged.docx", 2)]
    assert [(path.rsplit("/", 1)[-1], note.message("en")) for path, note in upload.report.notes] == [
        ("damaged.docx", "a table in the document could not be read; it was left out")]
    assert "表格无法读取" in upload.report.notes[0][1].message("zh")


HTML = """<html><body><h2>Districts</h2><p>Before the table.</p>
<table><thead><tr><th>District</th><th>Projects</th><th colspan="2">Investment</th></tr></thead>
<tbody><tr><th>Northgate</th><td>52</td><td>2.1</td><td>million</td></tr>
<tr><td>Eastbank</td><td>37</td><td>1.1</td><td></td></tr></tbody></table>
<h2>Layout</h2><table><tr><td><p>A paragraph laid out in a cell.</p></td><td><p>Another one beside it.</p></td></tr>
</table></body></html>"""


def test_an_html_table_reads_row_by_row_and_a_layout_table_by_its_paragraphs(tmp_path):
    doc = load(tmp_path, "page.html", HTML.encode())
    assert [(p.text, p.section_path) for p in doc.paragraphs] == [
        ("Before the table.", ("Districts",)), ("Northgate: Projects 52; Investment 2.1 million", ("Districts",)),
        ("Eastbank: Projects 37; Investment 1.1", ("Districts",)),
        ("A paragraph laid out in a cell.", ("Layout",)), ("Another one beside it.", ("Layout",))]


def test_a_markdown_pipe_table_reads_row_by_row_at_its_lines(tmp_path):
    raw = ("---\ntitle: Districts\n---\n## 2. Districts\n\nThe districts, by projects.\n\n"
           "| District | Projects | Investment (million) |\n|---|---:|---|\n| Northgate | 52 | 2.1 |\n"
           "| Eastbank \\| East | 37 | 1.1 |\n\nAfter the table.\n")
    doc = load(tmp_path, "districts.md", raw.encode())
    assert [p.text for p in doc.paragraphs] == [
        "The districts, by projects.", "Northgate: Projects 52; Investment 2.1 million",
        "Eastbank | East: Projects 37; Investment 1.1 million", "After the table."]
    assert raw[doc.paragraphs[1].start:].startswith("| Northgate") and \
        raw[doc.paragraphs[2].start:].startswith("| Eastbank")


@pytest.mark.slow  # starts a `python -m cityqa` process
def test_the_cli_ingest_names_a_table_it_could_not_read_in_one_line(tmp_path):
    from test_reliability import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "damaged.docx").write_bytes(table_docx(DISTRICTS, broken=True))
    result = cli("ingest", env_extra={"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index")})
    notes = [line for line in result.stderr.splitlines() if line.startswith("note")]
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(notes) == 1 and notes[0].endswith("damaged.docx: a table in the document could not be read; it was "
                                                 "left out"), result.stderr
    assert "files 1" in result.stdout


def test_an_html_table_without_header_cells_takes_a_first_row_that_names_columns(tmp_path):
    html = ("<html><head><title>Districts</title></head><body>"
            "<table><tr><td>District</td><td>Projects</td></tr><tr><td>Northgate</td><td>52</td></tr>"
            "</table><table><tr><td>Projects</td><td>127</td></tr><tr><td>Investment</td><td>4.8</td></tr></table>"
            "</body></html>")
    doc = load(tmp_path, "plain.html", html.encode())
    assert [p.text for p in doc.paragraphs] == ["Northgate: Projects 52", "Projects: 127", "Investment: 4.8"]
