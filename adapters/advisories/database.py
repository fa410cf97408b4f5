"""An offline advisory database (``--advisory-db``), indexed once by project name.

Two layouts are read, as a zip file or a directory:

- OSV's per-ecosystem export: OSV JSON records (``PYSEC-....json``, ``GHSA-....json``,
  ``MAL-....json``), as ``https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip``;
- the PyPA advisory-database layout: ``vulns/<project>/<ID>.yaml`` (OSV records in YAML).

The first use of a database builds its index: every record under each normalized project name
it affects. With a state store the index is kept there, keyed by a fingerprint of the database
(the zip's sha256, or every file's path, size and modification time for a directory), so later
runs look up a project without reading the database at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sbom_enrich.adapters.advisories.osv import advisory_from_osv, normalize_record
from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.model.advisory import Advisory
from sbom_enrich.model.affected import (
    affected_projects,
    is_affected,
    is_malicious,
    malicious_match,
    unreadable_part,
)
from sbom_enrich.model.index import parse_version
from sbom_enrich.reachability.files import UnreadableFile, read_bounded

__all__ = ["AdvisoryDatabase", "AdvisoryDatabaseError", "AdvisoryIndexStore", "DatabaseSummary"]


class AdvisoryDatabaseError(AdapterError):
    """The database path cannot be read, or holds no OSV records."""


@dataclass(frozen=True)
class DatabaseSummary:
    """What indexing found: records kept, records skipped (with the first reason)."""

    records: int
    skipped: int
    first_skip: str | None


class AdvisoryIndexStore(Protocol):
    """Where built indexes are kept (:class:`sbom_enrich.adapters.store.state.StateStore`)."""

    def advisory_index_summary(self, fingerprint: str) -> DatabaseSummary | None:
        """The summary of a built index, or None if none was built for ``fingerprint``."""

    def advisory_records(self, fingerprint: str, project: str) -> list[dict[str, Any]]:
        """The records indexed under ``project``."""

    def save_advisory_index(
        self, fingerprint: str, index: Mapping[str, list[dict[str, Any]]], summary: DatabaseSummary
    ) -> None:
        """Keep a built index."""


class AdvisoryDatabase:
    """Look up the advisories affecting one release in an offline OSV database."""

    def __init__(self, path: Path, store: AdvisoryIndexStore | None = None) -> None:
        self.path = path
        self.name = f"osv-db:{path.name}"
        self._store = store
        self._fingerprint = _fingerprint(path)
        self._index: dict[str, list[dict[str, Any]]] | None = None
        summary = store.advisory_index_summary(self._fingerprint) if store else None
        if summary is None:
            index, summary = _build(path)
            if store is not None:
                store.save_advisory_index(self._fingerprint, index, summary)
            else:
                self._index = index
        self.summary = summary

    def records(self, project: str) -> list[dict[str, Any]]:
        """Every OSV record (as JSON) that names ``project`` (normalized) in ``affected``."""
        if self._index is not None:
            return self._index.get(project, [])
        assert self._store is not None
        return self._store.advisory_records(self._fingerprint, project)

    def record(self, project: str, identifier: str) -> dict[str, Any] | None:
        """The record of ``project`` whose id or one of whose aliases is ``identifier``."""
        for record in self.records(project):
            if identifier == record.get("id") or identifier in (record.get("aliases") or ()):
                return record
        return None

    def advisories(self, project: str, version: str) -> tuple[Advisory, ...]:
        """Every non-withdrawn advisory of the database that affects ``project`` ``version``."""
        return self.lookup(project, version)[0]

    def lookup(
        self, project: str, version: str, sha256: str | None = None
    ) -> tuple[tuple[Advisory, ...], tuple[str, ...]]:
        """The advisories affecting ``project`` ``version``, and why that may be incomplete.

        ``sha256`` is the SBOM's digest of the component's file: a malicious-package record
        that lists it matches whatever the version (:func:`.malicious_match`).

        A version that is not PEP 440 cannot be placed in any range, and a record whose
        ranges cannot be read might affect it: both are named (one reason each), so that "no
        advisory" is never said for them.
        """
        records = self.records(project)
        found = []
        for record in records:
            match = (
                malicious_match(record, project, version, sha256)
                if is_malicious(record)
                else ("version" if is_affected(record, project, version) else None)
            )
            if match is not None:
                found.append(replace(advisory_from_osv(record, project, self.name), match=match))
        gaps = []
        if parse_version(version) is None:
            gaps.append(f"{version[:80]!r} is not a PEP 440 version: ranges cannot be compared")
        for record in records:
            if record.get("withdrawn"):
                continue
            problem = unreadable_part(record, project)
            if problem is not None:
                gaps.append(f"record {str(record['id'])[:80]} cannot be read: {problem}")
        return tuple(found), tuple(gaps)


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    stat = os.stat(os.path.join(root, name))
                    relative = os.path.relpath(os.path.join(root, name), path)
                    digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        else:
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
    except OSError as err:
        raise AdvisoryDatabaseError(f"{path}: cannot read: {err.strerror or err}") from err
    return digest.hexdigest()


_MAX_RECORD_BYTES = 4 * 1024 * 1024
"""The largest record we read; the largest in OSV's PyPI export is well under 1 MiB."""


