"""PyPI's JSON, Simple and Integrity APIs, read through an injected :class:`httpx.Client`.

Every lookup returns a value: the data, :class:`NotFound` (the index answered 404 where that
means "does not exist") or :class:`Unavailable` (with the reason: network, status, bad body).
Nothing here raises for an upstream problem; callers decide what "unavailable" means to them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin

import httpx
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion

from sbom_enrich.adapters.http.freshness import IMMUTABLE
from sbom_enrich.model.index import (
    DistributionFile,
    IndexStatus,
    NotFound,
    Ownership,
    ProjectMetadata,
    ReleaseInfo,
    Unavailable,
    file_version,
    parse_version,
)

__all__ = [
    "DEFAULT_INDEX_URL",
    "INTEGRITY_ACCEPT",
    "SIMPLE_ACCEPT",
    "ProjectPage",
    "PyPIClient",
    "SimpleProject",
]

DEFAULT_INDEX_URL = "https://pypi.org/simple/"
SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json"
INTEGRITY_ACCEPT = "application/vnd.pypi.integrity.v1+json"


@dataclass(frozen=True)
class ProjectPage:
    """The project route's answer: the metadata, plus every release's files (kept raw)."""

    metadata: ProjectMetadata
    raw_releases: Mapping[str, Sequence[Mapping[str, Any]]]
    url: str
    raw_vulnerabilities: Sequence[Mapping[str, Any]] | None = ()
    """The ``vulnerabilities`` of the latest release; None when the answer had none (absent
    or null is "not served", never "no advisories")."""

    def later_releases(self, version: str) -> tuple[tuple[str, bool], ...]:
        """``(version, yanked)`` of every release after ``version``, oldest first.

        A release counts as yanked when all its files are.
        """
        return _later(
            (
                (v, bool(files) and all(f.get("yanked") for f in files))
                for v, files in self.raw_releases.items()
            ),
            version,
        )

    def release_files(self, version: str) -> tuple[DistributionFile, ...] | None:
        """The files of ``version`` (matched as PEP 440 versions), or None if not listed.

        Only that release's entries are converted: projects with thousands of files stay cheap.
        """
        if version in self.raw_releases:
            return _json_files(self.raw_releases[version], self.url)
        wanted = parse_version(version)
        if wanted is None:
            return None
        for candidate, files in self.raw_releases.items():
            if parse_version(candidate) == wanted:
                return _json_files(files, self.url)
        return None


@dataclass(frozen=True)
class SimpleProject:
    """The Simple API JSON page of a project; its files are kept raw and converted on demand."""

    name: str
    index: IndexStatus
    raw_files: Sequence[Mapping[str, Any]]
    url: str
    versions: tuple[str, ...] = ()

    def later_releases(self, version: str) -> tuple[tuple[str, bool], ...]:
        """``(version, yanked)`` of every listed version after ``version``, oldest first."""
        yanked: dict[str, bool] = {}
        for raw in self.raw_files:
            parsed = file_version(str(raw.get("filename", "")))
            if parsed is not None:
                key = str(parsed)
                yanked[key] = yanked.get(key, True) and bool(raw.get("yanked"))
        versions = set(self.versions) | set(yanked)
        return _later(((v, yanked.get(v, False)) for v in versions), version)

    def files_of(self, version: str) -> tuple[DistributionFile, ...]:
        """The files of one version, matched by the (normalized) version in their names."""
        wanted = parse_version(version)
        if wanted is None:
            return ()
        return tuple(
            self._file(raw)
            for raw in self.raw_files
            if file_version(str(raw.get("filename", ""))) == wanted
        )

    def attested_files(self) -> tuple[DistributionFile, ...]:
        """Every file that has a provenance URL."""
        return tuple(self._file(raw) for raw in self.raw_files if raw.get("provenance"))

    def _file(self, raw: Mapping[str, Any]) -> DistributionFile:
        yanked = raw.get("yanked")
        return DistributionFile(
            filename=str(raw["filename"]),
            url=urljoin(self.url, str(raw["url"])),
            sha256=(raw.get("hashes") or {}).get("sha256"),
            upload_time=_timestamp(raw.get("upload-time")),
            yanked=bool(yanked),
            yanked_reason=yanked if isinstance(yanked, str) else None,
            provenance_url=urljoin(self.url, raw["provenance"]) if raw.get("provenance") else None,
        )


ProjectLookup = ProjectPage | NotFound | Unavailable
ReleaseLookup = ReleaseInfo | NotFound | Unavailable
SimpleLookup = SimpleProject | NotFound | Unavailable
ProvenanceLookup = bytes | NotFound | Unavailable


@dataclass
class PyPIClient:
    """Read one index. ``index_url`` is the Simple API root, as pip's ``--index-url``.

    The JSON and Integrity APIs are taken to live beside it (``<root>/pypi/``,
    ``<root>/integrity/``) where the index URL ends in ``/simple/``.
    """

    client: httpx.Client
    index_url: str = DEFAULT_INDEX_URL
    learn: bool = True
    """Whether to remember what the index does not serve (off when recording, so that a
    recording holds every response whatever order the lookups ran in)."""
    _root: str = field(init=False)
    release_route_missing: bool = field(init=False, default=False)
    """Set once the release route answered 404 for a release the project route lists: this
    index does not serve that route, so later lookups go to the project route directly."""
    simple_api_version: str | None = field(init=False, default=None)
    """The Simple API version the index last reported."""

    def __post_init__(self) -> None:
        if not self.index_url.endswith("/"):
            self.index_url += "/"
        root = self.index_url
        if root.endswith("/simple/"):
            root = root[: -len("simple/")]
        self._root = root

    def project(self, name: str) -> ProjectLookup:
        """The project route: current metadata of the latest release, all releases, ownership."""
        segment = _project_segment(name)
        if isinstance(segment, Unavailable):
            return segment
        url = f"{self._root}pypi/{segment}/json"
        body = self._get_json(url, "application/json")
        if not isinstance(body, tuple):
            return body if not isinstance(body, NotFound) else NotFound(f"project {name}")
        data, final_url = body
        try:
            releases = data.get("releases") or {}
            if not isinstance(releases, dict) or not all(
                isinstance(files, list) for files in releases.values()
            ):
                raise TypeError("releases is not an object of file lists")
            metadata = _project_metadata(data, name)
            return ProjectPage(metadata, releases, final_url, _vulnerabilities(data))
        except (KeyError, TypeError, ValueError) as err:
            return Unavailable(f"unexpected JSON from {url}: {err}")

    def release(self, name: str, version: str) -> ReleaseLookup:
        """One release from the release route, falling back on the project route.

        A 404 on the release route alone never means "not on the index": some mirrors do not
        serve that route. The project route's ``releases`` map then decides.
        """
        segment = _project_segment(name)
        if isinstance(segment, Unavailable):
            return segment
        url = f"{self._root}pypi/{segment}/{quote(version, safe='')}/json"
        body = (
            NotFound(url) if self.release_route_missing else self._get_json(url, "application/json")
        )
        if isinstance(body, tuple):
            data, final_url = body
            try:
                metadata = _project_metadata(data, name)
                if not _same_version(metadata.metadata_version, version):
                    raise ValueError(f"it describes release {metadata.metadata_version}")
                files = _json_files(data.get("urls", []), final_url)
                vulnerabilities = _vulnerabilities(data)
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                return Unavailable(f"unexpected JSON from {url}: {err}")
            return ReleaseInfo(
                version,
                files,
                metadata,
                False,
                metadata.yanked,
                metadata.yanked_reason,
                vulnerabilities=vulnerabilities,
            )
        page = self.project(name)
        if not isinstance(page, ProjectPage):
            return page
        listed = page.release_files(version)
        if listed is None:
            return NotFound(f"{name} {version}", page.metadata)
        if isinstance(body, NotFound) and self.learn:
            self.release_route_missing = True
        files = listed
        yanked = bool(files) and all(f.yanked for f in files)
        reason = next((f.yanked_reason for f in files if f.yanked_reason), None)
        describes_pinned = _same_version(page.metadata.metadata_version, version)
        return ReleaseInfo(
            version,
            files,
            page.metadata,
            True,
            yanked,
            reason,
            vulnerabilities=(
                tuple(page.raw_vulnerabilities)
                if describes_pinned and page.raw_vulnerabilities is not None
                else None
            ),
            later_releases=page.later_releases(version),
        )

    def simple(self, name: str) -> SimpleLookup:
        """The Simple API JSON page (files, provenance URLs, project status)."""
        segment = _project_segment(name)
        if isinstance(segment, Unavailable):
            return segment
        url = f"{self.index_url}{segment}/"
        body = self._get_json(url, SIMPLE_ACCEPT)
        if not isinstance(body, tuple):
            return body if not isinstance(body, NotFound) else NotFound(f"project {name}")
        data, final_url = body
        try:
            page = _simple_project(name, data, final_url)
        except (KeyError, TypeError, ValueError, AttributeError, InvalidVersion) as err:
            return Unavailable(f"unexpected JSON from {url}: {err}")
        if self.learn:
            self.simple_api_version = page.index.api_version
        return page

    def provenance(self, name: str, version: str, file: DistributionFile) -> ProvenanceLookup:
        """The PEP 740 provenance of ``file``: raw JSON, NotFound (404), or Unavailable."""
        segment = _project_segment(name)
        if isinstance(segment, Unavailable):
            return segment
        url = file.provenance_url or (
            f"{self._root}integrity/{segment}/{quote(version, safe='')}/"
            f"{quote(file.filename, safe='')}/provenance"
        )
        try:
            response = self.client.get(
                url, headers={"Accept": INTEGRITY_ACCEPT}, extensions={IMMUTABLE: True}
            )
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            return Unavailable(f"{url}: {_describe(err)}")
        if response.status_code == 404:
            return NotFound(f"provenance of {file.filename}")
        if response.status_code == 403:
            return Unavailable(f"{url}: 403 (provenance temporarily disabled)")
        if response.status_code != 200:
            return Unavailable(f"{url}: HTTP {response.status_code}")
        return response.content

    def _get_json(
        self, url: str, accept: str
    ) -> tuple[dict[str, Any], str] | NotFound | Unavailable:
        try:
            response = self.client.get(url, headers={"Accept": accept})
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            return Unavailable(f"{url}: {_describe(err)}")
        if _host(response.url) != _host(httpx.URL(url)):
            return Unavailable(f"{url}: redirected to another host ({_host(response.url)})")
        if response.status_code == 404:
            return NotFound(url)
        if response.status_code != 200:
            return Unavailable(f"{url}: HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "")
        if "json" not in content_type:
            return Unavailable(f"{url}: expected JSON, got {content_type or 'no content type'}")
        try:
            data = json.loads(response.content)
        except (ValueError, RecursionError) as err:
            return Unavailable(f"{url}: invalid JSON ({type(err).__name__})")
        if not isinstance(data, dict):
            return Unavailable(f"{url}: expected a JSON object")
        return data, str(response.url)


def _project_segment(name: str) -> str | Unavailable:
    """The URL path segment of a project: its PEP 503 name, only if it is a valid name.

    A name or version from an SBOM is attacker-controlled text: an invalid name is never
    sent, and every segment is percent-encoded whole, so ``/`` or ``..`` cannot change which
    project the index answers for.
    """
    try:
        return quote(canonicalize_name(name, validate=True), safe="")
    except InvalidName:
        return Unavailable(f"{_shown(name)} is not a valid project name")


def _shown(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _same_version(a: str, b: str) -> bool:
    parsed = parse_version(a)
    return a == b or (parsed is not None and parsed == parse_version(b))


def _host(url: httpx.URL) -> str:
    """The host an answer came from (a redirect from http to https on it is fine)."""
    return url.host


def _vulnerabilities(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...] | None:
    """The answer's ``vulnerabilities``; None when absent or null (not served)."""
    raw = data.get("vulnerabilities")
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("id"), str) for entry in raw
    ):
        raise TypeError("vulnerabilities is not a list of objects with an id")
    return tuple(raw)


