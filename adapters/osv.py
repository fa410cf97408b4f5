"""OSV records: which versions of a PyPI project they affect, and what they say.

Matching follows the OSV schema's evaluation rules for ``ECOSYSTEM`` ranges: events sorted by
version (``introduced: "0"`` first), a version is affected from an ``introduced`` up to (not
including) a ``fixed`` or ``limit``, or up to and including a ``last_affected``; the explicit
``versions`` list counts too. Versions compare by PEP 440 (``packaging``), so ``1.0`` equals
``1.0.0`` and ``2.0.0rc1`` comes before ``2.0.0``; project names compare normalized (PEP 503).
CVSS vectors are scored with the ``cvss`` library, never by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from adapters.pypi import parse_version

__all__ = [
    "Advisory",
    "Rating",
    "affected_projects",
    "advisory_from_osv",
    "is_affected",
    "normalize_record",
    "rate_vector",
]

ECOSYSTEM = "PyPI"


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

    @property
    def malicious(self) -> bool:
        """OSV's malicious-package records (``MAL-`` ids)."""
        return self.id.startswith("MAL-") or any(a.startswith("MAL-") for a in self.aliases)

    @property
    def ids(self) -> frozenset[str]:
        """The id and every alias."""
        return self.aliases | {self.id}


def normalize_record(record: Any) -> dict[str, Any]:
    """A record as plain JSON values (YAML gives dates and datetimes); raises on non-objects."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise ValueError("an OSV record must be an object with a string id")
    return _plain(record)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def affected_projects(record: Mapping[str, Any]) -> set[str]:
    """Normalized names of the PyPI packages a record names in ``affected``."""
    names: set[str] = set()
    for affected in record.get("affected") or ():
        package = affected.get("package") or {}
        if str(package.get("ecosystem", "")).split(":")[0] == ECOSYSTEM and package.get("name"):
            names.add(canonicalize_name(str(package["name"])))
    return names


def is_affected(record: Mapping[str, Any], project: str, version: str) -> bool:
    """Whether ``project`` ``version`` is affected by ``record`` (withdrawn records never are)."""
    if record.get("withdrawn"):
        return False
    wanted = canonicalize_name(project)
    return any(
        _entry_affects(affected, version)
        for affected in record.get("affected") or ()
        if _names(affected) == wanted
    )


def _names(affected: Mapping[str, Any]) -> str | None:
    package = affected.get("package") or {}
    if str(package.get("ecosystem", "")).split(":")[0] != ECOSYSTEM:
        return None
    return canonicalize_name(str(package.get("name", "")))


def _entry_affects(affected: Mapping[str, Any], version: str) -> bool:
    parsed = parse_version(version)
    for listed in affected.get("versions") or ():
        if str(listed) == version or (parsed is not None and parse_version(str(listed)) == parsed):
            return True
    if parsed is None:
        return False
    return any(
        _range_affects(entry.get("events") or (), parsed)
        for entry in affected.get("ranges") or ()
        if entry.get("type") == "ECOSYSTEM"
    )


def _range_affects(events: Sequence[Mapping[str, Any]], version: Version) -> bool:
    ordered = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event:
                raw = str(event[kind])
                at = Version("0") if raw == "0" else parse_version(raw)
                if at is not None:
                    ordered.append((at, kind))
    ordered.sort(key=lambda pair: pair[0])
    affected = False
    for at, kind in ordered:
        if kind == "introduced" and version >= at:
            affected = True
        elif version > at or (version == at and kind != "last_affected"):
            affected = False  # at or past a fix or limit; past a last_affected
    return affected


def fixed_versions(record: Mapping[str, Any], project: str) -> tuple[str, ...]:
    """The ``fixed`` versions of the record's ECOSYSTEM ranges for ``project``, in PEP 440 order."""
    wanted = canonicalize_name(project)
    found = {
        str(event["fixed"])
        for affected in record.get("affected") or ()
        if _names(affected) == wanted
        for entry in affected.get("ranges") or ()
        if entry.get("type") == "ECOSYSTEM"
        for event in entry.get("events") or ()
        if "fixed" in event
    }
    return tuple(
        sorted(found, key=lambda v: (parse_version(v) is None, parse_version(v) or Version("0"), v))
    )


def rate_vector(kind: str, vector: str) -> Rating:
    """Score an OSV ``severity`` entry (``CVSS_V2``/``V3``/``V4``) with the cvss library."""
    from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
    from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

    try:
        if kind == "CVSS_V3" or vector.startswith("CVSS:3"):
            cvss3 = CVSS3(vector)
            method = "CVSSv31" if vector.startswith("CVSS:3.1") else "CVSSv3"
            return Rating(method, vector, float(cvss3.base_score), cvss3.severities()[0].lower())
        if kind == "CVSS_V4" or vector.startswith("CVSS:4"):
            cvss4 = CVSS4(vector)
            return Rating("CVSSv4", vector, float(cvss4.base_score), str(cvss4.severity).lower())
        if kind == "CVSS_V2":
            cvss2 = CVSS2(vector)
            return Rating("CVSSv2", vector, float(cvss2.base_score), cvss2.severities()[0].lower())
    except (CVSSError, ValueError, KeyError):
        pass
    return Rating("other", vector, None, None)


def advisory_from_osv(record: Mapping[str, Any], project: str, source: str) -> Advisory:
    """The :class:`Advisory` for ``project`` in a record already known to affect it."""
    wanted = canonicalize_name(project)
    ratings = [
        rate_vector(str(s.get("type", "")), str(s.get("score", "")))
        for s in record.get("severity") or ()
        if s.get("score")
    ]
    entries = [a for a in record.get("affected") or () if _names(a) == wanted]
    for entry in entries:
        ratings += [
            rate_vector(str(s.get("type", "")), str(s.get("score", "")))
            for s in entry.get("severity") or ()
            if s.get("score")
        ]
    database = dict(record.get("database_specific") or {})
    label = database.get("severity")
    if isinstance(label, str) and not any(r.score is not None for r in ratings):
        ratings.append(Rating("other", None, None, label.lower()))
    return Advisory(
        id=str(record["id"]),
        aliases=frozenset(str(a) for a in record.get("aliases") or ()),
        source=source,
        summary=record.get("summary") or None,
        details=record.get("details") or None,
        fixed_in=fixed_versions(record, project),
        ratings=tuple(dict.fromkeys(ratings)),
        references=tuple(str(r.get("url")) for r in record.get("references") or () if r.get("url")),
        published=record.get("published"),
        modified=record.get("modified"),
        ecosystem_specific=tuple(
            dict(e["ecosystem_specific"]) for e in entries if e.get("ecosystem_specific")
        ),
        database_specific=database,
    )
