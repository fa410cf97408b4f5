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


class StateStore(
    HttpCacheTable, FactsCacheTable, AdvisoryIndexTable, ReleaseDiffTable, BaselineTables
):
    """The state file with all its tables.

    HTTP cache, facts cache, advisory indexes, release diffs, and the ownership and publisher
    baseline.
    """
