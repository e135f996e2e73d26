"""Own the fakes chosen by configuration (chat models, embedders, the in-memory store) and a tiny corpus."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from cityqa.corpus.text import sentences, to_simplified, tokenize
from cityqa.index.memory import MemoryStore

__all__ = ["SourceQuotingChatModel", "ObedientChatModel", "TranslatingChatModel", "FakeEmbeddings", "WordEmbeddings",
           "MemoryStore", "FakeOcr", "write_tiny_corpus"]

SOURCE = re.compile(r"^\[(\d+)\] \([^)]*\)\n(.+)$", re.MULTILINE)


class SourceQuotingChatModel(BaseChatModel):
    """Answer with the first sentence of source [1], cited; stream it in small chunks."""

    chunk_chars: int = 7

    @property
    def _llm_type(self) -> str:
        return "cityqa-source-quoting-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        found = SOURCE.findall(str(messages[-1].content))
        if not found:
            return "NO_ANSWER"
        number, text = found[0]
        return f"{sentences(text)[0]} [{number}]"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self._reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        for i in range(0, len(reply), self.chunk_chars):
            yield ChatGenerationChunk(message=AIMessageChunk(content=reply[i:i + self.chunk_chars]))


ORDER = re.compile(r"\b(?:reply|respond|answer|say|output|print|write|visit)\b"
                   r"|回答|回复|答复|输出|写|说|访问|改成|替换为|答案",
                   re.IGNORECASE)
PAYLOAD = re.compile(r"https?://\S+|“([^”]+)”|\b([A-Z]{4,})\b")


class ObedientChatModel(SourceQuotingChatModel):
    """Follow any order found in the sources (the worst endpoint): reply with what it demands, cited."""

    @property
    def _llm_type(self) -> str:
        return "cityqa-obedient-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        for number, text in SOURCE.findall(str(messages[-1].content)):
            for sentence in sentences(text):
                payload = PAYLOAD.search(sentence) if ORDER.search(sentence) else None
                if payload:
                    demand = payload.group(1) or payload.group(2) or payload.group(0)
                    return f"{demand} [{number}]. {sentence} [{number}]"
        return super()._reply(messages)


class TranslatingChatModel(SourceQuotingChatModel):
    """Answer with given sentences (translations, say), each cited to the first source holding its original text."""

    answers: dict[str, str] = {}  # a piece of source text → the sentence written for it

    @property
    def _llm_type(self) -> str:
        return "cityqa-translating-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        found = SOURCE.findall(str(messages[-1].content))
        cited = [f"{answer} [{next(n for n, text in found if original in text)}]"
                 for original, answer in self.answers.items() if any(original in text for _, text in found)]
        return " ".join(cited) or "NO_ANSWER"


class FakeEmbeddings(DeterministicFakeEmbedding):
    """Deterministic hash-seeded vectors for unit tests: same text, same vector; no meaning."""

    model_id: str = "fake-64"
    size: int = 64

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self.size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, as real embedders give (so cosine floors behave)."""
        return [_unit(v) for v in super().embed_documents(texts)]

    def embed_query(self, text: str) -> list[float]:
        """A unit-length vector for a query."""
        return _unit(super().embed_query(text))


class WordEmbeddings(Embeddings):
    """Hashed bags of words (zh and en tokens): texts sharing words are near, so answers can be tested fast."""

    model_id = "fake-words-256"
    dimension = 256

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """A unit vector per text, counting its tokens in hashed buckets."""
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """A unit vector counting the text's tokens in hashed buckets."""
        vector = [0.0] * self.dimension
        for token in tokenize(to_simplified(text)):
            vector[int(hashlib.blake2b(token.encode(), digest_size=4).hexdigest(), 16) % self.dimension] += 1.0
        return _unit(vector)


def _unit(vector: list[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]


TINY_EN = """---
doc_id: lumen-plan.en
translation_of: lumen-plan
title: The Lumen Harbour Plan
language: en
authors:
  - name: Ada Quill
    role: Chief planner of Lumen
---

# The Lumen Harbour Plan

## 1. Tidal parks {#part1}

{#part1.1} Lumen will turn the old coal docks into tidal parks that flood twice a day. \
The tidal parks protect Lumen from storm surges.

## 2. Night trams {#part2}

{#part2.1} Night trams will run every ten minutes between the harbour and the university. \
Osterby tested night trams first.

## 3. Seed libraries {#part3}

{#part3.1} Every district library will lend seeds to gardeners. Gardeners return seeds from their harvest.
"""
TINY_ZH = """---
doc_id: lumen-plan
title: 卢门港口规划
language: zh
authors:
  - name: 柯艾达
    name_en: Ada Quill
    role: 卢门首席规划师
---

# 卢门港口规划

## 一、潮汐公园 {#part1}

{#part1.1} 卢门将把旧煤码头改造成每天两次被潮水淹没的潮汐公园。潮汐公园保护卢门免受风暴潮侵袭。

## 二、夜间有轨电车 {#part2}

{#part2.1} 夜间有轨电车每十分钟往返于港口和大学之间。奥斯特比最先试行了夜间有轨电车。

## 三、种子图书馆 {#part3}

{#part3.1} 每个区图书馆都向园丁出借种子。园丁用收获的种子归还。
"""


def write_tiny_corpus(folder: Path) -> Path:
    """Write the three-paragraph synthetic corpus (en and its zh original) into folder; return folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lumen-plan.en.md").write_text(TINY_EN, encoding="utf-8")
    (folder / "lumen-plan.zh.md").write_text(TINY_ZH, encoding="utf-8")
    return folder


class FakeOcr:
    """An OCR engine that reads the lines an image carries in its "ocr" PNG text chunk (else scripted pages)."""

    def __init__(self, pages: list[list] | None = None, delays_s: list[float] | None = None) -> None:
        """Pages: lines returned in turn for images without a chunk; delays_s: time each page takes, in turn."""
        self.pages, self.delays_s, self.calls = list(pages or []), list(delays_s or []), 0

    def read(self, image) -> list:
        """Return the image's own lines, or the next scripted page, or none."""
        import time

        from cityqa.corpus.ocr_lines import lines_from_json

        self.calls += 1
        if self.delays_s:
            time.sleep(self.delays_s.pop(0))
        if "ocr" in getattr(image, "info", {}):
            return lines_from_json(image.info["ocr"])
        return self.pages.pop(0) if self.pages else []
