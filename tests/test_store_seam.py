"""The in-memory store keeps the Chroma store's contract: same rankings, versions, and the active pointer."""
from __future__ import annotations

from cityqa.app import build_qa, ingest_files
from cityqa.index.memory import MemoryStore, matches
from cityqa.index.stores import open_store

QUESTIONS = ["What do the tidal parks protect Lumen from?", "第二部分是什么？", "seeds gardeners", "bread"]


def test_the_memory_store_ranks_as_the_embedded_chroma_store_does(tiny_settings):
    memory = build_qa(tiny_settings)
    chroma = build_qa(tiny_settings.model_copy(update={"store": "chroma"}))
    for question in QUESTIONS:
        assert [(h.key, round(h.dense, 4)) for h in memory.retrieve(question).hits] == \
               [(h.key, round(h.dense, 4)) for h in chroma.retrieve(question).hits]
        assert memory.ask(question).answer == chroma.ask(question).answer


def test_a_new_version_replaces_the_served_one_and_only_two_are_kept(tiny_settings):
    store = open_store(tiny_settings)
    assert isinstance(store, MemoryStore) and store is open_store(tiny_settings)
    qa = build_qa(tiny_settings)
    first = qa.index_info()
    for hour in ("noon", "dawn"):
        (tiny_settings.corpus_dir / "extra.md").write_text(f"## Ferries {{#ferries}}\n\n{{#ferries.1}} Ferries sail "
                                                           f"at {hour}.\n", encoding="utf-8")
        assert qa.rebuild().published
    assert first.collection not in store.versions and len(store.versions) == 2
    assert qa.retrieve("ferries").hits[0].passage("en").text == "Ferries sail at dawn."
    assert ingest_files(tiny_settings).published is False  # unchanged corpus: nothing rewritten


def test_where_filters_follow_chroma():
    meta = {"kind": "paragraph", "instruction_like": False, "n": 2}
    assert matches(meta, {"$and": [{"kind": "paragraph"}, {"instruction_like": False}]})
    assert not matches(meta, {"$or": [{"kind": "sentence"}, {"n": {"$ne": 2}}]})
    assert matches(meta, {"n": {"$in": [1, 2]}}) and not matches(meta, {"kind": {"$eq": "sentence"}})


def test_both_stores_give_each_version_the_same_paragraph_vectors(tiny_settings):
    served = []
    for settings in (tiny_settings, tiny_settings.model_copy(update={"store": "chroma"})):
        build_qa(settings)
        store = open_store(settings)
        info = store.info()
        collection = store.active(info.model, info.dimension)
        vectors = store.paragraphs(collection)
        records = store.records(collection)
        assert sorted(vectors.get()["ids"]) == sorted(i for i, m in zip(records["ids"], records["metadatas"])
                                                      if m["kind"] == "paragraph" and not m["instruction_like"])
        served.append(sorted(vectors.get()["ids"]))
    assert served[0] == served[1]
