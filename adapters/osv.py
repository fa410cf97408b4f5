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
from sbom_enrich.adapters.pypi import parse_version

__all__ = [
    "Advisory",
    "Rating",
    "affected_projects",
    "advisory_from_osv",
    "is_affected",
    "normalize_record",
    "qualitative_severity",
    "rate_vector",
    "unreadable_part",
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


def _objects(value: object) -> list[Mapping[str, Any]]:
    """The objects of a JSON list; anything else (a string, a number, null) holds none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def affected_projects(record: Mapping[str, Any]) -> set[str]:
    """Normalized names of the PyPI packages a record names in ``affected``."""
    names: set[str] = set()
    for affected in _objects(record.get("affected")):
        name = _names(affected)
        if name:
            names.add(name)
    return names


def unreadable_part(record: Mapping[str, Any], project: str) -> str | None:
    """What in ``record`` cannot be read for ``project``, or None when all of it can.

    A record whose versions or ranges cannot be read might affect any version: the caller
    must not count it as "not affected".
    """
    wanted = canonicalize_name(project)
    affected = record.get("affected")
    if not isinstance(affected, list) or not all(isinstance(a, dict) for a in affected):
        return "affected is not a list of objects"
    for entry in affected:
        if _names(entry) != wanted:
            continue
        versions = entry.get("versions")
        if versions is not None and not isinstance(versions, list):
            return "versions is not a list"
        ranges = entry.get("ranges")
        if ranges is not None and (
            not isinstance(ranges, list) or not all(isinstance(r, dict) for r in ranges)
        ):
            return "ranges is not a list of objects"
        for entry_range in ranges or ():
            if entry_range.get("type") != "ECOSYSTEM":
                continue
            events = entry_range.get("events")
            if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
                return "events is not a list of objects"
            for event in events:
                for kind in _EVENT_KINDS:
                    if kind in event and _event_version(event[kind]) is None:
                        return f"{kind} {str(event[kind])[:40]!r} is not a PEP 440 version"
    return None


_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


def _event_version(raw: object) -> Version | None:
    text = str(raw)
    return Version("0") if text == "0" else parse_version(text)


def is_affected(record: Mapping[str, Any], project: str, version: str) -> bool:
    """Whether ``project`` ``version`` is affected by ``record`` (withdrawn records never are)."""
    if record.get("withdrawn"):
        return False
    wanted = canonicalize_name(project)
    return any(
        _entry_affects(affected, version)
        for affected in _objects(record.get("affected"))
        if _names(affected) == wanted
    )


def _names(affected: Mapping[str, Any]) -> str | None:
    package = affected.get("package")
    if not isinstance(package, dict):
        return None
    if str(package.get("ecosystem", "")).split(":")[0] != ECOSYSTEM or not package.get("name"):
        return None
    return canonicalize_name(str(package["name"]))


def _entry_affects(affected: Mapping[str, Any], version: str) -> bool:
    parsed = parse_version(version)
    listed_versions = affected.get("versions")
    for listed in listed_versions if isinstance(listed_versions, list) else ():
        if str(listed) == version or (parsed is not None and parse_version(str(listed)) == parsed):
            return True
    if parsed is None:
        return False
    return any(
        _range_affects(_objects(entry.get("events")), parsed)
        for entry in _objects(affected.get("ranges"))
        if entry.get("type") == "ECOSYSTEM"
    )


def _range_affects(events: Sequence[Mapping[str, Any]], version: Version) -> bool:
    ordered = []
    for event in events:
        for kind in _EVENT_KINDS:
            if kind in event:
                at = _event_version(event[kind])
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
        for affected in _objects(record.get("affected"))
        if _names(affected) == wanted
        for entry in _objects(affected.get("ranges"))
        if entry.get("type") == "ECOSYSTEM"
        for event in _objects(entry.get("events"))
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
    """The :class:`Advisory` for ``project`` in a record already known to affect it.

    Parts of the wrong shape (a string where a list belongs) are left out, not trusted.
    """
    wanted = canonicalize_name(project)
    entries = [a for a in _objects(record.get("affected")) if _names(a) == wanted]
    ratings = [
        rate_vector(str(s.get("type", "")), str(s["score"]))
        for holder in (record, *entries)
        for s in _objects(holder.get("severity"))
        if s.get("score")
    ]
    database_specific = record.get("database_specific")
    database = dict(database_specific) if isinstance(database_specific, dict) else {}
    label = qualitative_severity(database.get("severity"))
    if label is not None and not any(r.score is not None for r in ratings):
        ratings.append(Rating("other", None, None, label))
    return Advisory(
        id=str(record["id"]),
        aliases=frozenset(_strings(record.get("aliases"))),
        source=source,
        summary=_text(record.get("summary")),
        details=_text(record.get("details")),
        fixed_in=fixed_versions(record, project),
        ratings=tuple(dict.fromkeys(ratings)),
        references=tuple(str(r["url"]) for r in _objects(record.get("references")) if r.get("url")),
        published=_text(record.get("published")),
        modified=_text(record.get("modified")),
        ecosystem_specific=tuple(
            dict(e["ecosystem_specific"])
            for e in entries
            if isinstance(e.get("ecosystem_specific"), dict)
        ),
        database_specific=database,
    )


_QUALITATIVE = {
    "critical": "critical",
    "high": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "none": "none",
}
"""The advisory databases' severity labels (GitHub's ``MODERATE`` is CVSS's ``medium``)."""


def qualitative_severity(label: object) -> str | None:
    """A database's severity label as a CVSS qualitative rating, or None if it is not one."""
    return _QUALITATIVE.get(label.strip().lower()) if isinstance(label, str) else None


def _strings(value: object) -> list[str]:
    return [str(item) for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
