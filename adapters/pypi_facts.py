"""Gather everything PyPI can tell about one pinned release, as one frozen record.

This is the adapter :mod:`sbom_enrich.trust` reads: it makes the requests (project route,
release route with its fallback, Simple API, provenance of each file and of the nearest earlier
attested release) and verifies the provenance; it judges nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from adapters.attestations import FileAttestation, PublisherIdentity, verify_provenance
from adapters.pypi import (
    DistributionFile,
    NotFound,
    ProjectMetadata,
    PyPIClient,
    ReleaseInfo,
    SimpleProject,
    Unavailable,
)
from adapters.pypi import file_version as parse_file_version

__all__ = ["EarlierRelease", "PackageFacts", "PyPIFactSource"]

NO_PROVENANCE_SERVED = "index does not serve provenance (Simple API {version} < 1.3)"


@dataclass(frozen=True)
class EarlierRelease:
    """The nearest release before the pinned one whose files have provenance."""

    version: str
    publisher: PublisherIdentity | None
    status: str


@dataclass(frozen=True)
class PackageFacts:
    """What the index says about ``project`` ``version``; each part may be NotFound/Unavailable."""

    project: str
    version: str
    metadata: ProjectMetadata | NotFound | Unavailable
    release: ReleaseInfo | NotFound | Unavailable
    simple: SimpleProject | NotFound | Unavailable
    files: tuple[DistributionFile, ...]
    attestations: tuple[FileAttestation, ...]
    attestation_unavailable: str | None
    earlier_attested: EarlierRelease | None
    earlier_releases_with_provenance: int


class PyPIFactSource:
    """Collect :class:`PackageFacts` through a :class:`PyPIClient`."""

    def __init__(self, pypi: PyPIClient, *, offline_trust_root: bool = True) -> None:
        self._pypi = pypi
        self._offline_trust_root = offline_trust_root

    def facts(self, name: str, version: str, sbom_sha256: str | None) -> PackageFacts:
        """Look up ``name`` ``version``; ``sbom_sha256`` is the SBOM's digest, if it has one."""
        project = canonicalize_name(name)
        release = self._pypi.release(project, version)
        metadata: ProjectMetadata | NotFound | Unavailable
        if isinstance(release, ReleaseInfo):
            metadata = release.metadata
        elif isinstance(release, Unavailable):
            metadata = self._pypi.project(project)
        else:
            metadata = release.project or NotFound(f"project {project}")
        simple = self._pypi.simple(project)
        files = _files(release, simple, version)
        attestations, unavailable = self._attest(project, version, files, simple, sbom_sha256)
        earlier, earlier_count = self._earlier(project, version, simple)
        return PackageFacts(
            project=project,
            version=version,
            metadata=metadata,
            release=release,
            simple=simple,
            files=files,
            attestations=attestations,
            attestation_unavailable=unavailable,
            earlier_attested=earlier,
            earlier_releases_with_provenance=earlier_count,
        )

    def _attest(
        self,
        project: str,
        version: str,
        files: tuple[DistributionFile, ...],
        simple: SimpleProject | NotFound | Unavailable,
        sbom_sha256: str | None,
    ) -> tuple[tuple[FileAttestation, ...], str | None]:
        if isinstance(simple, Unavailable):
            return (), f"Simple API unavailable: {simple.reason}"
        if isinstance(simple, NotFound):
            return (), "project not on the Simple API"
        if not simple.serves_provenance:
            return (), NO_PROVENANCE_SERVED.format(version=simple.api_version)
        results = []
        for file in files:
            digest = file.sha256
            if sbom_sha256 and digest and sbom_sha256.lower() == digest.lower():
                digest = sbom_sha256.lower()
            results.append(self.attest_file(project, version, file, digest))
        return tuple(results), None

    def attest_file(
        self, project: str, version: str, file: DistributionFile, sha256: str | None
    ) -> FileAttestation:
        """Fetch and verify the provenance of one file (``provenance_url`` None means absent)."""
        if file.provenance_url is None:
            return FileAttestation(file.filename, "absent")
        if sha256 is None:
            return FileAttestation(
                file.filename,
                "unavailable",
                "the index gives no sha256 for this file",
                provenance_url=file.provenance_url,
            )
        provenance = self._pypi.provenance(project, version, file)
        if isinstance(provenance, NotFound):
            return FileAttestation(file.filename, "absent", provenance_url=file.provenance_url)
        if isinstance(provenance, Unavailable):
            return FileAttestation(
                file.filename, "unavailable", provenance.reason, provenance_url=file.provenance_url
            )
        return verify_provenance(
            provenance,
            file.filename,
            sha256,
            offline=self._offline_trust_root,
            provenance_url=file.provenance_url,
        )

    def _earlier(
        self, project: str, version: str, simple: SimpleProject | NotFound | Unavailable
    ) -> tuple[EarlierRelease | None, int]:
        if not isinstance(simple, SimpleProject) or not simple.serves_provenance:
            return None, 0
        try:
            pinned = Version(version)
        except InvalidVersion:
            return None, 0
        attested: dict[Version, list[DistributionFile]] = {}
        for file in simple.files:
            file_version = parse_file_version(file.filename)
            if file_version is not None and file_version < pinned and file.provenance_url:
                attested.setdefault(file_version, []).append(file)
        if not attested:
            return None, 0
        nearest = max(attested)
        first = attested[nearest][0]
        result = self.attest_file(project, str(nearest), first, first.sha256)
        earlier = EarlierRelease(str(nearest), result.publisher, result.status)
        return earlier, len(attested)


def _files(
    release: ReleaseInfo | NotFound | Unavailable,
    simple: SimpleProject | NotFound | Unavailable,
    version: str,
) -> tuple[DistributionFile, ...]:
    """The release's files: the JSON API's, with the Simple API's provenance URLs merged in."""
    simple_files = simple.files_of(version) if isinstance(simple, SimpleProject) else ()
    if not isinstance(release, ReleaseInfo):
        return simple_files
    by_name = {f.filename: f for f in simple_files}
    merged = []
    for file in release.files:
        listed = by_name.get(file.filename)
        if listed is not None and listed.provenance_url:
            file = DistributionFile(
                file.filename,
                file.url,
                file.sha256 or listed.sha256,
                file.upload_time,
                file.yanked,
                file.yanked_reason,
                listed.provenance_url,
            )
        merged.append(file)
    return tuple(merged)
