"""Every interface the core calls on the outside world, and nothing else.

The core (trust, advisories, reach, rank, reports) is written against these protocols and the
records in :mod:`sbom_enrich.model`; :mod:`sbom_enrich.wiring` builds the adapters that
implement them, and a library user may pass their own (see ``docs/api.md``).

========================  ===================================================================
port                      implemented by
========================  ===================================================================
:class:`FactSource`       :class:`sbom_enrich.adapters.pypi.facts.PyPIFactSource`
:class:`Baseline`         :class:`sbom_enrich.adapters.store.state.StateStore`
:class:`AdvisorySource`   :mod:`sbom_enrich.adapters.advisories.sources`
:class:`AdvisoryRecords`  :class:`sbom_enrich.adapters.advisories.database.AdvisoryDatabase`
:class:`ReleaseSources`   :class:`sbom_enrich.adapters.pypi.release_sources.IndexReleaseSources`
:class:`DiffStore`        :class:`sbom_enrich.adapters.store.state.StateStore`
========================  ===================================================================

:class:`Ports` bundles ready implementations for the library API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sbom_enrich.model.advisory import Advisory, SourceResult
from sbom_enrich.model.baseline import OwnershipBaseline
from sbom_enrich.model.facts import FileAttestation, PackageFacts
from sbom_enrich.model.index import DistributionFile, NotFound, Unavailable
from sbom_enrich.model.sources import DistributionSources

__all__ = [
    "AdvisoryRecords",
    "AdvisorySource",
    "Baseline",
    "DiffStore",
    "FactSource",
    "Ports",
    "ReleaseSources",
]


class FactSource(Protocol):
    """Where facts about one release come from."""

    def facts(self, name: str, version: str, sbom_sha256: str | None) -> PackageFacts:
        """Everything the index says about ``name`` ``version``."""

    def attest_file(
        self, project: str, version: str, file: DistributionFile, sha256: str | None
    ) -> FileAttestation:
        """Fetch and verify the provenance of one listed file."""


class Baseline(Protocol):
    """The persisted ownership and publisher baseline."""

    def ownership(self, project: str) -> OwnershipBaseline | None:
        """The last recorded ownership of ``project``."""

    def publishers(self, project: str) -> dict[str, frozenset[str]]:
        """Publisher identities recorded per version."""

    def record_ownership(
        self, project: str, organization: str | None, roles: frozenset[tuple[str, str]], now: float
    ) -> None:
        """Make this the project's ownership baseline."""

    def record_publishers(
        self, project: str, version: str, identities: frozenset[str], now: float
    ) -> None:
        """Record a release's verified publishers."""

    def atomically(self) -> AbstractContextManager[None]:
        """A block whose records are kept all together or not at all."""


class AdvisorySource(Protocol):
    """One place advisories come from; ``name`` is how findings cite it."""

    name: str

    def advisories(self, facts: PackageFacts) -> SourceResult:
        """The advisories affecting ``facts.project`` ``facts.version``."""


class AdvisoryRecords(Protocol):
    """A database of OSV records, asked by project (names normalized)."""

    def advisories(self, project: str, version: str) -> tuple[Advisory, ...]:
        """Every advisory that affects ``project`` ``version``."""

    def record(self, project: str, identifier: str) -> Mapping[str, Any] | None:
        """The record of ``project`` whose id or one of whose aliases is ``identifier``."""


class ReleaseSources(Protocol):
    """A project's releases and the Python sources of each, from its index."""

    def releases(self, project: str) -> tuple[str, ...] | NotFound | Unavailable:
        """Every version the index lists for ``project``."""

    def sources(self, project: str, version: str) -> DistributionSources | Unavailable:
        """The sources of one release."""


class DiffStore(Protocol):
    """Where per-release-pair diffs are kept."""

    def cached_release_diff(self, key: str) -> str | None:
        """The JSON kept under ``key``."""

    def store_release_diff(self, key: str, body: str) -> None:
        """Keep ``body`` under ``key``."""


@dataclass(frozen=True)
class Ports:
    """Ready adapters for :func:`sbom_enrich.enrich`, instead of the ones ``LookupOptions`` builds.

    ``baseline`` is read and (with ``commit_baseline``) updated; None measures no drift, and
    ``baseline_unavailable`` (why the store did not answer) then reports every component's
    baseline as unavailable.
    ``advisories`` are asked in order. ``concurrency`` is how many releases are looked up at
    once.
    """

    facts: FactSource
    baseline: Baseline | None = None
    baseline_unavailable: str | None = None
    advisories: Sequence[AdvisorySource] = ()
    concurrency: int = 16
