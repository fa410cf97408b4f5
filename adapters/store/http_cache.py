"""The ``http_cache`` table: HTTP responses, kept for revalidation and ``--offline``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sbom_enrich.adapters.store.connection import StateFile

__all__ = ["CachedResponse", "HttpCacheTable"]


@dataclass(frozen=True)
class CachedResponse:
    """One stored HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    stored_at: float


class HttpCacheTable(StateFile):
    """Stored HTTP responses, by method and URL."""

    def cached_response(self, method: str, url: str) -> CachedResponse | None:
        """The stored response for ``method`` ``url``, if any."""
        pending = self._pending_value(("http", f"{method} {url}"))
        if isinstance(pending, CachedResponse):
            return pending
        row = (
            self._connection()
            .execute(
                "SELECT status, headers, body, stored_at FROM http_cache "
                "WHERE method = ? AND url = ?",
                (method, url),
            )
            .fetchone()
        )
        if row is None:
            return None
        status, headers, body, stored_at = row
        return CachedResponse(int(status), json.loads(headers), bytes(body), float(stored_at))

    def store_response(self, method: str, url: str, response: CachedResponse) -> None:
        """Store (or replace) the response for ``method`` ``url``, in the background."""
        self._write_later(
            ("http", f"{method} {url}"),
            response,
            "INSERT INTO http_cache VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (method, url) DO UPDATE "
            "SET status = excluded.status, headers = excluded.headers, body = excluded.body, "
            "stored_at = excluded.stored_at",
            (
                method,
                url,
                response.status,
                json.dumps(dict(response.headers), sort_keys=True),
                response.body,
                response.stored_at,
            ),
        )
