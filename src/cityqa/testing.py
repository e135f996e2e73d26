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
