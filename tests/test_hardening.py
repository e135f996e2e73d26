"""Hardening round 3 (issue 24): bad front matter, files outside the corpus, encodings and BOMs, wordless questions."""
from __future__ import annotations

import pytest

from cityqa.corpus.frontmatter import BadFrontMatter, split_front_matter
from cityqa.testing import write_tiny_corpus
from test_reliability import cli

BAD_FRONT_MATTER = {"authors.md": ("authors: 5", "authors"), "date.md": ("date: 2023-02-30", "date"),
                    "yaml.md": ("title: Ferry: Plan", "line 2")}


@pytest.mark.parametrize("front, field, reason", [
    ("authors: 5", "authors", "valid list"), ("date: 2023-02-30", "date", "no such day"),
    ("title: [a, b]", "title", "valid string"), ("authors:\n  - [x]", "authors[0]", "mapping"),
    ("examples: 7", "examples", "valid list"), ("title: A: B", "line 2", "not valid")])
def test_r42_a_bad_front_matter_value_is_one_line_naming_the_field(front, field, reason):
    with pytest.raises(BadFrontMatter) as error:
        split_front_matter(f"---\n{front}\n---\n\nText.\n")
    assert field in error.value.en and reason in error.value.en and field.removeprefix("line ") in error.value.zh
    assert "\n" not in error.value.en + error.value.zh


