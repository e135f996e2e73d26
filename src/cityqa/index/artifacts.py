"""Own where lexical tables live: a folder per index version, mirrored into Chroma for server replicas."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cityqa.index.lexical import Stamp, read_stamp

SIDE = "cityqa-lexical"
PART_CHARS = 4 * 2**20  # base64 characters per side-collection record
MANIFEST = "manifest"  # <version>/manifest: every file's parts and hash, so a reader fetches parts by id
FETCH_THREADS = 4


def tables_root(client) -> Path:
    """Name the local folder of tables: next to the data when embedded, a per-server cache otherwise."""
    settings = client.get_settings()
    if settings.is_persistent and settings.persist_directory:
        return Path(settings.persist_directory) / "lexical"
    server = f"{settings.chroma_server_host}-{settings.chroma_server_http_port}".replace(":", "-")
    return Path(tempfile.gettempdir()) / "cityqa-lexical" / server


def is_server(client) -> bool:
    """Tell a Chroma server client from an embedded one."""
    return not client.get_settings().is_persistent


def upload(client, folder: Path, version: str) -> None:
    """Copy a version's tables into the side collection: each file compressed, in base64 parts, then a manifest."""
    side = client.get_or_create_collection(SIDE, embedding_function=None)
    delete_versions(client, {version})
    manifest = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = base64.b64encode(zlib.compress(data, 6)).decode("ascii")  # JSON and sorted postings: 3-6x smaller
        parts = [text[i:i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
        name = path.relative_to(folder).as_posix()
        manifest[name] = {"sha256": hashlib.sha256(data).hexdigest(), "parts": len(parts), "codec": "zlib"}
        for n, part in enumerate(parts):
            side.add(ids=[_part_id(version, name, n)], documents=[part], embeddings=[[0.0]],
                     metadatas=[{"version": version, "file": name, "part": n, "parts": len(parts),
                                 "sha256": manifest[name]["sha256"], "codec": "zlib"}])
    # written last: a reader that finds the manifest finds every part, and fetches them by id
    side.add(ids=[f"{version}/{MANIFEST}"], documents=[json.dumps(manifest)], embeddings=[[0.0]],
             metadatas=[{"version": version, "file": MANIFEST, "part": 0, "parts": 1, "sha256": ""}])


def download(client, version: str, folder: Path) -> bool:
    """Fetch a version's tables from the side collection into folder (atomically); False when absent or damaged."""
    side = _side(client)
    if side is None:
        return False
    found = side.get(ids=[f"{version}/{MANIFEST}"], include=["documents"])
    manifest = json.loads(found["documents"][0]) if found["ids"] else _legacy_manifest(side, version)
    if "stamp.json" not in manifest:
        return False
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        # one file per task: the parts by id (no metadata filter, no paging), decoded while others transfer
        with ThreadPoolExecutor(FETCH_THREADS) as pool:
            fetched = pool.map(lambda item: _fetch(side, version, *item, tmp), sorted(manifest.items()))
            if not all(list(fetched)):
                return False
        if read_stamp(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fetch(side, version: str, name: str, entry: dict, tmp: Path) -> bool:
    """Fetch, decode and check one file of a version's tables into tmp; False when a part is missing or damaged."""
    chunks = entry.get("chunks")
    if chunks is None:
        ids = [_part_id(version, name, n) for n in range(entry["parts"])]
        found = side.get(ids=ids, include=["documents"])
        chunks = dict(zip((int(i.rsplit("/", 1)[1]) for i in found["ids"]), found["documents"]))
    if len(chunks) != entry["parts"]:
        return False
    try:
        data = base64.b64decode("".join(chunks[n] for n in range(entry["parts"])))
        data = zlib.decompress(data) if entry.get("codec") == "zlib" else data
    except (ValueError, zlib.error):  # damaged in transit or at rest: the hash would not match either
        return False
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return False
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / name).write_bytes(data)
    return True


def _legacy_manifest(side, version: str) -> dict:
    """Read a version uploaded before manifests (uncompressed parts, found by a paged metadata filter)."""
    files: dict[str, dict] = {}
    offset = 0
    while True:
        page = side.get(where={"version": version}, include=["documents", "metadatas"], limit=8, offset=offset)
        for doc, meta in zip(page["documents"], page["metadatas"]):
            files.setdefault(meta["file"], {"sha256": meta["sha256"], "parts": meta["parts"], "chunks": {}})
            files[meta["file"]]["chunks"][meta["part"]] = doc
        if len(page["ids"]) < 8:
            return files
        offset += 8


def _part_id(version: str, name: str, n: int) -> str:
    return f"{version}/{name}/{n}"


def delete_versions(client, versions: set[str] | None = None, keep: set[str] | None = None) -> None:
    """Delete side-collection tables of the named versions, or of every version not kept."""
    side = _side(client)
    if side is None:
        return
    metas = side.get(include=["metadatas"])
    ids = [i for i, m in zip(metas["ids"], metas["metadatas"])
           if (versions is not None and m["version"] in versions) or (keep is not None and m["version"] not in keep)]
    if ids:  # R14: never call delete with an empty list
        side.delete(ids=ids)


def drop_folders(root: Path, keep: set[str]) -> None:
    """Remove local tables folders of versions not kept (and leftovers of interrupted writes)."""
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def stamp_of(collection, glossary: str) -> Stamp:
    """The stamp a version's tables must carry to be used with this collection."""
    return Stamp(version=collection.name, collection_id=str(collection.id), records=collection.count(),
                 glossary=glossary)


def _side(client):
    """The side collection, or None when no version was ever mirrored."""
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(SIDE)
    except (NotFoundError, ValueError):
        return None
