"""A person asked for by a role the document's authors hold is named first, then cited, not the whole note quoted."""
from __future__ import annotations

import pytest

DIGEST = """---
doc_id: harbour-digest
title: The Harbour Digest
language: en
authors:
  - name: Mara Fenn
    role: Deputy editor of the Harbour Digest; reporter, harbour desk
  - name: Olu Baker
    role: Editor of the Harbour Digest; columnist
---

## 1. Ferries {#part1}

{#part1.1} Night ferries will leave the harbour every twenty minutes.

## Note {#note}

{#note.1} (The authors are Mara Fenn, deputy editor of the Harbour Digest and reporter on the harbour desk, \
and Olu Baker, editor of the Harbour Digest and columnist.)
"""


@pytest.fixture
def digest_qa(tiny_qa):
    """The tiny corpus with an uploaded digest whose authors hold named roles."""
    assert tiny_qa.upload([("harbour-digest.md", DIGEST.encode())]).added
    return tiny_qa


@pytest.mark.parametrize("question, name, role", [
    ("Who is the editor of the Harbour Digest?", "Olu Baker", "editor of the Harbour Digest"),
    ("Who is the deputy editor?", "Mara Fenn", "deputy editor of the Harbour Digest"),
])
def test_who_holds_a_role_is_answered_with_the_name_first_then_cited(digest_qa, question, name, role):
    answer = digest_qa.ask(question)
    assert answer.answer.startswith(f"{name} is the {role}."), answer.answer
    assert "The authors are" not in answer.answer and answer.citations[0].paragraph_id == "note.1", answer.answer


def test_a_role_no_author_holds_is_not_answered_from_the_author_note(digest_qa):
    answer = digest_qa.ask("Who is the harbour master?")
    assert not answer.answer.startswith(("Mara Fenn", "Olu Baker")), answer.answer


@pytest.mark.parametrize("question, lead", [
    ("谁是《国际城市蓝皮书（2023）》的主编？", "屠启宇是《国际城市蓝皮书（2023）》主编。"),
    ("Who is the editor-in-chief of the International City Blue Book?", "Tu Qiyu is the editor-in-chief"),
])
def test_the_corpus_names_its_editor_in_chief_before_citing_the_author_note(e5_qa, question, lead):
    answer = e5_qa.ask(question)
    assert answer.answer.startswith(lead) and [c.paragraph_id for c in answer.citations] == ["note.1"], answer.answer
