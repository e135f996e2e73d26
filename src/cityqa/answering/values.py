"""Own the kinds of value a question asks for (a number, a year, a person or body) and how a sentence states one."""
from __future__ import annotations

from cityqa.calibration import cutoff
from cityqa.corpus.text import named_entities
from cityqa.language import cue

ORGANISATION = cue("values_organisation")
FULL_NAME = cue("values_full_name")  # "Mara Lindqvist"
FULL_NAME_CHARS = cutoff("values.full_name_chars")  # a Chinese person named by this many characters (三字全名)


class _Agent:
    """A "who" question's value: a sentence naming a person or an organisation (课题组, council, forum …)."""

    @staticmethod
    def search(text: str) -> bool:
        full_names = [n for n in named_entities(text, ("nr", "nrfg")) if len(n) == FULL_NAME_CHARS]  # not 拓宽
        return bool(ORGANISATION.search(text) or full_names or FULL_NAME.search(text))


VALUE = {"number": cue("values_number"), "year": cue("values_year"), "person": _Agent()}  # numbers in words count