def test_r42_good_front_matter_keeps_its_values_and_types():
    meta, _ = split_front_matter("---\ndoc_id: 12\ndate: 2023-03-20\nyear: 2023-02-30\nauthors: Su Ning\n"
                                 "title: The Plan\n---\n\nText.\n")
    assert meta["doc_id"] == "12" and str(meta["date"]) == "2023-03-20" and meta["year"] == "2023-02-30"
    assert meta["authors"] == [{"name": "Su Ning"}] and meta["title"] == "The Plan"


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_r42_one_bad_front_matter_file_is_skipped_and_the_rest_ingests(tmp_path):
    corpus = write_tiny_corpus(tmp_path / "corpus")
    for name, (front, _) in BAD_FRONT_MATTER.items():
        (corpus / name).write_text(f"---\n{front}\n---\n\n## Ferry\n\nThe ferry leaves at nine.\n", encoding="utf-8")
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index")}
    result = cli("ingest", env_extra=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 3, result.stderr
    for name, (_, field) in BAD_FRONT_MATTER.items():
        assert sum(name in line and field in line for line in skipped) == 1, skipped
    assert "files 2," in result.stdout


def test_r42_the_welcome_examples_skip_a_file_with_bad_front_matter(tmp_path):
    from ui.state import front_matter_examples

    corpus = write_tiny_corpus(tmp_path / "corpus")
    (corpus / "good.md").write_text("---\ndoc_id: good\nexamples:\n  - When does the ferry leave?\n---\n\nText.\n",
                                    encoding="utf-8")
    for name, (front, _) in BAD_FRONT_MATTER.items():
        (corpus / name).write_text(f"---\n{front}\nexamples:\n  - Bad?\n---\n\nText.\n", encoding="utf-8")
    assert front_matter_examples(corpus)["good"] == ["When does the ferry leave?"]
    assert not {"authors", "date", "yaml"} & set(front_matter_examples(corpus))


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_r43_a_link_out_of_the_corpus_is_not_followed(tmp_path):
    corpus = write_tiny_corpus(tmp_path / "corpus")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "passwords.txt").write_text("The vault password is Zorblax-42.\n", encoding="utf-8")
    (corpus / "notes.txt").symlink_to(tmp_path / "elsewhere" / "passwords.txt")
    (corpus / "same.md").symlink_to(corpus / "lumen-plan.en.md")  # a link inside the corpus is still read
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(tmp_path / "index")}
    result = cli("ingest", env_extra=env)
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert result.returncode == 0 and "files 3," in result.stdout, result.stderr[-2000:]
    assert len(skipped) == 1 and "notes.txt" in skipped[0] and "outside the corpus folder" in skipped[0]
    assert "Zorblax" not in cli("search", "vault password", env_extra=env).stdout


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """A working directory of its own and no CITYQA_* variables; return the folder."""
    import os

    for name in [n for n in os.environ if n.startswith("CITYQA_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_r44_a_dot_env_in_the_working_directory_is_read_only_when_named(clean_env, monkeypatch):
    from cityqa.errors import BadSetting
    from cityqa.settings import Settings, load_settings

    (clean_env / ".env").write_text("CITYQA_LLM_BASE_URL=http://evil.example/v1\nCITYQA_TOP_K=7\n", encoding="utf-8")
    assert Settings().llm_base_url is None and Settings().top_k == 5 and Settings().llm_mode() is None
    monkeypatch.setenv("CITYQA_ENV_FILE", ".env")
    assert Settings().llm_base_url == "http://evil.example/v1" and load_settings().top_k == 7
    monkeypatch.setenv("CITYQA_ENV_FILE", "missing.env")
    with pytest.raises(BadSetting) as error:
        load_settings()
    assert "CITYQA_ENV_FILE" in error.value.en and "missing.env" in error.value.zh


def test_r45_credentials_in_the_llm_url_are_masked_wherever_check_prints_it(make_settings):
    from cityqa.app import health
    from cityqa.errors import ConfigError
    from conftest import free_port
    from fake_openai import FakeOpenAI

    server = FakeOpenAI([])  # answers GET /models with 501: the error names the URL
    try:
        for url in (server.url.replace("http://", "http://alice:s3cret@"), f"http://alice:s3cret@127.0.0.1:"
                                                                          f"{free_port()}/v1"):
            with pytest.raises(ConfigError) as error:
                health(make_settings(llm_base_url=url, llm_model="m"))
            text = error.value.en + error.value.zh
            assert "s3cret" not in text and "alice" not in text and "http://***@127.0.0.1:" in error.value.en
    finally:
        server.close()


def test_r45_the_ok_line_of_check_masks_the_url_credentials(make_settings):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cityqa.app import health

    class Models(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"data": [{"id": "m"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Models)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://alice:s3cret@127.0.0.1:{server.server_port}/v1"
        lines = health(make_settings(llm_base_url=url, llm_model="m"))
        assert lines[-1].endswith("ok") and "http://***@127.0.0.1" in lines[-1] and "s3cret" not in " ".join(lines)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_r45_cityqa_check_never_prints_the_url_credentials(tmp_path):
    from conftest import free_port

    env = {"CITYQA_LLM_BASE_URL": f"http://alice:s3cret@127.0.0.1:{free_port()}/v1", "CITYQA_LLM_MODEL": "m",
           "CITYQA_INDEX_DIR": str(tmp_path / "index")}
    result = cli("check", env_extra=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "s3cret" not in result.stdout + result.stderr and "***@127.0.0.1" in result.stderr


def test_r46_a_bom_before_a_history_file_or_a_batch_line_is_accepted(tiny_qa, tmp_path):
    import json

    from cityqa.console import answer_line, read_history

    turns = [{"role": "user", "content": "What is the tidal park?"}, {"role": "assistant", "content": "A park."}]
    path = tmp_path / "history.json"
    path.write_bytes("\ufeff".encode() + json.dumps(turns).encode())
    assert read_history(path, "en") == turns
    asked = {"id": "a", "question": "What do the tidal parks protect Lumen from?"}
    line = "\ufeff".encode() + json.dumps(asked).encode()
    body, problem = answer_line(tiny_qa, 1, line, "en")
    assert problem == "" and body["id"] == "a" and body["citations"]


@pytest.mark.slow  # starts `python -m cityqa` processes
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_r47_an_ascii_or_latin1_stdout_prints_escapes_not_a_traceback(tmp_path, encoding):
    import json

    env = {"CITYQA_CORPUS_DIR": str(write_tiny_corpus(tmp_path / "corpus")), "CITYQA_INDEX_DIR": str(tmp_path / "i"),
           "PYTHONIOENCODING": encoding, "CITYQA_LANGUAGE": "zh"}
    ingest = cli("ingest", env_extra=env, encoding="latin-1")
    assert ingest.returncode == 0 and "Traceback" not in ingest.stderr and "\\u" in ingest.stdout, ingest.stderr
    answer = cli("ask", "潮汐公园保护卢门免受什么侵袭？", env_extra=env, encoding="latin-1")
    assert answer.returncode == 0 and "Traceback" not in answer.stderr, answer.stderr[-2000:]
    assert "\\u6f6e\\u6c50" in answer.stdout  # 潮汐, escaped
    body = cli("ask", "潮汐公园保护卢门免受什么侵袭？", "--json", env_extra=env, encoding="latin-1")
    assert body.returncode == 0 and "潮汐" in json.loads(body.stdout)["answer"]
    one = cli("ask", "", env_extra=env, encoding="latin-1")
    assert one.returncode == 2 and "Traceback" not in one.stderr and len(one.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_r48_a_utf16_or_utf32_text_with_a_bom_is_read_as_text(tmp_path, encoding):
    from cityqa.corpus.loaders import UnreadableFile, load_document

    text = "卢门港口规划\n\n夜间有轨电车每十分钟往返于港口和大学之间。\n"
    data = text.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + text.encode(encoding)
    (tmp_path / "plan.txt").write_bytes(data)
    doc = load_document(tmp_path / "plan.txt", tmp_path, 1)
    assert doc.title == "卢门港口规划" and doc.paragraphs[0].text == "夜间有轨电车每十分钟往返于港口和大学之间。"
    (tmp_path / "bin.txt").write_bytes("ab\x00cd".encode(encoding) * 10)
    with pytest.raises(UnreadableFile, match="binary"):
        load_document(tmp_path / "bin.txt", tmp_path, 1)


@pytest.mark.parametrize("question", ["🚀", "👍🏽👍🏽", "🇨🇳", "？？？", "...!!!", "“”《》", "😀 ?"])
def test_r49_a_wordless_question_is_refused_like_an_empty_one(tiny_qa, question):
    from cityqa.errors import BadInput
    from test_reliability import CountingSearch

    counter = CountingSearch(tiny_qa.search)
    tiny_qa.search = counter
    with pytest.raises(BadInput) as error:
        tiny_qa.ask(question)
    assert "please type a question" in error.value.en and "请输入一个问题" in error.value.zh and counter.calls == 0


def test_r49_a_question_with_words_beside_an_emoji_is_still_answered(tiny_qa):
    answer = tiny_qa.ask("What do the tidal parks 🌱 protect Lumen from?")
    assert not answer.refused and answer.citations


def test_r42_an_upload_with_a_bad_front_matter_value_is_refused_and_not_kept(tiny_qa, tiny_settings):
    upload = tiny_qa.upload([("bad.md", b"---\nauthors: 5\n---\n\n## Ferry\n\nThe ferry leaves at nine.\n"),
                             ("good.md", b"## Ferry\n\nThe night ferry leaves at nine.\n")])
    assert [name for name, _ in upload.added] == ["good.md"]
    assert [(name, "authors" in problem.en) for name, problem in upload.refused] == [("bad.md", True)]
    assert sorted(p.name for p in (tiny_settings.corpus_dir / "uploads").iterdir()) == ["good.md"]
