"""Advisory sources behind the AdvisorySource port: PyPI's JSON API and offline databases.

Every source answers for one pinned release with the advisories affecting it, or
:class:`~sbom_enrich.model.index.Unavailable` with the reason. "No advisories" is an answer
only when the source really covered that release: PyPI's per-release ``vulnerabilities`` are
unavailable when the index only served the project route, whose ``vulnerabilities`` describe
the latest release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sbom_enrich.adapters.advisories.database import AdvisoryDatabase
from sbom_enrich.model.advisory import Advisory, Partial, SourceResult
from sbom_enrich.model.facts import PackageFacts
from sbom_enrich.model.index import NotFound, ReleaseInfo, Unavailable

__all__ = [
    "PYPI_SOURCE",
    "DatabaseAdvisories",
    "PyPIAdvisories",
]

PYPI_SOURCE = "pypi"


class PyPIAdvisories:
    """PyPI's JSON API ``vulnerabilities`` (the PyPA advisory database), read from the facts."""

    name = PYPI_SOURCE

    def advisories(self, facts: PackageFacts) -> SourceResult:
        """See :class:`AdvisorySource`; withdrawn entries are dropped."""
        release = facts.release
        if isinstance(release, Unavailable):
            return Unavailable(f"the JSON API did not answer: {release.reason}")
        if isinstance(release, NotFound):
            return Unavailable(f"{facts.project} {facts.version} is not on the index")
        if facts.vulnerabilities is None:
            assert isinstance(release, ReleaseInfo)
            return Unavailable(
                f"the index does not serve /pypi/{facts.project}/{facts.version}/json, and its "
                f"project route lists vulnerabilities of the latest release "
                f"({release.metadata_version}) only"
            )
        return tuple(
            _from_pypi(entry) for entry in facts.vulnerabilities if not entry.get("withdrawn")
        )


def _from_pypi(entry: Mapping[str, Any]) -> Advisory:
    link = entry.get("link")
    return Advisory(
        id=str(entry["id"]),
        aliases=frozenset(str(a) for a in _sequence(entry.get("aliases"))),
        source=PYPI_SOURCE,
        summary=entry.get("summary") or None,
        details=entry.get("details") or None,
        fixed_in=tuple(str(v) for v in _sequence(entry.get("fixed_in"))),
        references=(str(link),) if link else (),
    )


def _sequence(value: object) -> Sequence[object]:
    return value if isinstance(value, list | tuple) else ()


class DatabaseAdvisories:
    """An offline OSV database given with ``--advisory-db``."""

    def __init__(self, database: AdvisoryDatabase) -> None:
        self.database = database
        self.name = database.name

    def advisories(self, facts: PackageFacts) -> SourceResult:
        """See :class:`AdvisorySource`; partial where records or the version cannot be read."""
        found, gaps = self.database.lookup(facts.project, facts.version, facts.sbom_sha256)
        return Partial(found, gaps) if gaps else found
