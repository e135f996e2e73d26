"""Own document identity: a doc_id, a work's version in one language, a corpus work: each held by one file."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cityqa.corpus.documents import Document
from cityqa.corpus.files import UnreadableFile

UPLOADS = "uploads"  # the folder uploads are saved in: a visitor's file, never the owner of a corpus work


def is_upload(source: str) -> bool:
    """Tell whether a corpus-relative source is a file a visitor uploaded."""
    return source.startswith(UPLOADS + "/")


def claim_identities(docs: list[tuple[Path, Document]], held: Iterable[dict]
                     ) -> tuple[list[tuple[Path, Document]], list[tuple[str, UnreadableFile]]]:
    """Keep the documents whose identity is free; refuse, one line each, those claiming another file's identity.

    held: the metadata of indexed records from other files, which keep what they hold. Among new files the
    corpus's own come before uploads, then by path, so a rebuild keeps the same owners.
    """
    ids: dict[str, str] = {}  # doc_id → source
    versions: dict[tuple[str, str], str] = {}  # (work, language) → source: paragraph keys are work#id
    works: dict[str, str] = {}  # work → a source of the corpus's own holding it
    for meta in held:
        _hold(ids, versions, works, meta["doc_id"], meta.get("group") or meta["doc_id"], meta["language"],
              meta["source"])
    kept, refused = [], []
    for path, doc in sorted(docs, key=lambda item: (is_upload(item[1].source), item[1].source)):
        problem = _taken(ids, versions, works, doc)
        if problem:
            refused.append((str(path), problem))
        else:
            _hold(ids, versions, works, doc.doc_id, doc.group, doc.language, doc.source)
            kept.append((path, doc))
    return kept, refused


def _hold(ids: dict, versions: dict, works: dict, doc_id: str, group: str, language: str, source: str) -> None:
    ids.setdefault(doc_id, source)
    versions.setdefault((group, language), source)
    if not is_upload(source):
        works.setdefault(group, source)


def _taken(ids: dict, versions: dict, works: dict, doc: Document) -> UnreadableFile | None:
    """Say what identity another file already holds, or None when the document's own are free."""
    source, group = doc.source, doc.group
    if ids.get(doc.doc_id, source) != source:
        return UnreadableFile(f"文档编号 {doc.doc_id} 已被 {ids[doc.doc_id]} 使用，请另取一个 doc_id",
                              f"doc_id {doc.doc_id} is already used by {ids[doc.doc_id]}; choose another doc_id")
    if is_upload(source) and works.get(group, source) != source:
        field = "translation_of" if doc.meta.get("translation_of") else "doc_id"
        return UnreadableFile(f"{field}：{group} 是语料库的文档，上传的文件不能加入它",
                              f"{field}: {group} is a document of the corpus; an upload cannot join it")
    if versions.get((group, doc.language), source) != source:
        other = versions[(group, doc.language)]
        return UnreadableFile(f"{group} 已有 {doc.language} 版本（{other}），段落编号会相撞",
                              f"{group} already has a version in {doc.language} ({other}); "
                              "their paragraph ids would collide")
    return None