def _describe(err: httpx.HTTPError | httpx.InvalidURL) -> str:
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _project_metadata(data: Mapping[str, Any], asked: str) -> ProjectMetadata:
    """The metadata of an answer, which must be about the project ``asked`` for."""
    info = data["info"]
    if not isinstance(info, dict):
        raise TypeError("info is not an object")
    name = str(info["name"])
    if canonicalize_name(name) != canonicalize_name(asked):
        raise ValueError(f"the answer is about project {_shown(name)}, not {_shown(asked)}")
    ownership_data = data.get("ownership")
    ownership = None
    if isinstance(ownership_data, dict):
        organization = ownership_data.get("organization")
        ownership = Ownership(
            frozenset((str(r["user"]), str(r["role"])) for r in ownership_data.get("roles") or []),
            str(organization) if organization else None,
        )
    urls = info.get("project_urls") or {}
    if not isinstance(urls, dict):
        raise TypeError("project_urls is not an object")
    return ProjectMetadata(
        name=name,
        metadata_version=str(info["version"]),
        author=info.get("author") or None,
        author_email=info.get("author_email") or None,
        maintainer=info.get("maintainer") or None,
        maintainer_email=info.get("maintainer_email") or None,
        project_urls={str(k): str(v) for k, v in urls.items()},
        ownership=ownership,
        yanked=bool(info.get("yanked")),
        yanked_reason=info.get("yanked_reason") or None,
    )


