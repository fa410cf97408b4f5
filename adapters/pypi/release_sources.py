"""Download one release's distribution file and read its Python sources.

A pure wheel (``-none-any.whl``) is preferred, then an sdist, then any wheel: all hold the same
Python sources, and a pure wheel is the smallest and simplest to read. The file's sha256 is
checked against the index's digest. Nothing is installed, imported or run.
"""

from __future__ import annotations

import hashlib

import httpx

from sbom_enrich.adapters.http.freshness import IMMUTABLE
from sbom_enrich.adapters.pypi.distributions import UnreadableDistribution, read_sources
from sbom_enrich.adapters.pypi.index import ProjectPage, PyPIClient
from sbom_enrich.model.index import DistributionFile, NotFound, ReleaseInfo, Unavailable
from sbom_enrich.model.sources import DistributionSources

__all__ = ["IndexReleaseSources", "choose_file"]


def choose_file(files: tuple[DistributionFile, ...]) -> DistributionFile | None:
    """The file to read: a pure wheel, else an sdist, else any wheel."""
    for suffixes in (("-none-any.whl",), (".tar.gz", ".zip"), (".whl",)):
        for file in files:
            if file.filename.endswith(suffixes) and not file.yanked:
                return file
    return None


class IndexReleaseSources:
    """Fetch sources through a :class:`PyPIClient` (so through the cache and the replay)."""

    def __init__(self, pypi: PyPIClient) -> None:
        self._pypi = pypi

    def releases(self, project: str) -> tuple[str, ...] | NotFound | Unavailable:
        """Every version the project page lists, as the index spells them."""
        page = self._pypi.project(project)
        return tuple(page.raw_releases) if isinstance(page, ProjectPage) else page

    def sources(self, project: str, version: str) -> DistributionSources | Unavailable:
        """The Python sources of ``project`` ``version``, or why they could not be read."""
        release = self._pypi.release(project, version)
        if not isinstance(release, ReleaseInfo):
            what = release.reason if isinstance(release, Unavailable) else "not on the index"
            return Unavailable(f"{project} {version}: {what}")
        file = choose_file(release.files)
        if file is None:
            return Unavailable(f"{project} {version}: no wheel or sdist to read")
        try:
            response = self._pypi.client.get(file.url, extensions={IMMUTABLE: True})
        except httpx.HTTPError as err:
            return Unavailable(f"{file.url}: {type(err).__name__}: {err}")
        if response.status_code != 200:
            return Unavailable(f"{file.url}: HTTP {response.status_code}")
        digest = hashlib.sha256(response.content).hexdigest()
        if file.sha256 and digest != file.sha256.lower():
            return Unavailable(f"{file.filename}: sha256 {digest} is not the index's {file.sha256}")
        try:
            return read_sources(file.filename, response.content)
        except UnreadableDistribution as err:
            return Unavailable(f"{file.filename}: {err}")
