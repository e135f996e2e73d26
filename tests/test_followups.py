"""Follow-ups: read as the question rewritten with its subject, kept to the item before, no sentence said twice."""
from __future__ import annotations

import pytest

BRIEF = """---
doc_id: ferry-brief
title: The Ferry Brief
language: en
---

## Summary {#summary}

{#summary.1} Night ferries will leave the harbour every twenty minutes. The harbour gains two piers.

## 1. Ferries {#part1}

{#part1.1} Night ferries will leave the harbour every twenty minutes. Each ferry carries bicycles.
"""


def turn(question: str, answer) -> list[dict]:
    """One asked and answered turn, as the history the UI sends."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


@pytest.mark.parametrize("follow_up", ["How often does it run?", "Where does it go?", "Who tested it first?"])
def test_a_pronoun_follow_up_asks_of_the_item_before_and_says_so_in_its_own_words(tiny_qa, follow_up):
    first = tiny_qa.ask("What is part 2?")
    answer = tiny_qa.ask(follow_up, turn("What is part 2?", first))
    assert not answer.refused and answer.citations[0].paragraph_id == "part2.1", answer.answer
    assert answer.understood_as == f"{follow_up} (about section 2)"  # the question rewritten, not the one before


def test_a_chain_of_follow_ups_stays_in_the_item_it_started_from(tiny_qa):
    history = turn("What is part 3?", tiny_qa.ask("What is part 3?"))
    second = tiny_qa.ask("What do they lend?", history)
    third = tiny_qa.ask("Who returns them?", history + turn("What do they lend?", second))
    assert [c.paragraph_id for c in third.citations] == ["part3.1"] and "What is part 3" not in third.understood_as


def test_asking_for_another_language_is_understood_as_the_question_before(tiny_qa):
    answer = tiny_qa.ask("And in Chinese?", turn("What is part 2?", tiny_qa.ask("What is part 2?")))
    assert answer.understood_as == "What is part 2?" and answer.language == "zh"


def test_a_sentence_two_paragraphs_share_is_said_once(tiny_settings):
    from cityqa.app import build_qa

    (tiny_settings.corpus_dir / "ferry-brief.md").write_text(BRIEF, encoding="utf-8")
    answer = build_qa(tiny_settings).ask("What will night ferries leave every twenty minutes?")
    assert answer.answer.count("Night ferries will leave the harbour every twenty minutes.") == 1, answer.answer
    assert "  " not in answer.answer and not answer.answer.endswith(" ")


def test_and_x_in_the_other_language_after_an_item_asks_about_x_not_the_item_again(tiny_qa):
    answer = tiny_qa.ask("那潮汐公园呢？", turn("What is part 2?", tiny_qa.ask("What is part 2?")))
    assert "part2.1" not in {c.paragraph_id for c in answer.citations} and "夜间" not in answer.answer, answer.answer


def test_a_name_of_several_words_is_named_whole_in_the_understood_as_line():
    from cityqa.questions.conversation import read

    history = [{"role": "user", "content": "Does the Harbourside Cycling Plan mention Utrecht?"}]
    reading = read("Which other cities are cited?", history, [], ())
    assert reading.understood_as == "Which other cities are cited? (about Harbourside Cycling Plan, Utrecht)"


@pytest.mark.parametrize("question, subject", [
    ("And what about data trading?", "data trading"), ("What about the digital twin track?", "digital twin track"),
    ("And London?", "London"), ("How about Tokyo?", "Tokyo"), ("那数据交易呢？", "数据交易"),
])
def test_the_lead_in_of_an_elliptic_follow_up_is_not_part_of_its_subject(question, subject):
    from cityqa.questions.conversation import elliptic_subject

    assert elliptic_subject(question) == subject


@pytest.mark.parametrize("turns, understood, paragraph", [
    (["Which cities are examples of the art finance track?", "And what about data trading?"],
     "Which cities are examples of the data trading track?", "track14.1"),  # the handler reads the new subject
    (["What is track 7?", "What about the digital twin track?"], "What is the digital twin track?", "track11.1"),
    (["哪些城市在绿色金融方面做了探索？", "那艺术金融呢？", "那数据交易呢？"], "哪些城市在数据交易方面做了探索？",
     "track14.1"),
    (["What is the land allocation reform track?", "And London?"], "", "track02.1"),  # London next to that track
])
def test_a_follow_up_naming_its_own_subject_is_answered_about_it_not_the_item_before(e5_qa, turns, understood,
                                                                                     paragraph):
    history = []
    for question in turns[:-1]:
        history += turn(question, e5_qa.ask(question, history))
    answer = e5_qa.ask(turns[-1], history)
    assert understood in answer.understood_as and not answer.refused, answer.understood_as
    assert [c.paragraph_id for c in answer.citations][:1] == [paragraph], answer.answer
    assert all(c.paragraph_id == paragraph for c in answer.citations) or not understood, answer.answer


DATED = {"corvin-ferry.md": """---
title: The Corvin Ferry Plan
language: en
authors: [Ida Brenner]
date: 2025-03-09
---

