"""Own adding uploaded files: each is saved, loaded and indexed, or refused with nothing of it left behind."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.uploads import discard, save_upload
from cityqa.errors import BadInput, CityQAError
from cityqa.index.ingest import IngestReport
from cityqa.settings import Settings


@dataclass
class Upload:
    """What an upload did: files added (with their paragraph counts), files refused (with why), the ingest."""

    added: list[tuple[str, int]] = field(default_factory=list)
    refused: list[tuple[str, CityQAError]] = field(default_factory=list)
    report: IngestReport | None = None


def upload_files(settings: Settings, files: list[tuple[str, bytes]],
                 add: Callable[[list[Path]], IngestReport]) -> Upload:
    """Save files into corpus/uploads/ (beside any of the same name), index those that load; a refused one goes."""
    from cityqa.corpus.ocr import make_ocr
    from cityqa.index.ingest import scanner_for

    upload, saved, engine = Upload(), {}, make_ocr(settings.ocr)
    for name, data in files:
        try:
            path = save_upload(settings.corpus_dir, name, data, settings.max_file_mb)
        except BadInput as exc:
            upload.refused.append((name, exc))
            continue
        try:
            doc = load_document(path, settings.corpus_dir, settings.max_file_mb, scanner_for(settings, engine, name))
        except UnreadableFile as exc:
            discard(path)
            upload.refused.append((name, exc))
            continue
        saved[str(path)] = (name, path, len(doc.paragraphs))
    if not saved:
        return upload
    try:
        upload.report = add([path for _, path, _ in saved.values()])
    except BaseException:
        for _, path, _ in saved.values():
            discard(path)
        raise
    failed = dict(upload.report.problems)
    for key, (name, path, paragraphs) in saved.items():
        if key in failed:
            discard(path)
            upload.refused.append((name, failed[key]))
        else:
            upload.added.append((path.name, paragraphs))  # the name it is kept under (port-2.md)
    return upload
