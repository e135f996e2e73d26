"""Hardening round 3, continued (issue 24): document identity, faults, settings, inert widgets."""
from __future__ import annotations

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
