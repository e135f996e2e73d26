"""Exports: Markdown that renders as the text itself, both reference styles and the notes, and the same in .docx."""
from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from markdown_it import MarkdownIt

from cityqa.export import conversation_docx, conversation_markdown, plain
from test_present import PHISH, REF, citation

WHEN = dt.datetime(2026, 11, 28, 9, 30)
PROSE = "I'm told (2023) that [1][2] cities — e.g. A.B. & C-D #1, x_y, 50% + 3! — say: “new tracks”."
TRICKY = ["*not italic* and _not either_", "`not code`", "<b>not bold</b> &amp; a \\* star", "[a]: dest",
          "one\n# not a heading\n- not a list\n2. not a list\n===", "~~not struck~~", "a | b\n--- | ---"]


def turns() -> list[dict]:
    answer = {"answer": PROSE + " [1][2]", "language": "en", "refused": False, "understood_as": "What is track 5?",
              "citations": [citation(1, PROSE), citation(2, "Second quote.")]}
    answer["citations"][1]["original"] = "第二句。"
    other = {"answer": "另一份文件。[1]", "language": "zh", "refused": False, "citations": [citation(1, "另一句。")]}
    other["citations"][0]["reference"] = {"zh": "作者乙. 另一题名[R]. 2024.", "en": "Author, B. (2024). Another."}
    return [{"role": "user", "content": "What about track 5?"}, {"role": "assistant", "answer": answer},
            {"role": "user", "content": "另一份呢？"}, {"role": "assistant", "answer": other}]


def rendered_text(markdown: str) -> str:
    """The text a CommonMark renderer (with GitHub's tables and strikethrough) shows for the Markdown."""
    out = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    assert re.sub(r"</?(p|br /)>", "", out).count("<") == 0, out  # no element made from the text
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


def test_prose_is_exported_without_escapes():
    assert plain(PROSE) == PROSE
    assert plain("《国际城市发展的新赛道与新维度》[N]. 社会科学报, 2023-03-20(2).").count("\\") == 0


@pytest.mark.parametrize("text", TRICKY)
def test_markup_in_document_text_renders_as_the_text_itself(text):
    assert rendered_text(plain(text)) == text


def test_the_markdown_export_neutralises_links_images_and_html_from_documents():
    answer = {"answer": PHISH, "language": "en", "refused": False, "citations": [citation(1, PHISH)]}
    markdown = conversation_markdown([{"role": "user", "content": "[x](http://evil.example/q)?"},
                                      {"role": "assistant", "answer": answer}], "en",
                                     [{"title": "Doc ![](http://evil.example/t.png)"}], WHEN)
    out = MarkdownIt("commonmark").render(markdown)
    assert "<a " not in out and "<img" not in out
    assert "<code>http://evil.example/phish)</code>" in out


def test_the_markdown_export_holds_notes_quotes_and_both_reference_styles_numbered_alike():
    markdown = conversation_markdown(turns(), "en", [{"title": "Doc"}], WHEN)
    assert "- Exported: 2026-11-28 09:30\n- Corpus: Doc" in markdown
    assert "*Understood as: What is track 5?*" in markdown
    assert f"**A:** {PROSE} [1][2]" in markdown and "## Q: 另一份呢？" in markdown
    assert f"> [1] “{PROSE}”  \n> — Part [ref. 1]" in markdown and "> Original: 第二句。" in markdown
    assert "> — Part [ref. 2]" in markdown
    apa, gbt = markdown.index("### APA 7th edition"), markdown.index("### GB/T 7714-2015")
    assert apa < gbt and markdown.index(f"[1] {REF['en']}") > apa and markdown.index(f"[1] {REF['zh']}") > gbt
    assert "[2] Author, B. (2024). Another." in markdown and "[2] 作者乙. 另一题名[R]. 2024." in markdown
    assert "\\" not in markdown  # nothing here needs an escape
    chinese = conversation_markdown(turns(), "zh", None, WHEN)
    assert chinese.index("### GB/T 7714-2015") < chinese.index("### APA 第 7 版格式")
    assert "*理解为：What is track 5?*" in chinese and "> ——Part〔文献 1〕" in chinese


