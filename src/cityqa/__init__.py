"""cityqa: cited bilingual question answering over the SASS report on new tracks for international cities."""
from cityqa.settings import Settings

__all__ = ["Settings", "build_qa", "Answer", "Citation"]


def __getattr__(name: str):
    """Import the heavier public names on first use, so importing cityqa stays cheap."""
    if name in ("build_qa", "Answer"):
        from cityqa import qa

        return getattr(qa, name)
    if name == "Citation":
        from cityqa.answering.citations import Citation

        return Citation
    raise AttributeError(f"module 'cityqa' has no attribute {name!r}")