def _build(path: Path) -> tuple[dict[str, list[dict[str, Any]]], DatabaseSummary]:
    index: dict[str, list[dict[str, Any]]] = {}
    records = skipped = 0
    first_skip = None
    for name, raw in _members(path):
        try:
            if isinstance(raw, str):
                raise ValueError(raw)
            record = normalize_record(_parse(name, raw))
        except ValueError as err:
            skipped += 1
            first_skip = first_skip or f"{name}: {err}"
            continue
        records += 1
        for project in affected_projects(record):
            index.setdefault(project, []).append(record)
    if records == 0:
        raise AdvisoryDatabaseError(
            f"{path}: no OSV records found (expected OSV JSON files, or vulns/<project>/<ID>.yaml)"
            + (f"; first problem: {first_skip}" if first_skip else "")
        )
    return index, DatabaseSummary(records, skipped, first_skip)


def _members(path: Path) -> Iterator[tuple[str, bytes | str]]:
    """Each record file's name and bytes, or the reason it cannot be read (a str)."""
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if _is_record_name(name):
                    full = os.path.join(root, name)
                    try:
                        yield os.path.relpath(full, path), read_bounded(full, _MAX_RECORD_BYTES)
                    except UnreadableFile as err:
                        yield os.path.relpath(full, path), str(err)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir() and _is_record_name(info.filename):
                    yield info.filename, _member(archive, info)
    except (zipfile.BadZipFile, OSError) as err:
        raise AdvisoryDatabaseError(
            f"{path}: not a zip file or directory of OSV records ({err})"
        ) from err


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | str:
    """A member's bytes, read no further than its declared size, or why it cannot be read."""
    if info.file_size > _MAX_RECORD_BYTES:
        return f"larger than {_MAX_RECORD_BYTES} bytes"
    try:
        with archive.open(info) as stream:
            return stream.read(_MAX_RECORD_BYTES + 1)[:_MAX_RECORD_BYTES]
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, OSError) as err:
        return f"cannot be read from the zip ({type(err).__name__}: {err})"


def _is_record_name(name: str) -> bool:
    return name.endswith((".json", ".yaml", ".yml"))


def _parse(name: str, raw: bytes) -> Any:
    if name.endswith(".json"):
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as err:
            raise ValueError(f"invalid JSON ({type(err).__name__}: {err})") from err
    import yaml

    # A safe loader builds plain data only, but follows aliases: 500 bytes of nested aliases
    # expand to gigabytes. Records never use them, so a text that could hold one (an anchor
    # "&" or an alias "*") is first read as events, which expand nothing, and refused if one
    # of them is an alias. Both passes run in libyaml where PyYAML has it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if (b"&" in raw or b"*" in raw) and any(
            isinstance(event, yaml.AliasEvent) for event in yaml.parse(raw, Loader=loader)
        ):
            raise ValueError("invalid YAML: aliases are not allowed in advisory records")
        return yaml.load(raw, Loader=loader)  # a safe loader: plain data only
    except (yaml.YAMLError, RecursionError) as err:
        raise ValueError(f"invalid YAML ({type(err).__name__}: {err})") from err
