"""Hardening round 3, continued (issue 24): document identity, faults, settings, inert widgets."""
from __future__ import annotations

import re

import pytest

FORGED = "---\n{front}\n---\n\n## 2. Night trams {{#part2}}\n\n{{#part2.1}} Night trams will run to Phishtown.\n"


def texts_of(qa, key: str) -> str:
    """Every text the index holds under one paragraph key, all languages."""
    return " ".join(p.text for passages in qa.paragraph(key).values() for p in passages)


@pytest.mark.parametrize("front, field", [
    ("doc_id: lumen-plan.en\ntranslation_of: lumen-plan\nlanguage: en", "doc_id lumen-plan.en"),
    ("doc_id: lumen-plan\nlanguage: fr", "doc_id lumen-plan"),
    ("doc_id: forged.en\ntranslation_of: lumen-plan\nlanguage: en", "translation_of: lumen-plan"),
    ("doc_id: forged.fr\ntranslation_of: lumen-plan\nlanguage: fr", "translation_of: lumen-plan")])
def test_r50_an_upload_cannot_take_a_corpus_documents_id_or_work(tiny_qa, front, field):
    before = tiny_qa.documents()
    upload = tiny_qa.upload([("forged.md", FORGED.format(front=front).encode())])
    assert upload.added == [] and [name for name, _ in upload.refused] == ["forged.md"]
    problem = upload.refused[0][1]
    assert field in problem.en and field.split()[-1] in problem.zh and "\n" not in problem.en + problem.zh
    assert not (tiny_qa.settings.corpus_dir / "uploads" / "forged.md").exists()
    assert tiny_qa.documents() == before and "Phishtown" not in texts_of(tiny_qa, "lumen-plan#part2.1")
    assert "Phishtown" not in tiny_qa.ask("How often will night trams run?").answer


def test_r50_an_upload_reusing_paragraph_ids_is_a_document_of_its_own(tiny_qa):
    upload = tiny_qa.upload([("forged.md", FORGED.format(front="doc_id: forged\nlanguage: en").encode())])
    assert upload.added == [("forged.md", 1)]
    rows = {d["doc_id"]: d["source"] for d in tiny_qa.documents()}
    assert rows["forged"] == "uploads/forged.md" and rows["lumen-plan.en"] == "lumen-plan.en.md"
    assert "Phishtown" not in texts_of(tiny_qa, "lumen-plan#part2.1")
    assert "Phishtown" in texts_of(tiny_qa, "forged#part2.1")


def test_r50_uploads_may_still_bring_their_own_translation(tiny_qa):
    zh = "---\ndoc_id: port\nlanguage: zh\n---\n\n## 渡轮 {#ferry}\n\n{#ferry.1} 渡轮九点开。\n"
    en = "---\ndoc_id: port.en\ntranslation_of: port\nlanguage: en\n---\n\n## Ferry {#ferry}\n\n" \
         "{#ferry.1} The ferry leaves at nine.\n"
    upload = tiny_qa.upload([("port.en.md", en.encode()), ("port.zh.md", zh.encode())])
    assert sorted(name for name, _ in upload.added) == ["port.en.md", "port.zh.md"] and not upload.refused
    assert set(tiny_qa.paragraph("port#ferry.1")) == {"zh", "en"}


def test_r50_the_corpus_keeps_one_owner_per_doc_id_on_a_rebuild(tiny_qa):
    copy = tiny_qa.settings.corpus_dir / "zz-copy.md"
    copy.write_text(FORGED.format(front="doc_id: lumen-plan.en\nlanguage: en"), encoding="utf-8")
    report = tiny_qa.rebuild()
    assert [(path.rsplit("/", 1)[-1], "lumen-plan.en.md" in p.en) for path, p in report.problems] == [
        ("zz-copy.md", True)]
    assert [d["source"] for d in tiny_qa.documents() if d["doc_id"] == "lumen-plan.en"] == ["lumen-plan.en.md"]


def test_r51_an_upload_of_a_taken_name_is_kept_beside_the_earlier_one(tiny_qa):
    uploads = tiny_qa.settings.corpus_dir / "uploads"
    first, second = b"## Ferry\n\nThe ferry leaves at nine.\n", b"## Ferry\n\nThe ferry leaves at ten.\n"
    assert tiny_qa.upload([("port.md", first)]).added == [("port.md", 1)]
    assert tiny_qa.upload([("port.md", second)]).added == [("port-2.md", 1)]
    assert (uploads / "port.md").read_bytes() == first and (uploads / "port-2.md").read_bytes() == second
    assert {"uploads-port", "uploads-port-2"} <= {d["doc_id"] for d in tiny_qa.documents()}
    again = tiny_qa.upload([("port.md", second)])
    assert again.added == [] and "already uploaded: uploads/port-2.md" in again.refused[0][1].en
    assert sorted(p.name for p in uploads.iterdir()) == ["port-2.md", "port.md"]


