"""A plain line saying where a text appeared ("Published in the X Review, Issue 14.") is its publication."""
from __future__ import annotations

import pytest

from cityqa.answering.references import format_references
from cityqa.corpus.carriers import carrier
from cityqa.corpus.loaders import load_document


@pytest.mark.parametrize("line, found", [
    ("Published in the Harbour Economic Review, Issue 14.", {"publication": "Harbour Economic Review", "issue": "14"}),
    ("This brief first appeared in Harbour Quarterly, Vol. 3, No. 2, pp. 14-19.",
     {"publication": "Harbour Quarterly", "volume": "3", "issue": "2", "page": "14-19"}),
    ("发表于《城市规划学刊》2025年第3期。", {"publication": "城市规划学刊", "issue": "3"}),
    ("本文原载《城市观察》2024年第3期", {"publication": "城市观察", "issue": "3"}),
    ("Published in: The Harbour Times, Issue 4", {"publication": "The Harbour Times", "issue": "4"}),
])
def test_a_line_naming_the_periodical_gives_its_name_and_numbers(line, found):
    assert carrier(line) == found


@pytest.mark.parametrize("sentence", [
    "The plan was published in 2024 after a long consultation.",
    "The report was published in the Harbour Times after a long debate.",
    "Published in the wake of the storm, the plan sets out three goals.",
    "Published in March 2024.", "Published in English and Chinese.", "Published in 2020 by the port office.",
    "发表于《人民日报》的文章指出，夜间经济增长迅速。",
])
def test_a_body_sentence_about_publishing_is_not_a_publication_line(sentence):
    assert carrier(sentence) == {}


NOTE = "Harbour Night Brief\n\nAuthor: Mara Fenn\n\nDate: 9 March 2025\n\n{opening}Night ferries leave every " \
       "twenty minutes.\n\nThe plan was published in 2024 after a long consultation.\n\n{closing}"


@pytest.mark.parametrize("opening, closing", [
    ("Published in the Harbour Economic Review, Issue 14.\n\n", ""),
    ("", "Published in the Harbour Economic Review, Issue 14.\n"),
])
def test_an_opening_or_closing_publication_line_makes_the_reference_a_periodicals(tmp_path, opening, closing):
    path = tmp_path / "brief.txt"
    path.write_text(NOTE.format(opening=opening, closing=closing), encoding="utf-8")
    doc = load_document(path, tmp_path, 20)
    assert (doc.meta["publication"], doc.meta["issue"]) == ("Harbour Economic Review", "14")
    refs = format_references(doc.citation_meta)
    assert refs["en"] == "Fenn, M. (2025). Harbour Night Brief. Harbour Economic Review, (14)."
    assert refs["zh"] == "FENN M. Harbour Night Brief[J]. Harbour Economic Review, 2025(14)."


def test_a_sentence_about_publishing_leaves_the_document_unpublished(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(NOTE.format(opening="", closing=""), encoding="utf-8")
    doc = load_document(path, tmp_path, 20)
    assert "publication" not in doc.meta
    assert "[Unpublished document]" in format_references(doc.citation_meta)["en"]


def test_when_and_in_which_publication_is_answered_from_the_line(tiny_qa):
    text = NOTE.format(opening="Published in the Harbour Economic Review, Issue 14.\n\n", closing="")
    assert tiny_qa.upload([("harbour-brief.txt", text.encode())]).added
    answer = tiny_qa.ask("When and in which publication was the Harbour Night Brief published?")
    assert "2025-03-09" in answer.answer and "Harbour Economic Review" in answer.answer, answer.answer
    assert "do not say" not in answer.answer, answer.answer