def _json_files(files: Sequence[Mapping[str, Any]], base_url: str) -> tuple[DistributionFile, ...]:
    return tuple(
        DistributionFile(
            filename=str(f["filename"]),
            url=urljoin(base_url, str(f["url"])),
            sha256=(f.get("digests") or {}).get("sha256"),
            upload_time=_timestamp(f.get("upload_time_iso_8601") or f.get("upload_time")),
            yanked=bool(f.get("yanked")),
            yanked_reason=f.get("yanked_reason") or None,
        )
        for f in files
    )


def _simple_project(name: str, data: Mapping[str, Any], url: str) -> SimpleProject:
    meta = data.get("meta") or {}
    status_block = data.get("project-status") or meta.get("project-status") or {}
    files = data.get("files", [])
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and "filename" in f for f in files
    ):
        raise ValueError("files must be a list of objects with a filename")
    index = IndexStatus(
        api_version=str(meta.get("api-version", "1.0")),
        status=status_block.get("status"),
        status_reason=status_block.get("reason"),
    )
    listed = str(data.get("name", name))
    if canonicalize_name(listed) != canonicalize_name(name):
        raise ValueError(f"the page is about project {_shown(listed)}, not {_shown(name)}")
    versions = tuple(str(v) for v in data.get("versions") or ())
    return SimpleProject(listed, index, files, url, versions)


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _later(pairs: Iterable[tuple[str, bool]], version: str) -> tuple[tuple[str, bool], ...]:
    pinned = parse_version(version)
    if pinned is None:
        return ()
    later = []
    for candidate, yanked in pairs:
        parsed = parse_version(candidate)
        if parsed is not None and parsed > pinned:
            later.append((parsed, candidate, yanked))
    return tuple((candidate, yanked) for _, candidate, yanked in sorted(later))