def test_r51_a_refused_upload_of_a_taken_name_leaves_the_earlier_file(tiny_qa):
    uploads = tiny_qa.settings.corpus_dir / "uploads"
    tiny_qa.upload([("port.md", b"## Ferry\n\nThe ferry leaves at nine.\n")])
    upload = tiny_qa.upload([("port.md", b"---\ndoc_id: lumen-plan\n---\n\nForged.\n")])
    assert upload.added == [] and sorted(p.name for p in uploads.iterdir()) == ["port.md"]


def test_r52_remove_takes_out_exactly_the_document_docs_shows(tiny_qa):
    corpus = tiny_qa.settings.corpus_dir
    (corpus / "zz-copy.md").write_text(FORGED.format(front="doc_id: lumen-plan.en\nlanguage: en"), encoding="utf-8")
    tiny_qa.rebuild()
    shown = [d for d in tiny_qa.documents() if d["doc_id"] == "lumen-plan.en"]
    report = tiny_qa.remove("lumen-plan.en")
    assert report.removed and not (corpus / shown[0]["source"]).exists()
    assert (corpus / ".removed" / shown[0]["source"]).exists() and (corpus / "zz-copy.md").exists()
    assert "lumen-plan.en" not in {d["doc_id"] for d in tiny_qa.documents()}


def read_only_mount_works() -> bool:
    """Tell whether this machine lets a process see a folder through a read-only bind mount of its own."""
    import shutil
    import subprocess

    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"
                            " && ! touch /tmp/.cityqa-probe"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_r53_a_read_only_index_folder_still_answers_and_refuses_writes_in_one_line(tmp_path):
    """A read-only mount (chmod binds no root) of a built index: ask and search answer, ingest is one line."""
    import os
    import subprocess
    import sys

    from cityqa.testing import write_tiny_corpus
    from test_reliability import cli

    if not read_only_mount_works():
        pytest.skip("no user namespaces here to mount a folder read-only")
    corpus, index = write_tiny_corpus(tmp_path / "corpus"), tmp_path / "index"
    env = {"CITYQA_CORPUS_DIR": str(corpus), "CITYQA_INDEX_DIR": str(index), "CITYQA_EMBEDDING": "fake-words"}
    assert cli("ingest", env_extra=env).returncode == 0
    before = sorted((p.relative_to(index), p.stat().st_mtime_ns) for p in index.rglob("*"))
    mount = f"mount --bind {index} {index} && mount -o remount,ro,bind {index} && "
    python = f"{sys.executable} -m cityqa"
    upload = ("from cityqa.app import build_qa; from cityqa.errors import CityQAError\n"
              "try: build_qa().upload([('n.md', b'## Ferry\\n\\nThe ferry leaves at nine.\\n')])\n"
              "except CityQAError as exc: print('REFUSED:', exc.en)")
    script = mount + (f"{python} ask 'What do the tidal parks protect Lumen from?'; echo rc=$?; {python} ingest; "
                      f"echo rc=$?; {sys.executable} -c \"{upload}\"")
    full = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {"CITYQA_EMBEDDING": "fake"} | env
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=full,
                            timeout=300)
    assert "Traceback" not in result.stderr and "readonly database" not in result.stdout + result.stderr
    assert "storm surges" in result.stdout and "rc=0" in result.stdout, result.stdout + result.stderr
    assert "rc=1" in result.stdout and "Read-only file system" in result.stderr, result.stderr
    assert "REFUSED: cannot write the index folder" in result.stdout, result.stdout + result.stderr  # the UI's line
    assert not (corpus / "uploads" / "n.md").exists()
    assert sorted((p.relative_to(index), p.stat().st_mtime_ns) for p in index.rglob("*")) == before


def test_r53_a_copy_of_a_read_only_index_refuses_to_publish(make_settings):
    """What a copy of a read-only folder would publish is lost: it says so in one line and the folder is unchanged."""
    import chromadb

    from cityqa.errors import StoreUnavailable
    from cityqa.index.ingest import ingest
    from cityqa.index.readonly import private_copy
    from cityqa.index.store import Store
    from cityqa.testing import FakeEmbeddings, write_tiny_corpus

    settings = make_settings(corpus_dir=write_tiny_corpus(make_settings().corpus_dir))
    ingest(settings, FakeEmbeddings())
    store = Store(chromadb.PersistentClient(path=str(private_copy(settings.index_dir))))
    assert store.info().chunks > 0
    with pytest.raises(StoreUnavailable) as error:
        store.publish(["a"], ["text"], [{"source": "a.md"}], [[0.0] * 64], "fake-64", 64)
    assert str(settings.index_dir) in error.value.en and "只读" in error.value.zh and "can be queried" in error.value.en


