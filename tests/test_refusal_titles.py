"""A refusal names what the corpus holds: every title it can, in the question's language where one exists."""
from __future__ import annotations

import pytest

from cityqa.app import build_qa
from cityqa.settings import Settings

BODY = "The ferry service runs every twenty minutes from the north pier. Tickets cost two pounds."


def qa_over(tmp_path, titles: list[str]):
    """The extractive QA on fakes over one short English document per title."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, title in enumerate(titles):
        (corpus / f"doc-{n}.md").write_text(f"---\ntitle: {title}\nlanguage: en\n---\n\n# {title}\n\n{BODY}\n",
                                            encoding="utf-8")
    return build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                             embedding="fake-words", store="memory", language="zh"))


@pytest.mark.parametrize("question, expected", [
    ("火星上有多少座火山？", "现有1份文档：《Harbour Ferry Review》。"),
    ("How many volcanoes are there on Mars?", "The corpus holds one document: “Harbour Ferry Review”."),
])
def test_a_refusal_in_a_one_document_index_names_its_title_whatever_its_language(tmp_path, question, expected):
    answer = qa_over(tmp_path, ["Harbour Ferry Review"]).ask(question)
    assert answer.refused and expected in answer.answer, answer.answer


def test_a_refusal_names_three_titles_and_counts_the_rest(tmp_path):
    titles = [f"Harbour Review {n}" for n in range(1, 6)]
    answer = qa_over(tmp_path, titles).ask("火星上有多少座火山？")
    assert answer.refused and "现有5份文档，包括" in answer.answer and answer.answer.endswith("》等。"), answer.answer
    assert sum(f"《{t}》" in answer.answer for t in titles) == 3
