"""Own the bounded Chroma HTTP client: every request to a server has a timeout (chromadb's default is none)."""
from __future__ import annotations

import httpx
from chromadb.api.fastapi import FastAPI


class BoundedFastAPI(FastAPI):
    """chromadb's HTTP API with a finite timeout, chosen by `chroma_api_impl` in the client settings."""

    def __init__(self, system):
        super().__init__(system)
        seconds = float(system.settings.chroma_query_request_timeout_seconds)
        # chromadb 1.5 builds its httpx client with timeout=None: a silent server would block a query for ever
        self._session.timeout = httpx.Timeout(seconds, connect=min(seconds, 3.0))