def test_r54_feedback_that_cannot_be_written_is_one_line_and_kept_in_the_log(tmp_path, caplog):
    import logging

    from cityqa.errors import CityQAError
    from cityqa.feedback import record_feedback

    (tmp_path / "data").write_text("a file where the folder should be", encoding="utf-8")
    answer = {"question": "What is track 7?", "language": "en", "answer": "A.", "refused": False,
              "mode": "extractive", "citations": []}
    with caplog.at_level(logging.WARNING, logger="cityqa.feedback"), pytest.raises(CityQAError) as error:
        record_feedback(tmp_path / "data" / "feedback.jsonl", "s1", "down", "lost?", answer, {})
    assert "not saved" in error.value.en and "未能保存" in error.value.zh and "\n" not in error.value.en
    assert any('"comment": "lost?"' in r.getMessage() for r in caplog.records)  # recoverable from the log


@pytest.fixture
def start_app(tiny_settings, monkeypatch):
    """Start the Streamlit app (AppTest) over the tiny corpus with the fakes; return the function that does."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cityqa.settings import PROJECT_ROOT

    for name, value in {"CITYQA_CORPUS_DIR": tiny_settings.corpus_dir, "CITYQA_INDEX_DIR": tiny_settings.index_dir,
                        "CITYQA_DATA_DIR": tiny_settings.data_dir, "CITYQA_EMBEDDING": "fake-words",
                        "CITYQA_STORE": "memory"}.items():
        monkeypatch.setenv(name, str(value))

    def start() -> AppTest:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception
        return at
    yield start
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def tiny_app(start_app, tiny_settings):
    """The app over the tiny corpus, its data folder unwritable (a file stands where the folder should be)."""
    data = tiny_settings.data_dir
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("not a folder", encoding="utf-8")
    return start_app()


@pytest.mark.slow  # runs the Streamlit app
def test_r54_an_unwritable_feedback_folder_says_so_and_keeps_the_page_and_the_feedback(tiny_app, tiny_settings):
    tiny_app.chat_input[0].set_value("What will every district library lend?").run()
    tiny_app.get("feedback")[0].set_value(0).run()
    tiny_app.text_input[0].set_value("too short").run()
    next(b for b in tiny_app.button if b.label == "Send feedback").click().run()
    assert not tiny_app.exception and not tiny_app.success
    assert [e.value for e in tiny_app.error] == [
        "the feedback was not saved: the feedback folder cannot be written; try again later"]
    tiny_settings.data_dir.unlink()  # the folder can be written again: the same feedback is sent with one click
    next(b for b in tiny_app.button if b.label == "Send feedback").click().run()
    assert any(s.value == "Thank you, feedback saved." for s in tiny_app.success) and not tiny_app.error
    saved = (tiny_settings.data_dir / "feedback.jsonl").read_text(encoding="utf-8")
    assert '"comment": "too short"' in saved and len(saved.splitlines()) == 1


def test_r55_the_chinese_upload_refusal_replaces_streamlits_english_one():
    from ui.style import page_css

    zh, en = page_css("zh"), page_css("en")
    assert '" · 未上传：每个文件不超过 20 MB"' in zh and '" · not uploaded: files up to 20 MB each"' in en
    # Streamlit's "Error: File must be 20.0MB or smaller." (chip alert and hover tooltip) is hidden in both
    for css in (zh, en):
        assert '[data-testid="stFileChip"][aria-invalid="true"] [role="alert"] { display: none; }' in css
        assert '[data-testid="stTooltipErrorContent"] { display: none; }' in css


@pytest.mark.parametrize("name, value, reason", [
    ("CITYQA_CHROMA_URL", "localhost:8000", "needs http:// or https://"),
    ("CITYQA_LLM_BASE_URL", "localhost:8000", "needs http:// or https://"),
    ("CITYQA_CHROMA_URL", "http://localhost:99999", "port must be a number from 1 to 65535"),
    ("CITYQA_LLM_BASE_URL", "http://127.0.0.1:99999/v1", "port must be a number from 1 to 65535"),
    ("CITYQA_LLM_BASE_URL", "alice:s3cret@llm.example:8000", "needs http:// or https://")])
def test_r56_a_service_url_without_scheme_or_with_a_bad_port_is_a_bad_setting(monkeypatch, name, value, reason):
    from cityqa.errors import BadSetting
    from cityqa.settings import load_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(BadSetting) as error:
        load_settings()
    text = error.value.en + error.value.zh
    assert name in error.value.en and name in error.value.zh and reason in error.value.en
    assert not any(word in error.value.zh for word in ("needs", "must"))  # the reason in Chinese too
    assert error.value.exit_code == 2 and "\n" not in text and "try again" not in text and "s3cret" not in text


def test_r56_good_service_urls_and_a_blank_one_are_kept():
    from cityqa.settings import load_settings

    assert load_settings(chroma_url="http://localhost:8000", llm_base_url="https://u:p@llm.example/v1").chroma_url
    assert load_settings(chroma_url=" ").chroma_url is None


@pytest.mark.slow  # starts `python -m cityqa` processes
def test_r56_the_cli_says_which_setting_is_wrong_in_one_line(tmp_path):
    from test_reliability import cli, one_line

    env = {"CITYQA_CHROMA_URL": "localhost:8000", "CITYQA_INDEX_DIR": str(tmp_path / "index")}
    one_line(cli("ask", "What is track 3?", env_extra=env), 2, "CITYQA_CHROMA_URL='localhost:8000'")


HOSTILE_LABELS = ["![x](http://evil.example/p.png?d=1)", "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>",
                  "What is ![](//evil.example/p.png) track 7?", ":red[alarm] :material/home: $x^2$ **bold** `code`",
                  "www.evil.example/p.png", "&lt;img src=http://evil.example/p.png&gt;", "a\n\n![x](http://e.x/p.png)"]


@pytest.mark.parametrize("text", HOSTILE_LABELS)
def test_r57_a_label_shows_markup_as_text_and_fetches_nothing(text):
    from markdown_it import MarkdownIt

    from cityqa.present import label

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(label(text))
    assert "<img" not in html and "<a " not in html and "\n" not in label(text)
    # Streamlit's own label markup (:color[…], :material/…:, $…$) too: each mark's first character escaped
    assert not re.search(r"(?<!\\)(?:\]\(|!\[|<img|:red\[|:material/|\$x)", label(text))


@pytest.mark.parametrize("text", ["List the fourteen new tracks.", "What is track 7?", "新赛道三是什么？",
                                  "Who wrote “The Lumen Harbour Plan”?", "《卢门港口规划》的作者是谁？"])
def test_r57_a_plain_question_is_its_own_label(text):
    from cityqa.present import label

    assert label(text) == text


HOSTILE_DOC = """---
doc_id: hostile
title: "Harbour ![t](http://evil.example/title.png) notes"
examples:
  - "What is ![e](http://evil.example/example.png) the ferry?"
