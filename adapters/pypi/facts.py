"""Gather everything PyPI can tell about one pinned release, as one frozen record.

This is the adapter :mod:`sbom_enrich.trust.assess` reads: it makes the requests (release route with
its fallback on the project route, Simple API, provenance of each file and of the nearest
earlier attested release) and verifies the provenance; it judges nothing. The record keeps only
what the judgement needs, not the megabytes of a project's full file list.

With a :class:`FactsCache`, each record is stored after it was gathered, and while it is fresh
(or in offline mode) it is read back instead of asking or decoding the HTTP responses again.
"""

from __future__ import annotations

import math
from typing import Protocol

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from sbom_enrich.adapters.pypi.attestations import verify_provenance
from sbom_enrich.adapters.pypi.index import ProjectPage, PyPIClient, SimpleProject
from sbom_enrich.model.facts import EarlierRelease, FileAttestation, PackageFacts
from sbom_enrich.model.index import (
    DistributionFile,
    IndexStatus,
    NotFound,
    ProjectMetadata,
    ReleaseInfo,
    Unavailable,
    parse_version,
)
from sbom_enrich.model.index import file_version as parse_file_version

__all__ = ["FactsCache", "PyPIFactSource"]

NO_PROVENANCE_SERVED = "index does not serve provenance (Simple API {version} < 1.3)"


class FactsCache(Protocol):
    """Where gathered facts are kept between runs (the state store)."""

    def cached_facts(self, key: str, max_age: float = math.inf) -> PackageFacts | None:
        """The facts stored under ``key`` at most ``max_age`` seconds ago, if any."""

    def store_facts(self, key: str, facts: PackageFacts) -> None:
        """Keep ``facts`` under ``key``."""


class PyPIFactSource:
    """Collect :class:`PackageFacts` through a :class:`PyPIClient`.

    ``cache`` stores every record; a record stored at most ``reuse_within`` seconds ago is
    answered from it without a request (``math.inf`` offline, the answers' default freshness
    online, 0 with ``--refresh``).
    """

    def __init__(
        self,
        pypi: PyPIClient,
        *,
        offline_trust_root: bool = True,
        cache: FactsCache | None = None,
        reuse_within: float = 0.0,
    ) -> None:
        self._pypi = pypi
        self._offline_trust_root = offline_trust_root
        self._cache = cache
        self._reuse_within = reuse_within

    def facts(self, name: str, version: str, sbom_sha256: str | None) -> PackageFacts:
        """Look up ``name`` ``version``; ``sbom_sha256`` is the SBOM's digest, if it has one."""
        project = canonicalize_name(name)
        key = f"{self._pypi.index_url} {project} {version} {sbom_sha256 or ''}"
        if self._cache is not None and self._reuse_within > 0:
            cached = self._cache.cached_facts(key, self._reuse_within)
            if cached is not None:
                return cached
        facts = self._gather(project, version, sbom_sha256)
        if self._cache is not None and not _has_failure(facts):
            self._cache.store_facts(key, facts)
        return facts

    def _gather(self, project: str, version: str, sbom_sha256: str | None) -> PackageFacts:
        release = self._pypi.release(project, version)
        metadata: ProjectMetadata | NotFound | Unavailable
        if isinstance(release, ReleaseInfo):
            metadata = release.metadata
        elif isinstance(release, NotFound):
            metadata = release.project or NotFound(f"project {project}")
        else:
            page = self._pypi.project(project)
            metadata = page.metadata if isinstance(page, ProjectPage) else page
        simple = self._simple(project, release)
        files = _files(release, simple, version)
        attestations, unavailable = self._attest(project, version, files, simple, sbom_sha256)
        earlier, earlier_count = self._earlier(project, version, simple)
        later = release.later_releases if isinstance(release, ReleaseInfo) else None
        if later is None and isinstance(simple, SimpleProject) and simple.raw_files:
            later = simple.later_releases(version)
        return PackageFacts(
            project=project,
            version=version,
            metadata=metadata,
            release=release,
            index=simple.index if isinstance(simple, SimpleProject) else simple,
            files=files,
            attestations=attestations,
            attestation_unavailable=unavailable,
            earlier_attested=earlier,
            earlier_releases_with_provenance=earlier_count,
            vulnerabilities=release.vulnerabilities if isinstance(release, ReleaseInfo) else None,
            later_releases=later,
            sbom_sha256=sbom_sha256.lower() if sbom_sha256 else None,
        )

    def _simple(
        self, project: str, release: ReleaseInfo | NotFound | Unavailable
    ) -> SimpleProject | NotFound | Unavailable:
        """The Simple API page, unless the index is known to add nothing to the JSON API.

        Below api-version 1.3 a page has neither provenance nor project status; once the index
        reported such a version, and the JSON API gave the release's files, it is not asked.
        """
        known = self._pypi.simple_api_version
        if known is not None and isinstance(release, ReleaseInfo):
            status = IndexStatus(known)
            if not status.serves_provenance:
                return SimpleProject(project, status, (), "")
        return self._pypi.simple(project)

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
        if not simple.index.serves_provenance:
            return (), NO_PROVENANCE_SERVED.format(version=simple.index.api_version)
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
        """Fetch and verify the provenance of one file (``provenance_url`` None means absent).

        A file whose name is not a distribution of ``project`` ``version`` is ``invalid``
        whatever its provenance says: an attestation proves where *that* file came from, and
        a listing can put another project's attested file under this project's name.
        """
        foreign = _foreign_file(file.filename, project, version)
        if foreign is not None:
            return FileAttestation(
                file.filename, "invalid", foreign, provenance_url=file.provenance_url
            )
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
        if not isinstance(simple, SimpleProject) or not simple.index.serves_provenance:
            return None, 0
        try:
            pinned = Version(version)
        except InvalidVersion:
            return None, 0
        attested: dict[Version, list[DistributionFile]] = {}
        for file in simple.attested_files():
            file_version = parse_file_version(file.filename)
            if file_version is not None and file_version < pinned:
                attested.setdefault(file_version, []).append(file)
        if not attested:
            return None, 0
        nearest = max(attested)
        first = attested[nearest][0]
        result = self.attest_file(project, str(nearest), first, first.sha256)
        earlier = EarlierRelease(str(nearest), result.publisher, result.status)
        return earlier, len(attested)


def _foreign_file(filename: str, project: str, version: str) -> str | None:
    """Why ``filename`` is not a distribution of ``project`` ``version``, or None if it is."""
    try:
        if filename.endswith(".whl"):
            name, parsed, _, _ = parse_wheel_filename(filename)
        else:
            name, parsed = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return f"{filename} is not a wheel or sdist file name"
    if name != canonicalize_name(project):
        return f"{filename} is a file of project {name}, not {canonicalize_name(project)}"
    pinned = parse_version(version)
    if pinned is None or parsed != pinned:
        return f"{filename} is a file of {name} {parsed}, not {version}"
    return None


def _has_failure(facts: PackageFacts) -> bool:
    """Facts with a failed source are not cached: the next run should ask again."""
    parts = (facts.metadata, facts.release, facts.index)
    return any(isinstance(part, Unavailable) for part in parts) or any(
        result.status == "unavailable" for result in facts.attestations
    )


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
