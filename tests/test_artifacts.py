"""A server replica fetches a version's lexical tables by id, compressed, and refuses damaged or partial copies."""
from __future__ import annotations

import base64
import hashlib

import pytest

from cityqa.index import artifacts
from cityqa.index.ingest import ingest
from cityqa.index.store import Store, open_client
from cityqa.testing import FakeEmbeddings
from conftest import CORPUS

pytestmark = pytest.mark.slow


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def served(make_settings, chroma_server):
    """A server holding the report's index; the writer's local copy of the tables and the store."""
    settings = make_settings(corpus_dir=CORPUS, chroma_url=chroma_server)
    ingest(settings, FakeEmbeddings())
    store = Store(open_client(settings))
    version = store.info().collection
    return store, version, files_of(store.tables_root / version)


def test_a_replica_fetches_every_file_by_id_and_gets_the_same_bytes(served, tmp_path, monkeypatch):
    store, version, written = served
    side = store.client.get_collection(artifacts.SIDE)
    sent = sum(len(d) for d in side.get(include=["documents"])["documents"])
    assert sent < 0.5 * sum(len(b) for b in written.values()) * 4 / 3  # compressed before base64
    wheres = []
    real = type(side).get
    monkeypatch.setattr(type(side), "get", lambda self, *a, **k: wheres.append(k.get("where")) or real(self, *a, **k))
    assert artifacts.download(store.client, version, tmp_path / "replica")
    assert files_of(tmp_path / "replica") == written
    assert wheres and not any(wheres)  # by id: no metadata filter, no paging


def test_a_damaged_part_is_refused(served, tmp_path):
    store, version, _ = served
    side = store.client.get_collection(artifacts.SIDE)
    part = f"{version}/paragraphs.json/0"
    text = side.get(ids=[part], include=["documents"])["documents"][0]
    data = bytearray(base64.b64decode(text))
    data[len(data) // 2] ^= 0xFF
    side.update(ids=[part], documents=[base64.b64encode(bytes(data)).decode()],
                embeddings=[[0.0]])
    assert not artifacts.download(store.client, version, tmp_path / "replica")
    assert not (tmp_path / "replica").exists()


def test_tables_uploaded_before_manifests_are_still_read(served, tmp_path):
    store, version, written = served
    artifacts.delete_versions(store.client, {version})
    side = store.client.get_collection(artifacts.SIDE)
    for name, data in written.items():  # as the previous code wrote them: raw base64, one part, no manifest
        side.add(ids=[f"{version}/{name}/0"], documents=[base64.b64encode(data).decode()], embeddings=[[0.0]],
                 metadatas=[{"version": version, "file": name, "part": 0, "parts": 1,
                             "sha256": hashlib.sha256(data).hexdigest()}])
    assert artifacts.download(store.client, version, tmp_path / "replica")
    assert files_of(tmp_path / "replica") == written


def test_a_writer_waits_in_proportion_to_its_records_and_readers_keep_the_short_timeout(
        make_settings, chroma_server, monkeypatch):
    from chromadb.api.models.Collection import Collection

    monkeypatch.setattr("cityqa.index.store.WORK_PER_TIMEOUT", 10)  # the report's 154 records: 15.4 × 10 s
    settings = make_settings(corpus_dir=CORPUS, chroma_url=chroma_server)
    store = Store(open_client(settings))
    session = store.client._server._session
    seen = []
    real = Collection.add
    monkeypatch.setattr(Collection, "add",
                        lambda self, *a, **k: seen.append(session.timeout.read) or real(self, *a, **k))
    monkeypatch.setattr("cityqa.index.ingest.open_store", lambda settings: store)
    assert ingest(settings, FakeEmbeddings()).published
    assert seen and all(t == pytest.approx(154.0) for t in seen)
    assert session.timeout.read == settings.store_timeout_s == 10
