"""Own adding uploaded files: each is saved, loaded and indexed, or refused with nothing of it left behind."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cityqa.corpus.loaders import UnreadableFile, load_document
from cityqa.corpus.uploads import discard, existing, save_upload
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
    """Save files into corpus/uploads/, index those that load with add(paths); a refused file is taken back."""
    upload, saved = Upload(), {}
    for name, data in files:
        try:
            previous = existing(settings.corpus_dir, name)
            path = save_upload(settings.corpus_dir, name, data, settings.max_file_mb)
        except BadInput as exc:
            upload.refused.append((name, exc))
            continue
        try:
            doc = load_document(path, settings.corpus_dir, settings.max_file_mb)
        except UnreadableFile as exc:
            discard(path, previous)
            upload.refused.append((name, exc))
            continue
        saved[str(path)] = (name, path, previous, len(doc.paragraphs))
    if not saved:
        return upload
    try:
        upload.report = add([path for _, path, _, _ in saved.values()])
    except BaseException:
        for _, path, previous, _ in saved.values():
            discard(path, previous)
        raise
    failed = dict(upload.report.problems)
    for key, (name, path, previous, paragraphs) in saved.items():
        if key in failed:
            discard(path, previous)
            upload.refused.append((name, failed[key]))
        else:
            upload.added.append((name, paragraphs))
    return upload
