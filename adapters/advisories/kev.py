"""CISA's Known Exploited Vulnerabilities catalog, from a file or fetched through the client.

The catalog is one JSON document (``catalogVersion``, ``dateReleased``, ``vulnerabilities``
with ``cveID``, ``dateAdded``, ``knownRansomwareCampaignUse``, ``requiredAction``, ...). A file
that is not that shape is refused with the reason; an entry without a usable ``cveID`` is
skipped. Online, the live feed goes through the run's HTTP client, so it is cached in the state
store, served by ``--offline`` from there and recorded like any other response.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.model.exploited import ExploitedCatalog, KnownExploited
from sbom_enrich.model.index import Unavailable
from sbom_enrich.reachability.files import UnreadableFile, read_bounded

__all__ = ["KEV_URL", "KevError", "fetch_kev", "parse_kev", "read_kev"]

KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
"""Where CISA publishes the live catalog."""

_MAX_BYTES = 64 * 1024 * 1024


class KevError(AdapterError):
    """A KEV catalog file cannot be read or is not a KEV catalog."""


def read_kev(path: Path) -> ExploitedCatalog:
    """The catalog in the file at ``path``; raise :class:`KevError` naming what is wrong."""
    try:
        data = read_bounded(path, _MAX_BYTES)
    except (OSError, UnreadableFile) as err:
        raise KevError(f"{path}: KEV catalog {err}") from err
    return parse_kev(data, str(path))


def fetch_kev(client: httpx.Client, url: str = KEV_URL) -> ExploitedCatalog | Unavailable:
    """The live catalog at ``url``, or why it could not be had (never an empty catalog)."""
    try:
        response = client.get(url)
    except httpx.HTTPError as err:
        return Unavailable(f"{url}: {type(err).__name__}: {err}")
    if response.status_code != 200:
        return Unavailable(f"{url}: HTTP {response.status_code}")
    try:
        return parse_kev(response.content, url)
    except KevError as err:
        return Unavailable(str(err))


def parse_kev(data: bytes, source: str) -> ExploitedCatalog:
    """Parse a catalog document; ``source`` names it in errors and in reports."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KevError(f"{source}: not a KEV catalog: not JSON ({err})") from err
    if not isinstance(document, dict) or not isinstance(document.get("vulnerabilities"), list):
        raise KevError(f"{source}: not a KEV catalog: no 'vulnerabilities' list")
    version = document.get("catalogVersion")
    if not isinstance(version, str) or not version:
        raise KevError(f"{source}: not a KEV catalog: no 'catalogVersion'")
    entries: dict[str, KnownExploited] = {}
    for raw in document["vulnerabilities"]:
        entry = _entry(raw)
        if entry is not None:
            entries[entry.cve] = entry
    released = document.get("dateReleased")
    return ExploitedCatalog(
        title=_text(document.get("title")) or "KEV",
        version=version,
        released=released if isinstance(released, str) else None,
        entries=entries,
        source=source,
    )


def _entry(raw: object) -> KnownExploited | None:
    if not isinstance(raw, Mapping):
        return None
    cve = _text(raw.get("cveID"))
    if cve is None or not cve.upper().startswith("CVE-"):
        return None
    return KnownExploited(
        cve=cve.upper(),
        date_added=_text(raw.get("dateAdded")) or "unknown",
        known_ransomware_use=_text(raw.get("knownRansomwareCampaignUse")) or "Unknown",
        required_action=_text(raw.get("requiredAction")) or "",
        due_date=_text(raw.get("dueDate")),
        name=_text(raw.get("vulnerabilityName")),
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
