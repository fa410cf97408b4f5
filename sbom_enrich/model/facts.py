"""What the index says about one pinned release, gathered once: the record trust judges.

:class:`PackageFacts` is built by a fact source (for PyPI,
:class:`sbom_enrich.adapters.pypi.facts.PyPIFactSource`) and read by :mod:`sbom_enrich.trust`;
it holds data, never a judgement. A publisher identity is the one a verified attestation
proved; a failed one is kept only as ``claimed_publisher``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sbom_enrich.model.index import (
    DistributionFile,
    IndexStatus,
    NotFound,
    ProjectMetadata,
    ReleaseInfo,
    Unavailable,
)

__all__ = [
    "AttestationStatus",
    "EarlierRelease",
    "FileAttestation",
    "PackageFacts",
    "PublisherIdentity",
]


AttestationStatus = Literal["verified", "invalid", "absent", "unavailable"]


@dataclass(frozen=True)
class PublisherIdentity:
    """A Trusted Publisher identity.

    ``environment_verified`` is True only when the signing certificate carries the environment.
    """

    kind: str
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = None
    environment_verified: bool = False
    email: str | None = None

    @property
    def key(self) -> str:
        """What must stay the same from release to release (environment aside)."""
        if self.kind == "Google":
            return f"Google:{self.email}"
        return f"{self.kind}:{self.repository}:{self.workflow}"

    def describe(self) -> str:
        """A short human form, for example ``GitHub pypa/sampleproject release.yml``."""
        if self.kind == "Google":
            return f"Google {self.email}"
        text = f"{self.kind} {self.repository} {self.workflow}"
        if self.environment:
            state = "" if self.environment_verified else ", not verified"
            text += f" (environment {self.environment}{state})"
        return text

    @property
    def repository_url(self) -> str | None:
        """The repository as a URL, where the kind has one."""
        host = {"GitHub": "https://github.com/", "GitLab": "https://gitlab.com/"}.get(self.kind)
        return f"{host}{self.repository}" if host and self.repository else None


@dataclass(frozen=True)
class FileAttestation:
    """The attestation verdict for one distribution file."""

    filename: str
    status: AttestationStatus
    reason: str | None = None
    publisher: PublisherIdentity | None = None
    claimed_publisher: PublisherIdentity | None = None
    predicate_types: tuple[str, ...] = ()
    provenance_url: str | None = None


@dataclass(frozen=True)
class EarlierRelease:
    """The nearest release before the pinned one whose files have provenance."""

    version: str
    publisher: PublisherIdentity | None
    status: str


@dataclass(frozen=True)
class PackageFacts:
    """What the index says about ``project`` ``version``; each part may be NotFound/Unavailable.

    ``files`` are the pinned release's files, with the Simple API's provenance URLs merged in.
    """

    project: str
    version: str
    metadata: ProjectMetadata | NotFound | Unavailable
    release: ReleaseInfo | NotFound | Unavailable
    index: IndexStatus | NotFound | Unavailable
    files: tuple[DistributionFile, ...]
    attestations: tuple[FileAttestation, ...]
    attestation_unavailable: str | None
    earlier_attested: EarlierRelease | None
    earlier_releases_with_provenance: int
    vulnerabilities: tuple[Mapping[str, Any], ...] | None = None
    """PyPI's advisories for the pinned release; None when the index did not serve them."""
    later_releases: tuple[tuple[str, bool], ...] | None = None
    """``(version, yanked)`` of the releases after the pinned one; None when unknown."""
    sbom_sha256: str | None = None
    """The SBOM's sha256 of the component's file, when it gives one (lowercase hex)."""
