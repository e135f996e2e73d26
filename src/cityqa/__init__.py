"""cityqa: cited bilingual question answering over the SASS report on new tracks for international cities."""
from cityqa.config import Settings

__all__ = ["Settings"]
