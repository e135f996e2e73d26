"""Own the user-facing errors: each carries one line in Chinese and one in English, and a CLI exit code.

Exit codes: 0 ok · 1 error (no index, other model, configuration, regression) · 2 bad input (question, option,
file, setting value) · 3 unavailable (store down or silent, index busy past the wait).
"""
from __future__ import annotations


class CityQAError(Exception):
    """A user error with a one-line message in both languages."""

    exit_code = 1

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, language: str = "en") -> str:
        """Return the message in the user's language ("zh", "zh-Hant" or "en")."""
        if language == "zh-Hant":
            from cityqa.corpus.text import to_traditional

            return to_traditional(self.zh)
        return self.zh if language.startswith("zh") else self.en


class BadInput(CityQAError):
    """The question or history cannot be used."""

    exit_code = 2


class IndexMissing(CityQAError):
    """No index has been built yet."""


class ModelMismatch(CityQAError):
    """The index was built with a different embedding model."""


class IndexBusy(CityQAError):
    """Another process is writing the index."""

    exit_code = 3


class StoreUnavailable(CityQAError):
    """The Chroma store cannot be reached or written."""

    exit_code = 3


class IndexCorrupt(StoreUnavailable):
    """The index files on disk are damaged: retrying cannot help, a rebuild does."""

    exit_code = 1


class EmbedderUnavailable(CityQAError):
    """The configured embedding model cannot be loaded here."""


class ConfigError(CityQAError):
    """A setting has a value cityqa cannot use."""


class BadSetting(ConfigError):
    """A CITYQA_* value that cannot be parsed or is out of range."""

    exit_code = 2
