"""OSV records: read them into :class:`~sbom_enrich.model.advisory.Advisory` values.

Which versions a record affects is :mod:`sbom_enrich.model.affected`. CVSS vectors are scored
with the ``cvss`` library, never by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from packaging.utils import canonicalize_name

from sbom_enrich.model.advisory import Advisory, Rating
from sbom_enrich.model.affected import fixed_versions, json_objects, package_name

__all__ = [
    "advisory_from_osv",
    "normalize_record",
    "qualitative_severity",
    "rate_vector",
]


def normalize_record(record: Any) -> dict[str, Any]:
    """A record as plain JSON values (YAML gives dates and datetimes); raises on non-objects."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record["id"]:
        raise ValueError("an OSV record must be an object with a non-empty string id")
    return _plain(record)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


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
    entries = [a for a in json_objects(record.get("affected")) if package_name(a) == wanted]
    ratings = [
        rate_vector(str(s.get("type", "")), str(s["score"]))
        for holder in (record, *entries)
        for s in json_objects(holder.get("severity"))
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
        references=tuple(
            str(r["url"]) for r in json_objects(record.get("references")) if r.get("url")
        ),
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
