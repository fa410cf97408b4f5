"""The state store: every table family of the state file behind one handle.

:class:`StateStore` is what the wiring opens and the core sees through its ports
(:class:`sbom_enrich.ports.Baseline`, :class:`sbom_enrich.ports.DiffStore`); each family's
queries live in its own module over the connection layer in
:mod:`sbom_enrich.adapters.store.connection`.
"""

from __future__ import annotations

from sbom_enrich.adapters.store.advisory_indexes import AdvisoryIndexTable
from sbom_enrich.adapters.store.baseline import BaselineTables
from sbom_enrich.adapters.store.facts_cache import FactsCacheTable
from sbom_enrich.adapters.store.http_cache import HttpCacheTable
from sbom_enrich.adapters.store.release_diffs import ReleaseDiffTable

__all__ = ["StateStore"]


_PRUNED = (
    ("http_cache", "stored_at"),
    ("facts_cache", "stored_at"),
    ("release_diff_cache", "stored_at"),
    ("advisory_db", "built_at"),
    ("trust_change", "last_seen"),
)
"""What ``prune`` removes: caches (refetched when needed) and the change feed, by age."""


class StateStore(
    HttpCacheTable, FactsCacheTable, AdvisoryIndexTable, ReleaseDiffTable, BaselineTables
):
    """The state store with all its tables.

    HTTP cache, facts cache, advisory indexes, release diffs, and the ownership and publisher
    baseline with its change feed.
    """

    def prune(self, before: float) -> dict[str, int]:
        """Remove cache entries and recorded changes older than ``before``; rows per table.

        The baseline itself stays whatever its age: without it, the next run would take a
        changed owner for a first observation.
        """
        removed: dict[str, int] = {}
        with self._transaction() as connection:
            for table, column in _PRUNED:
                cursor = connection.execute(f"DELETE FROM {table} WHERE {column} < ?", (before,))
                removed[table] = max(int(cursor.rowcount), 0)
            connection.execute(
                "DELETE FROM advisory_index WHERE fingerprint NOT IN "
                "(SELECT fingerprint FROM advisory_db)"
            )
        return removed
