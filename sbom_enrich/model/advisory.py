"""An advisory as a source gave it, and what a source answers for one release."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from sbom_enrich.model.index import Unavailable

__all__ = [
    "Advisory",
    "Match",
    "Partial",
    "Rating",
    "SourceResult",
    "advisory_source",
]

Match = Literal["version", "name", "hash"]
"""How a record was found to affect a component: its versions or ranges name the component's
version; it covers every version of the name (malicious-package records); or the SBOM's sha256
is a file the record lists."""


@dataclass(frozen=True)
class Rating:
    """One severity rating: a CVSS vector with its computed base score, or a label."""

    method: str
    vector: str | None
    score: float | None
    severity: str | None


@dataclass(frozen=True)
class Advisory:
    """One advisory as a source gave it, already known to affect the component's version."""

    id: str
    aliases: frozenset[str]
    source: str
    summary: str | None = None
    details: str | None = None
    fixed_in: tuple[str, ...] = ()
    ratings: tuple[Rating, ...] = ()
    references: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    ecosystem_specific: tuple[Mapping[str, Any], ...] = ()
    database_specific: Mapping[str, Any] = field(default_factory=dict)
    match: Match = "version"

    @property
    def malicious(self) -> bool:
        """OSV's malicious-package records (``MAL-`` ids)."""
        return self.id.startswith("MAL-") or any(a.startswith("MAL-") for a in self.aliases)

    @property
    def ids(self) -> frozenset[str]:
        """The id and every alias."""
        return self.aliases | {self.id}


@dataclass(frozen=True)
class Partial:
    """A source answered, but part of what it holds could not be applied (``gaps`` say what).

    ``advisories`` are the ones that certainly affect the release; others may.
    """

    advisories: tuple[Advisory, ...]
    gaps: tuple[str, ...]


SourceResult = tuple[Advisory, ...] | Partial | Unavailable


_SOURCES = (
    ("CVE-", "NVD", "https://nvd.nist.gov/vuln/detail/"),
    ("GHSA-", "GitHub Advisories", "https://github.com/advisories/"),
    ("PYSEC-", "PyPA advisory database", "https://osv.dev/vulnerability/"),
    ("MAL-", "OSV malicious packages", "https://osv.dev/vulnerability/"),
)


def advisory_source(identifier: str) -> tuple[str, str]:
    """Who publishes the advisory ``identifier``, and the URL of its page there.

    The identifier is percent-encoded in the URL, so that one read from a database file cannot
    end a Markdown link or change where it points.
    """
    path = quote(identifier, safe="")
    for prefix, name, url in _SOURCES:
        if identifier.startswith(prefix):
            return name, url + path
    return "OSV", "https://osv.dev/vulnerability/" + path