def test_the_docx_export_holds_quotes_citation_numbers_both_reference_styles_and_notes():
    import docx

    document = docx.Document(io.BytesIO(conversation_docx(turns(), "en", [{"title": "Doc"}], WHEN)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [text for _, text in paragraphs]
    assert texts[:3] == ["cityqa conversation", "Exported: 2026-11-28 09:30", "Corpus: Doc"]
    assert ("Heading 2", "Q: What about track 5?") in paragraphs and ("Heading 2", "Q: 另一份呢？") in paragraphs
    assert "Understood as: What is track 5?" in texts and f"A: {PROSE} [1][2]" in texts
    assert ("Quote", f"[1] “{PROSE}”") in paragraphs and ("Quote", "— Part [ref. 1]") in paragraphs
    assert ("Quote", "Original: 第二句。") in paragraphs and ("Quote", "— Part [ref. 2]") in paragraphs
    apa, gbt = texts.index("APA 7th edition"), texts.index("GB/T 7714-2015")
    assert texts[apa + 1:apa + 3] == [f"[1] {REF['en']}", "[2] Author, B. (2024). Another."]
    assert texts[gbt + 1:gbt + 3] == [f"[1] {REF['zh']}", "[2] 作者乙. 另一题名[R]. 2024."]
    assert not any("\\" in text for text in texts)
    note = next(p for p in document.paragraphs if p.text.startswith("Understood as"))
    assert note.runs[0].italic


def test_every_sentence_quoted_from_one_paragraph_is_exported():
    answer = {"answer": "First. [1] Second. [1]", "language": "en", "refused": False,
              "citations": [citation(1, "First sentence.")]}
    answer["citations"][0]["quotes"] = ["First sentence.", "Second sentence."]
    conversation = [{"role": "user", "content": "What?"}, {"role": "assistant", "answer": answer}]
    markdown = conversation_markdown(conversation, "en", when=WHEN)
    assert "> [1] “First sentence.” “Second sentence.”" in markdown, markdown
    text = "\n".join(p.text for p in __import__("docx").Document(io.BytesIO(conversation_docx(
        conversation, "en", when=WHEN))).paragraphs)
    assert "Second sentence." in text


@pytest.mark.parametrize("language, question, answer, other", [("en", "Q: ", "A:", ("问：", "答：")),
                                                               ("zh", "问：", "答：", ("Q: ", "A:"))])
def test_the_question_and_answer_labels_follow_the_interface_language_in_both_formats(language, question, answer,
                                                                                      other):
    import docx

    markdown = conversation_markdown(turns(), language, None, WHEN)  # an English and a Chinese exchange
    assert f"## {question}What about track 5?" in markdown and f"## {question}另一份呢？" in markdown
    assert f"**{answer}** {PROSE}" in markdown and f"**{answer}** 另一份文件。" in markdown
    document = docx.Document(io.BytesIO(conversation_docx(turns(), language, None, WHEN)))
    texts = [p.text for p in document.paragraphs]
    assert f"{question}另一份呢？" in texts and f"{answer} 另一份文件。[1]" in texts
    assert not any(label in text for label in other for text in (markdown, *texts))


def test_a_quote_of_several_lines_stays_in_its_block_quote():
    answer = {"answer": "Author and date. [1]", "language": "en", "refused": False,
              "citations": [citation(1, "Author: Dr. Helen Park\nDate: 2026-09-02")]}
    conversation = [{"role": "user", "content": "Who wrote it?"}, {"role": "assistant", "answer": answer}]
    markdown = conversation_markdown(conversation, "en", when=WHEN)
    html_out = MarkdownIt("commonmark").render(markdown)
    quoted = "".join(re.findall(r"<blockquote>(.*?)</blockquote>", html_out, re.S))
    assert "Date: 2026-09-02" in quoted and "Helen Park" in quoted, markdown
    assert not any(line.startswith("Date:") for line in markdown.splitlines()), markdown