# The Corvin Ferry Plan

The Corvin ferry fund receives 12 million euros each year from the port levy.
""", "marlow-tram.md": """---
title: The Marlow Tram Review
language: en
authors: [Oskar Lind]
date: 2024-11-02
---

# The Marlow Tram Review

The Marlow tram fund receives 30 million euros each year from the city budget.
"""}


@pytest.mark.parametrize("quoted, author", [("corvin-ferry", "Ida Brenner"), ("marlow-tram", "Oskar Lind")])
def test_who_wrote_it_after_an_answer_means_the_document_that_answer_quoted(tmp_path, quoted, author):
    from cityqa.app import build_qa
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DATED.items():
        (corpus / name).write_text(text, encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           embedding="fake-words", store="memory", language="en"))
    history = [{"role": "user", "content": "How much does the fund receive each year?"},
               {"role": "assistant", "content": "…", "sources": [quoted]}]
    answer = qa.ask("Who wrote it?", history)
    assert author in answer.answer and {c.paragraph_key.partition("#")[0] for c in answer.citations} == {quoted}


TRACKS = """---
title: The Lumen Tracks
language: en
---

# The Lumen Tracks

## Track 1: Night markets

Night markets open on the quay every Friday.

## Track 2: River buses

River buses stop at nine piers.
"""

SECTIONS = """---
title: The Corvin Ferry Plan
language: en
---

# The Corvin Ferry Plan

## 1. Funding

The Corvin ferry fund receives 12 million euros each year from the port levy.

## 2. Boats

Four electric ferries will enter service by 2027.
"""


def test_a_follow_up_names_the_item_with_the_noun_its_conversation_used(tmp_path):
    from cityqa.app import build_qa
    from cityqa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lumen-tracks.md").write_text(TRACKS, encoding="utf-8")
    (corpus / "corvin-ferry.md").write_text(SECTIONS, encoding="utf-8")
    qa = build_qa(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                           embedding="fake-words", store="memory", language="en"))
    assert "Track" in qa.extractive.labels()
    first = qa.ask("What does section 2 of the Corvin plan say?")
    answer = qa.ask("What about the second one?", turn("What does section 2 of the Corvin plan say?", first))
    assert answer.understood_as == "What about the second one? (about section 2)"
    track = qa.ask("What is track 1?")
    answer = qa.ask("What about the second one?", turn("What is track 1?", track))
    assert answer.understood_as.endswith("(about track 1)")  # the document's own noun for its items


def test_a_traditional_chinese_follow_up_is_understood_in_traditional_script_around_the_askers_words():
    from cityqa.questions.conversation import read

    about = read("還有哪些城市？", [{"role": "user", "content": "報告有沒有提到上海？"}], [], ())
    assert about.understood_as == "還有哪些城市？（關於上海）"
    after = read("還有哪些城市？", [{"role": "user", "content": "規劃有沒有提到綠色金融？"}], [], ())
    assert after.understood_as == "還有哪些城市？（接“規劃有沒有提到綠色金融？”）"


@pytest.mark.parametrize("follow_up", ["And how long is Metro Line 3?", "那谁写的呢？"])
def test_a_follow_up_that_asks_its_own_question_is_not_put_into_the_question_before(follow_up):
    from cityqa.questions.conversation import read
    from cityqa.questions.ellipsis import elliptic_subject

    reading = read(follow_up, [{"role": "user", "content": "Who issued the Qingchuan plan, and when?"}], [], ())
    assert elliptic_subject(follow_up) == ""
    assert reading.understood_as == "" or reading.understood_as.startswith(follow_up), reading.understood_as
