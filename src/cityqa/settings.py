"""Own the settings: the only module that reads the environment (prefix CITYQA_)."""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """cityqa settings, from CITYQA_* environment variables or passed directly."""

    model_config = SettingsConfigDict(env_prefix="CITYQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / ".cityqa" / "index"
    data_dir: Path = PROJECT_ROOT / ".cityqa"
    chroma_url: str | None = None
    embedding: str = "e5-small-q4"
    llm_provider: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 30.0
    top_k: int = 5
    max_question_chars: int = 2000
    history_turns: int = 6
    max_file_mb: float = 20.0
    chunk_chars: int = 1200

    language: str = Field(default_factory=lambda: "zh" if os.environ.get("LANG", "").startswith("zh") else "en")

    def llm_mode(self) -> str | None:
        """Name the configured chat-model provider, or None when answers are extractive."""
        if self.llm_provider:
            return self.llm_provider
        if self.llm_base_url and "11434" in self.llm_base_url:
            return "ollama"
        if self.llm_base_url or self.llm_model:
            return "openai"
        return None