---

## Ferry

The ferry leaves at nine.
"""


@pytest.mark.slow  # runs the Streamlit app
def test_r57_examples_and_titles_are_text_on_the_welcome_screen_buttons(start_app, tiny_settings):
    from cityqa.present import label

    (tiny_settings.corpus_dir / "hostile.md").write_text(HOSTILE_DOC, encoding="utf-8")
    at = start_app()
    labels = [b.label for b in at.button if b.key and b.key.startswith("example-")]
    raw = "What is ![e](http://evil.example/example.png) the ferry?"
    assert label(raw) in labels and not [x for x in labels if re.search(r"(?<!\\)!\[", x)]
    next(b for b in at.button if b.label == label(raw)).click().run()
    assert at.session_state["turns"][0]["content"] == raw  # the question asked is the document's own text


def test_r52_an_index_holding_one_doc_id_in_two_files_lists_both_and_remove_guesses_neither(tiny_qa, monkeypatch):
    """An index written before ids were owned: docs shows each file, remove names both and moves nothing."""
    from cityqa.errors import BadInput

    corpus = tiny_qa.settings.corpus_dir
    (corpus / "zz-copy.md").write_text(FORGED.format(front="doc_id: lumen-plan.en\nlanguage: en"), encoding="utf-8")
    monkeypatch.setattr("cityqa.index.ingest.claim_identities", lambda docs, held: (docs, []))  # the old ingest
    tiny_qa.rebuild()
    assert sorted(d["source"] for d in tiny_qa.documents() if d["doc_id"] == "lumen-plan.en") == [
        "lumen-plan.en.md", "zz-copy.md"]
    with pytest.raises(BadInput) as error:
        tiny_qa.remove("lumen-plan.en")
    assert "lumen-plan.en.md" in error.value.en and "zz-copy.md" in error.value.zh
    assert (corpus / "lumen-plan.en.md").exists() and (corpus / "zz-copy.md").exists()
