"""The ``release_diff_cache`` table: what two releases' sources differ in."""

from __future__ import annotations

import time

from sbom_enrich.adapters.store.connection import StateFile

__all__ = ["ReleaseDiffTable"]


class ReleaseDiffTable(StateFile):
    """Release-pair diffs by key; released files never change, so entries never expire."""

    def cached_release_diff(self, key: str) -> str | None:
        """The JSON stored under ``key`` by :meth:`store_release_diff`, if any."""
        row = (
            self._connection()
            .execute("SELECT body FROM release_diff_cache WHERE key = ?", (key,))
            .fetchone()
        )
        return str(row[0]) if row is not None else None

    def store_release_diff(self, key: str, body: str) -> None:
        """Keep what two releases' sources differ in (``sbom_enrich.reach.symbols``), as JSON."""
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO release_diff_cache VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET body = excluded.body, stored_at = excluded.stored_at",
                (key, body, time.time()),
            )
