"""Own the fakes chosen by configuration: a chat model that quotes its first source, for tests and demos."""
from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from cityqa.corpus.text import sentences

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


ORDER = re.compile(r"\b(?:reply|respond|answer|say|output|print|write|visit)\b|回答|回复|答复|输出|写|说|访问|改成|替换为|答案",
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
                    return f"{payload.group(1) or payload.group(2) or payload.group(0)} [{number}]. {sentence} [{number}]"
        return super()._reply(messages)
