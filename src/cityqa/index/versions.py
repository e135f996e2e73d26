"""Own what every store shares: version names, the active version's info, the model check, corruption errors."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from cityqa.errors import IndexCorrupt, IndexMissing, ModelMismatch

PREFIX = "cityqa-v"
PARAGRAPHS_PREFIX = "cityqa-p"  # cityqa-p<stamp>: the paragraph vectors of version cityqa-v<stamp>


@dataclass(frozen=True)
class IndexInfo:
    """What the active pointer records about the serving collection."""

    collection: str
    model: str
    dimension: int
    chunks: int
    built_at: str
    previous: str = ""


def paragraphs_name(version: str) -> str:
    """Name the collection of a version's paragraph vectors."""
    return PARAGRAPHS_PREFIX + version.removeprefix(PREFIX)


def version_of(name: str) -> str | None:
    """The version a collection belongs to (itself or its paragraph vectors), None for other collections."""
    if name.startswith(PREFIX):
        return name
    return PREFIX + name.removeprefix(PARAGRAPHS_PREFIX) if name.startswith(PARAGRAPHS_PREFIX) else None


def check_model(info, model_id: str, dimension: int):
    """Return the active version's info after checking it was built with this embedding model."""
    if info is None:
        raise IndexMissing("还没有索引：请运行 cityqa ingest", "no index yet: run cityqa ingest")
    if (info.model, info.dimension) != (model_id, dimension):
        raise ModelMismatch(
            f"索引由 {info.model}（{info.dimension} 维）建立，当前模型为 {model_id}（{dimension} 维）；"
            "请运行 cityqa ingest --rebuild 重建索引",
            f"the index was built with {info.model} ({info.dimension} dims) but the configured model is "
            f"{model_id} ({dimension} dims); rebuild it with: cityqa ingest --rebuild")
    return info


# what SQLite (under embedded Chroma) and hnswlib say when the files on disk are not what they wrote
CORRUPT = re.compile(r"file is not a database|database disk image is malformed|malformed database schema|"
                     r"file is encrypted or is not a database|cannot read header|index file.*corrupt", re.I)


def corrupt(exc: Exception) -> IndexCorrupt | None:
    """The "index files damaged, rebuild" error when a store failure says its files are corrupt, else None."""
    if not CORRUPT.search(str(exc)):
        return None
    logging.getLogger("cityqa.index").info("index files damaged: %s: %s", type(exc).__name__, exc)
    return IndexCorrupt("索引文件已损坏（CITYQA_INDEX_DIR）：请运行 cityqa ingest --rebuild 重建索引",
                        "the index files are damaged (CITYQA_INDEX_DIR): run cityqa ingest --rebuild "
                        "to build the index again")
