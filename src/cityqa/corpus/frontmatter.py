"""Own Markdown front matter: the YAML read, and every known value checked by type, one bilingual line per fault."""
from __future__ import annotations

import re
from datetime import date as Day
from typing import Annotated

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from cityqa.errors import CityQAError

ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
TIMESTAMP = "tag:yaml.org,2002:timestamp"
# pydantic's error types in Chinese; any other type keeps pydantic's English words
ZH_ERRORS = {"string_type": "应为文字", "list_type": "应为列表", "dict_type": "应为键值对（name: …）",
             "model_type": "应为键值对（name: …）", "model_attributes_type": "应为键值对（name: …）",
             "calendar_date": "日历上没有这一天"}
EN_ERRORS = {"model_type": "should be a mapping (name: …)", "model_attributes_type": "should be a mapping (name: …)"}


class BadFrontMatter(CityQAError):
    """A file whose front matter cannot be used: the line or the field, and what is wrong."""

    exit_code = 2


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written, so an impossible one is reported by field instead of raised."""


_Loader.yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
                                   for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _listed(value):
    """Read a single value as a one-item list (`authors: A. Writer`)."""
    return [value] if isinstance(value, str | dict) else value


def _named(value):
    """Read an author given as a plain name as {"name": …}."""
    return {"name": value} if isinstance(value, str) else value


def _day(value):
    """Keep a date as written, but refuse one the calendar does not have (2023-02-30)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (match := ISO_DAY.match(value.strip())):
        try:
            day = Day(*map(int, match.groups()))
        except ValueError:
            raise PydanticCustomError("calendar_date", "no such day in the calendar") from None
        return day if match.group(0) == value.strip() else value
    return value


class Author(BaseModel):
    """One author: a name, optionally its English form and a role."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    name: str | None = None
    name_en: str | None = None
    role: str | None = None


Text = str | None


class FrontMatter(BaseModel):
    """The front-matter fields cityqa reads, by type; any other field is kept as written."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    doc_id: Text = None
    translation_of: Text = None
    title: Text = None
    title_en: Text = None
    language: Text = None
    publisher: Text = None
    publication: Text = None
    summary: Text = None
    url: Text = None
    doc_type: Text = None
    date: Annotated[Day | str | None, BeforeValidator(_day)] = None
    authors: Annotated[list[Annotated[Author, BeforeValidator(_named)]] | None, BeforeValidator(_listed)] = None
    examples: Annotated[list[str] | None, BeforeValidator(_listed)] = None


def split_front_matter(raw: str) -> tuple[dict, int]:
    """Return the checked front matter and the offset where the body starts, or raise BadFrontMatter."""
    if not raw.startswith("---\n"):
        return {}, 0
    end = raw.find("\n---", 4)
    if end < 0:
        return {}, 0
    try:
        meta = yaml.load(raw[4:end], Loader=_Loader) or {}  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:  # "title: A: B" — a colon in a value needs quotes
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else "?"  # the front matter starts on the file's second line
        raise BadFrontMatter(f"开头的 YAML 元数据第 {line} 行有误（含冒号的值需加引号）",
                             f"the YAML front matter is not valid at line {line} (a value with a colon needs quotes)"
                             ) from None
    body = raw.find("\n", end + 4)
    return (checked(meta) if isinstance(meta, dict) else {}), (len(raw) if body < 0 else body + 1)


def checked(meta: dict) -> dict:
    """Validate front-matter values by type; raise BadFrontMatter naming the first bad field and its value."""
    try:
        return FrontMatter.model_validate({str(k): v for k, v in meta.items()}).model_dump(exclude_unset=True)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"])[1:]
        value = repr(problem.get("input"))[:60]
        en = EN_ERRORS.get(problem["type"], problem["msg"])
        zh = ZH_ERRORS.get(problem["type"], en)
        raise BadFrontMatter(f"开头的 YAML 元数据中 {field} 的值 {value} 无效：{zh}",
                             f"the front matter value {field}: {value} is not valid: {en}") from None
