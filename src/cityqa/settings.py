"""Own the settings: the only module that reads the environment (prefix CITYQA_)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cityqa.errors import BadSetting

PROJECT_ROOT = Path(__file__).resolve().parents[2]
USERINFO = re.compile(r"(?<=://)[^/?#@\s]+@")  # the user:password@ part of a URL


URL_NEEDS_SCHEME = "a URL needs http:// or https:// and a host, e.g. http://localhost:8000"
PORT_RANGE = "the port must be a number from 1 to 65535"
KEY_HASH = "it must be a hash printed by `cityqa hash-key`, never the key itself"
REASONS_ZH = {URL_NEEDS_SCHEME: "网址需要 http:// 或 https:// 和主机名，例如 http://localhost:8000",
              PORT_RANGE: "端口须为 1 到 65535 之间的数字",
              KEY_HASH: "须为 `cityqa hash-key` 打印的哈希值，不能是密钥本身"}


class Settings(BaseSettings):
    """cityqa settings, from CITYQA_* environment variables or passed directly."""

    # no .env is read unless CITYQA_ENV_FILE names one: a stray file must not point the LLM at another host
    model_config = SettingsConfigDict(env_prefix="CITYQA_", env_file=None, extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / ".cityqa" / "index"
    data_dir: Path = PROJECT_ROOT / ".cityqa"
    store: Literal["chroma", "memory"] = "chroma"  # memory: the in-process fake, for tests and demos
    chroma_url: str | None = None
    embedding: str = "e5-small-q4"
    quoting: Literal["rules", "learned"] = "rules"  # open questions: hand-set rules, or the learned scorer (opt-in)
    llm_provider: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    editor_key_hash: SecretStr | None = None  # unset: a local single-user app, everyone may edit the corpus
    llm_timeout_s: float = Field(30.0, gt=0, le=600)
    store_timeout_s: float = Field(10.0, gt=0, le=600)
    build_wait_s: float = Field(600.0, ge=0, le=3600)
    top_k: int = Field(5, ge=1, le=50)
    max_question_chars: int = Field(2000, ge=1, le=1_000_000)
    history_turns: int = Field(6, ge=0, le=100)
    max_file_mb: float = Field(20.0, gt=0, le=1024)
    max_files: int = Field(10_000, ge=1, le=1_000_000)  # files one ingest reads: a huge folder is refused, not begun
    chunk_chars: int = Field(1200, ge=100, le=100_000)
    ocr: Literal["rapidocr", "fake", "off"] = "rapidocr"  # scans and images: bundled PP-OCR models, or none
    ocr_page_s: float = Field(60.0, gt=0, le=3600)  # time budget for recognising one page

    language: str = Field(default_factory=lambda: "zh" if os.environ.get("LANG", "").startswith("zh") else "en")

    @field_validator("chroma_url", "llm_base_url")
    @classmethod
    def _service_url(cls, value: str | None) -> str | None:
        """Refuse a service URL without http(s):// and a host, or with a port outside 1–65535 (never a guess)."""
        if value is None or not value.strip():
            return None
        url = urlparse(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(URL_NEEDS_SCHEME)
        try:
            port = url.port
        except ValueError:
            port = 0
        if port == 0:
            raise ValueError(PORT_RANGE)
        return value.strip()

    @field_validator("editor_key_hash")
    @classmethod
    def _key_hash(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse an editor key written in clear or a hash this version cannot check."""
        from cityqa.editors import valid_hash

        if value is None or not value.get_secret_value().strip():
            return None
        if not valid_hash(value.get_secret_value()):
            raise ValueError(KEY_HASH)
        return value

    def __init__(self, **values):
        """Read the CITYQA_* variables, and the env file CITYQA_ENV_FILE names (only when it names one)."""
        named = os.environ.get("CITYQA_ENV_FILE")
        if named and "_env_file" not in values:
            if not Path(named).is_file():
                raise BadSetting(f"设置 CITYQA_ENV_FILE={named!r} 无效：文件不存在",
                                 f"setting CITYQA_ENV_FILE={named!r} is not valid: no such file")
            values["_env_file"] = named
        super().__init__(**values)

    def llm_mode(self) -> str | None:
        """Name the configured chat-model provider, or None when answers are extractive."""
        if self.llm_provider:
            return self.llm_provider
        if self.llm_base_url and "11434" in self.llm_base_url:
            return "ollama"
        if self.llm_base_url or self.llm_model:
            return "openai"
        return None


def load_settings(**overrides) -> Settings:
    """Read the settings, or raise BadSetting naming the variable, its value and what it must be."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = f"CITYQA_{str(problem['loc'][0]).upper()}" if problem.get("loc") else "CITYQA_*"
        value = str(problem.get("input", ""))[:60]
        if name.endswith("_URL"):  # credentials written into a URL, with or without its scheme
            value = re.sub(r"[^/@\s]+@", "***@", value)
        if name in ("CITYQA_EDITOR_KEY_HASH", "CITYQA_LLM_API_KEY"):  # perhaps a key written in clear
            value = "***"
        reason = problem["msg"].removeprefix("Value error, ")  # pydantic's prefix for a validator's own words
        raise BadSetting(f"设置 {name}={value!r} 无效：{REASONS_ZH.get(reason, reason)}",
                         f"setting {name}={value!r} is not valid: {reason}") from None


def masked(text: str) -> str:
    """Hide the credentials written into any URL in text (scheme://user:password@host → scheme://***@host)."""
    return USERINFO.sub("***@", text)


def user_language() -> str:
    """The language for messages printed before the settings could be read: from LANG."""
    return "zh" if os.environ.get("LANG", "").startswith("zh") else "en"
