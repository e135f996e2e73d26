"""Bounded work (issue 24, R59–R62): paragraphs, history turns, questions and folders cost what is read, no more."""
from __future__ import annotations

import random

import pytest

from cityqa.corpus import documents
from cityqa.corpus.documents import EMBED_CHARS, chunk_document, parse_markdown
from cityqa.errors import CityQAError
from cityqa.i18n import t
from cityqa.index.ingest import ingest
from cityqa.questions import conversation
from cityqa.questions.conversation import READ_CHARS, TURN_CHARS
from cityqa.testing import WordEmbeddings
from test_hardening2 import start_app  # noqa: F401  (the AppTest fixture)

WORDS = "harbour ferry tram line station district budget plan river bridge".split()


def long_paragraph(chars: int, stops: bool) -> str:
    """One paragraph of chars characters: sentences when stops, else words without a sentence end."""
    rng = random.Random(3)
    words = [rng.choice(WORDS) + ("." if stops and i % 12 == 11 else "") for i in range(chars // 5)]
    return " ".join(words)[:chars]


class RecordingEmbeddings(WordEmbeddings):
    """The word embedder, keeping every text it is handed."""

    def __init__(self):
        self.seen: list[str] = []

    def embed_documents(self, texts):
        self.seen += texts
        return super().embed_documents(texts)


@pytest.mark.parametrize("stops", [False, True], ids=["no sentence end", "sentences"])
def test_r59_a_long_paragraph_is_cut_before_embedding(tiny_settings, stops):
    text = long_paragraph(348_000, stops)
    (tiny_settings.corpus_dir / "long.md").write_text(f"# Long\n\n{text}\n", encoding="utf-8")
    embeddings = RecordingEmbeddings()
    ingest(tiny_settings, embeddings)
    assert embeddings.seen and max(map(len, embeddings.seen)) <= tiny_settings.chunk_chars + 10
    assert max(map(len, embeddings.seen)) <= EMBED_CHARS


def test_r59_a_document_derives_its_summary_once_not_once_per_chunk(monkeypatch):
    calls = []
    real = documents.derived_summary
    monkeypatch.setattr(documents, "derived_summary", lambda paragraphs: calls.append(1) or real(paragraphs))
    meta, title, paragraphs = parse_markdown("# Long\n\n" + long_paragraph(50_000, True) + "\n")
    doc = documents.Document(doc_id="long", title="Long", language="en", source="long.md", paragraphs=paragraphs)
    assert len(chunk_document(doc, 1200)) > 100 and len(calls) == 1


def test_r60_history_turns_are_cut_to_what_is_read_before_any_work(tiny_qa, monkeypatch):
    seen = []
    real = conversation.clean_question
    monkeypatch.setattr(conversation, "clean_question", lambda text: seen.append(len(text)) or real(text))
    history = [{"role": "user", "content": "When will the night trams run? " * 100_000},
               {"role": "assistant", "content": "x" * 3_000_000}]
    answer = tiny_qa.ask("And how often?", history)
    assert seen and max(seen) <= TURN_CHARS and answer.question == "And how often?"


def test_r60_only_the_turns_read_are_kept():
    history = [{"role": "user", "content": f"q{i}"} for i in range(1000)] + ["not a turn", {"role": "user"}]
    kept = conversation.bounded_history(history, 6)
    assert len(kept) == 11 and kept[-1] == {"role": "user", "content": ""}
    assert conversation.bounded_history(history, 0) == [] and conversation.bounded_history("text", 6) == []


def test_r61_a_long_question_is_cut_before_segmentation_with_a_note(tiny_qa):
    rng = random.Random(11)
    question = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(2000))
    reading, retrieval = tiny_qa.read(question)
    assert len(retrieval.question) == READ_CHARS and len(reading.question) == READ_CHARS
    answer = tiny_qa.ask(question)
    assert "question_cut" in answer.flags and answer.question == question
    assert "question_cut" not in tiny_qa.ask("How often will night trams run?").flags
    assert str(READ_CHARS) in t("flag_question_cut", "zh", n=READ_CHARS) and "\n" not in t(
        "flag_question_cut", "en", n=READ_CHARS)


def test_r62_a_folder_over_the_file_limit_is_refused_before_reading_anything(tiny_settings):
    many = tiny_settings.corpus_dir / "many"
    many.mkdir()
    for i in range(30):
        (many / f"{i}.txt").write_text(f"Note {i}.", encoding="utf-8")
    settings = tiny_settings.model_copy(update={"max_files": 20})
    with pytest.raises(CityQAError) as error:
        ingest(settings, WordEmbeddings())
    assert "CITYQA_MAX_FILES" in error.value.en and "CITYQA_MAX_FILES" in error.value.zh
    assert "\n" not in error.value.en and not settings.index_dir.joinpath("versions").exists()
    assert sorted(p.name for p in settings.index_dir.iterdir()) == [".ingest.lock"]
    assert ingest(tiny_settings, WordEmbeddings()).files == 32  # under the default limit all are read


def deep_folder(root, depth: int = 22, width: int = 200):
    """Folders nested past PATH_MAX under root (made through directory descriptors), a note at the bottom."""
    import os

    fd = os.open(root, os.O_RDONLY)
    for level in range(depth):
        name = f"{level:02d}" + "d" * (width - 2)
        os.mkdir(name, dir_fd=fd)
        inner = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    note = os.open("deep.txt", os.O_CREAT | os.O_WRONLY, dir_fd=fd)
    os.write(note, b"The deep note says the ferry leaves at noon.")
    os.close(note)
    os.close(fd)


def test_r63_a_path_past_path_max_is_skipped_in_one_line_and_the_rest_ingests(tiny_settings):
    deep_folder(tiny_settings.corpus_dir)
    report = ingest(tiny_settings, WordEmbeddings())
    assert report.files == 2 and report.published
    [(path, problem)] = report.problems
    assert "00ddd" in path and len(path) < 250 and "path too long" in problem.en and "路径过长" in problem.zh


def test_r63_a_name_over_255_bytes_given_to_ingest_is_one_line(tiny_settings):
    name = tiny_settings.corpus_dir / ("长" * 90 + ".md")  # 270 bytes in UTF-8
    report = ingest(tiny_settings, WordEmbeddings(), [tiny_settings.corpus_dir, name])
    assert report.files == 2 and [p.en for _, p in report.problems] == [
        "path too long (over 4096 bytes, or a name over 255 bytes); not read"]


@pytest.mark.slow  # starts `python -m cityqa`
def test_r63_cityqa_ingest_names_the_over_long_path_and_exits_0(tmp_path):
    from cityqa.testing import write_tiny_corpus
    from test_reliability import cli

    corpus = write_tiny_corpus(tmp_path / "corpus")
    deep_folder(corpus)
    result = cli("ingest", env_extra={"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "i"),
                                      "CITYQA_EMBEDDING": "fake-words", "CITYQA_STORE": "memory"})
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-800:]
    assert len(skipped) == 1 and "path too long" in skipped[0] and "files 2" in result.stdout


def test_r61_the_chat_says_in_one_line_that_a_long_question_was_cut(start_app):  # noqa: F811
    at = start_app()
    at.chat_input[0].set_value("When will the night trams run? " + "x" * 900).run()
    notes = [c.value for c in at.caption if "characters were read" in c.value]
    assert not at.exception and len(notes) == 1 and str(READ_CHARS) in notes[0]
