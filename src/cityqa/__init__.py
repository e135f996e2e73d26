"""cityqa: cited bilingual (zh/en) question answering over a corpus of reports, papers and articles."""
from cityqa.settings import Settings

__all__ = ["Settings", "build_qa", "QA", "Answer", "Citation"]


def __getattr__(name: str):
    """Import the heavier public names on first use, so importing cityqa stays cheap."""
    if name in ("build_qa", "QA"):
        from cityqa import app

        return getattr(app, name)
    if name in ("Answer", "Citation"):
        from cityqa import types

        return getattr(types, name)
    raise AttributeError(f"module 'cityqa' has no attribute {name!r}")
