"""Own the bounded Chroma HTTP client: every request to a server has a timeout (chromadb's default is none)."""
from __future__ import annotations

from contextlib import contextmanager

import httpx


def bounded_http_client(host: str, port: int, ssl: bool, seconds: float, settings):
    """Open chromadb's HttpClient on a server that answers within seconds, with that timeout on every later request."""
    scheme = "https" if ssl else "http"
    # a preflight with a timeout: HttpClient's own first requests (tenant checks) have none
    httpx.get(f"{scheme}://{host}:{port}/api/v2/heartbeat", timeout=seconds).raise_for_status()
    import chromadb

    client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):  # chromadb 1.5 builds it with timeout=None: a silent server blocks for ever
        session.timeout = httpx.Timeout(seconds, connect=min(seconds, 3.0))
    return client


@contextmanager
def patient(client, factor: float):
    """Multiply a server client's request timeout while a block runs (a writer's steps), then restore it."""
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client) or session.timeout.read is None or factor <= 1:
        yield
        return
    before = session.timeout
    session.timeout = httpx.Timeout(before.read * factor, connect=before.connect)
    try:
        yield
    finally:
        session.timeout = before
