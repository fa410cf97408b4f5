"""The ``facts_cache`` table: facts gathered per release, reused while fresh and offline.

Reading them back is much cheaper than decoding megabytes of cached JSON again; the record's
encoding is :mod:`sbom_enrich.adapters.store.facts_codec`.
"""

from __future__ import annotations

import math
import time

from sbom_enrich.adapters.store.connection import StateFile
from sbom_enrich.adapters.store.facts_codec import FactsDecodeError, decode_facts, encode_facts
from sbom_enrich.model.facts import PackageFacts

__all__ = ["FactsCacheTable"]


class FactsCacheTable(StateFile):
    """Gathered facts by key (see :mod:`sbom_enrich.adapters.pypi.facts`)."""

    def cached_facts(self, key: str, max_age: float = math.inf) -> PackageFacts | None:
        """The facts stored under ``key`` at most ``max_age`` seconds ago.

        None when absent, older, of an old format, or unreadable.
        """
        pending = self._pending_value(("facts", key))
        if isinstance(pending, PackageFacts):
            return pending
        row = (
            self._connection()
            .execute("SELECT body, stored_at FROM facts_cache WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or time.time() - float(row[1]) > max_age:
            return None
        try:
            return decode_facts(row[0])
        except FactsDecodeError:
            return None

    def store_facts(self, key: str, facts: PackageFacts) -> None:
        """Keep ``facts`` under ``key``."""
        self._write_later(
            ("facts", key),
            facts,
            "INSERT INTO facts_cache VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET body = excluded.body, stored_at = excluded.stored_at",
            (key, encode_facts(facts), time.time()),
        )
