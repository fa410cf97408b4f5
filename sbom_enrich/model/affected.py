"""Which versions of a PyPI project an OSV record affects.

OSV is the advisory format every source here speaks (PyPI's JSON API, the PyPA database, OSV
itself). Matching follows the OSV schema's evaluation rules for ``ECOSYSTEM`` ranges: events
sorted by version (``introduced: "0"`` first), a version is affected from an ``introduced`` up
to (not including) a ``fixed`` or ``limit``, or up to and including a ``last_affected``; the
explicit ``versions`` list counts too. Versions compare by PEP 440 (``packaging``), so ``1.0``
equals ``1.0.0`` and ``2.0.0rc1`` comes before ``2.0.0``; project names compare normalized
(PEP 503).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from packaging.utils import canonicalize_name
from packaging.version import Version

from sbom_enrich.model.index import parse_version

__all__ = [
    "ECOSYSTEM",
    "affected_projects",
    "fixed_versions",
    "is_affected",
    "is_malicious",
    "json_objects",
    "malicious_match",
    "package_name",
    "unreadable_part",
]


ECOSYSTEM = "PyPI"


def json_objects(value: object) -> list[Mapping[str, Any]]:
    """The objects of a JSON list; anything else (a string, a number, null) holds none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def affected_projects(record: Mapping[str, Any]) -> set[str]:
    """Normalized names of the PyPI packages a record names in ``affected``."""
    names: set[str] = set()
    for affected in json_objects(record.get("affected")):
        name = package_name(affected)
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
        if package_name(entry) != wanted:
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
        for affected in json_objects(record.get("affected"))
        if package_name(affected) == wanted
    )


def package_name(affected: Mapping[str, Any]) -> str | None:
    """The normalized name of an ``affected`` entry's PyPI package; None for another ecosystem."""
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
        _range_affects(json_objects(entry.get("events")), parsed)
        for entry in json_objects(affected.get("ranges"))
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
        for affected in json_objects(record.get("affected"))
        if package_name(affected) == wanted
        for entry in json_objects(affected.get("ranges"))
        if entry.get("type") == "ECOSYSTEM"
        for event in json_objects(entry.get("events"))
        if "fixed" in event
    }
    return tuple(
        sorted(found, key=lambda v: (parse_version(v) is None, parse_version(v) or Version("0"), v))
    )


def is_malicious(record: Mapping[str, Any]) -> bool:
    """OSV's malicious-package records: a ``MAL-`` id or alias."""
    ids = [record.get("id"), *(record.get("aliases") or ())]
    return any(isinstance(i, str) and i.startswith("MAL-") for i in ids)


def malicious_match(
    record: Mapping[str, Any], project: str, version: str, sha256: str | None
) -> Literal["version", "name", "hash"] | None:
    """How a malicious-package ``record`` affects ``project`` ``version``, or None.

    Such records often list one version, none, or "every version" only in the per-source
    origins of the OpenSSF format (``database_specific.malicious-packages-origins``). A
    component matches by ``hash`` when its SBOM sha256 is a file the record lists
    (``package_integrity``), by ``name`` when the record or one of its origins covers every
    version, and by ``version`` as any other advisory.
    """
    if record.get("withdrawn"):
        return None
    wanted = canonicalize_name(project)
    entries = [a for a in json_objects(record.get("affected")) if package_name(a) == wanted]
    if not entries:
        return None
    if sha256 and sha256.lower() in _listed_sha256(entries):
        return "hash"
    origins = json_objects(_specific(record).get("malicious-packages-origins"))
    if any(_covers_every_version(holder) for holder in [*entries, *origins]):
        return "name"
    return "version" if is_affected(record, project, version) else None


def _specific(holder: Mapping[str, Any]) -> Mapping[str, Any]:
    specific = holder.get("database_specific")
    return specific if isinstance(specific, dict) else {}


def _listed_sha256(entries: Sequence[Mapping[str, Any]]) -> set[str]:
    listed = set()
    for entry in entries:
        indicators = _specific(entry).get("indicators")
        integrity = indicators.get("package_integrity") if isinstance(indicators, dict) else None
        for file in json_objects(integrity):
            hashes = file.get("hashes")
            if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
                listed.add(hashes["sha256"].lower())
    return listed


def _covers_every_version(holder: Mapping[str, Any]) -> bool:
    """No versions and no ranges at all, or an ECOSYSTEM range that opens at 0 and never ends."""
    versions, ranges = holder.get("versions"), holder.get("ranges")
    if not versions and not ranges and "package" in holder:
        return True
    for entry in json_objects(ranges):
        events = json_objects(entry.get("events"))
        if (
            entry.get("type") == "ECOSYSTEM"
            and events
            and all(
                set(event) == {"introduced"} and str(event["introduced"]) == "0" for event in events
            )
        ):
            return True
    return False
