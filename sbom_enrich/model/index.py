"""What a package index says about a project and its releases, whichever adapter asked it.

Every lookup answers with a value: the data, :class:`NotFound` (the index said it does not
exist) or :class:`Unavailable` (it did not answer usefully, with the reason). "Unavailable" is
never read as "none".
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packaging.version import InvalidVersion, Version

__all__ = [
    "DistributionFile",
    "IndexStatus",
    "NotFound",
    "Ownership",
    "ProjectMetadata",
    "ReleaseInfo",
    "Unavailable",
    "file_version",
    "parse_version",
]


_PROVENANCE_API_VERSION = Version("1.3")


@dataclass(frozen=True)
class Unavailable:
    """A source did not answer usefully; ``reason`` says why (shown to the user)."""

    reason: str


@dataclass(frozen=True)
class NotFound:
    """The index answered that the thing does not exist (``what`` names it).

    For a release that is missing from a project that exists, ``project`` holds the project.
    """

    what: str
    project: ProjectMetadata | None = None


@dataclass(frozen=True)
class DistributionFile:
    """One file of a release, as the JSON or Simple API lists it."""

    filename: str
    url: str
    sha256: str | None
    upload_time: datetime | None = None
    yanked: bool = False
    yanked_reason: str | None = None
    provenance_url: str | None = None

    @property
    def is_wheel(self) -> bool:
        """True for ``.whl`` files."""
        return self.filename.endswith(".whl")


@dataclass(frozen=True)
class Ownership:
    """The project's current owners and maintainers on PyPI and its organisation."""

    roles: frozenset[tuple[str, str]]
    organization: str | None


@dataclass(frozen=True)
class ProjectMetadata:
    """What the project route ``/pypi/<name>/json`` (or the release route) says."""

    name: str
    metadata_version: str
    author: str | None
    author_email: str | None
    maintainer: str | None
    maintainer_email: str | None
    project_urls: Mapping[str, str]
    ownership: Ownership | None
    yanked: bool = False
    yanked_reason: str | None = None


@dataclass(frozen=True)
class ReleaseInfo:
    """One release: its files and the core metadata we could get.

    ``metadata_version`` is the release whose core metadata ``metadata`` describes: the pinned
    version when the release route answered, the latest release when only the project route did
    (``from_project_route``).
    """

    version: str
    files: tuple[DistributionFile, ...]
    metadata: ProjectMetadata
    from_project_route: bool
    yanked: bool
    yanked_reason: str | None
    vulnerabilities: tuple[Mapping[str, Any], ...] | None = None
    """PyPI's ``vulnerabilities`` for this release; None when the index did not serve them for
    this release (only the project route answered, and it describes another release)."""
    later_releases: tuple[tuple[str, bool], ...] | None = None
    """``(version, yanked)`` of the releases after this one, when the project route was read."""

    @property
    def metadata_version(self) -> str:
        """Which release the core metadata describes."""
        return self.metadata.metadata_version


@dataclass(frozen=True)
class IndexStatus:
    """What the Simple API says about the project as a whole (PEP 700, PEP 792)."""

    api_version: str
    status: str | None = None
    status_reason: str | None = None

    @property
    def serves_provenance(self) -> bool:
        """Whether files carry ``provenance`` keys (api-version 1.3 and later)."""
        parsed = parse_version(self.api_version)
        return parsed is not None and parsed >= _PROVENANCE_API_VERSION


_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar")


def file_version(filename: str) -> Version | None:
    """The version in a wheel or sdist file name, or None when the name has none.

    Read from the name's layout (``name-version-...whl``, ``name-version.tar.gz``) rather than
    by a full filename validation: projects list hundreds of thousands of files, and the
    version strings repeat, so parsing them is memoized.
    """
    if filename.endswith(".whl"):
        parts = filename.split("-")
        return parse_version(parts[1]) if len(parts) in (5, 6) else None
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            return parse_version(filename[: -len(suffix)].rpartition("-")[2])
    return None


@functools.lru_cache(maxsize=65536)
def parse_version(text: str) -> Version | None:
    """``Version(text)``, or None when it is not a PEP 440 version; memoized."""
    try:
        return Version(text)
    except InvalidVersion:
        return None
