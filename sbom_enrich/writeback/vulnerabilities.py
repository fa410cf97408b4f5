"""Findings as CycloneDX: ``vulnerabilities[]`` in the enriched SBOM, and a standalone VEX.

Each finding is one entry whose ``affects[].ref`` is the component's ``bom-ref`` (components
without one cannot be referred to, so their findings stay in the component's properties only).
In the standalone VEX (``--vex-out``) the refs are BOM-Links into the input SBOM:
``urn:cdx:<serial>/<version>#<bom-ref>``. Entries we wrote carry ``sbom-enrich:`` properties,
which is how a later run replaces them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from cyclonedx.schema import SchemaVersion

from sbom_enrich.advisories.collect import MergedAdvisory
from sbom_enrich.advisories.triage import VulnerabilityFinding
from sbom_enrich.cyclonedx.additions import Additions, apply_additions
from sbom_enrich.errors import InputError
from sbom_enrich.model.advisory import advisory_source
from sbom_enrich.model.bom import BomDocument

__all__ = ["fix_recommendation", "has_vulnerabilities", "vex_document", "vulnerability_entries"]


def has_vulnerabilities(version: SchemaVersion) -> bool:
    """Whether the spec version has ``vulnerabilities`` (1.4 and later)."""
    return version >= SchemaVersion.V1_4


def _source(identifier: str) -> dict[str, str]:
    name, url = advisory_source(identifier)
    return {"name": name, "url": url}


def _ratings(advisory: MergedAdvisory, version: SchemaVersion) -> list[dict[str, Any]]:
    ratings = []
    for rating in advisory.ratings:
        method = rating.method
        if method == "CVSSv4" and version < SchemaVersion.V1_5:
            method = "other"
        entry: dict[str, Any] = {}
        if rating.score is not None:
            entry["score"] = rating.score
        entry["severity"] = rating.severity or "unknown"
        entry["method"] = method
        if rating.vector:
            entry["vector"] = rating.vector
        ratings.append(entry)
    if advisory.malicious and not ratings:
        ratings.append({"severity": "critical", "method": "other"})
    return ratings


def _entry(finding: VulnerabilityFinding, ref: str, version: SchemaVersion) -> dict[str, Any]:
    advisory = finding.advisory
    entry: dict[str, Any] = {
        "bom-ref": f"sbom-enrich:{advisory.id}:{finding.component.bom_ref}",
        "id": advisory.id,
        "source": _source(advisory.id),
    }
    if advisory.aliases:
        entry["references"] = [
            {"id": alias, "source": _source(alias)} for alias in sorted(advisory.aliases)
        ]
    ratings = _ratings(advisory, version)
    if ratings:
        entry["ratings"] = ratings
    if advisory.summary or advisory.details:
        entry["description"] = advisory.summary or advisory.details
    if advisory.details and advisory.summary:
        entry["detail"] = advisory.details
    entry["recommendation"] = fix_recommendation(finding)
    urls = [url for url in advisory.references if url.startswith(("http://", "https://"))]
    if urls:
        entry["advisories"] = [{"url": url} for url in urls]
    if advisory.published:
        entry["published"] = advisory.published
    if advisory.modified:
        entry["updated"] = advisory.modified
    if finding.analysis is not None:
        analysis: dict[str, Any] = {"state": finding.analysis.state}
        if finding.analysis.justification:
            analysis["justification"] = finding.analysis.justification
        if finding.analysis.responses:
            analysis["response"] = list(finding.analysis.responses)
        detail = finding.analysis.detail or ""
        analysis["detail"] = f"{detail} [{finding.analysis.origin}]".strip()
        entry["analysis"] = analysis
    entry["affects"] = [{"ref": ref}]
    entry["properties"] = [
        {"name": "sbom-enrich:advisory:sources", "value": ", ".join(advisory.sources)},
        {
            "name": "sbom-enrich:advisory:kind",
            "value": "malicious" if advisory.malicious else "vulnerability",
        },
    ]
    if advisory.malicious:
        entry["properties"].append({"name": "sbom-enrich:advisory:match", "value": advisory.match})
    if finding.exploited is not None:
        entry["properties"] += [
            {"name": "sbom-enrich:kev:date-added", "value": finding.exploited.date_added},
            {
                "name": "sbom-enrich:kev:known-ransomware-use",
                "value": finding.exploited.known_ransomware_use,
            },
            {"name": "sbom-enrich:kev:required-action", "value": finding.exploited.required_action},
        ]
    return entry


def fix_recommendation(finding: VulnerabilityFinding) -> str:
    """What to do about ``finding``: the upgrade, or why there is none."""
    fix = finding.fix
    if fix.version is None:
        return fix.note[:1].upper() + fix.note[1:]
    detail = fix.note.partition(" (")[2]
    return f"Upgrade {finding.component.name} to {fix.version}" + (f" ({detail}" if detail else "")


def vulnerability_entries(
    findings: Sequence[VulnerabilityFinding], version: SchemaVersion
) -> tuple[list[dict[str, Any]], int]:
    """The ``vulnerabilities[]`` entries, and how many findings had no bom-ref to point at."""
    entries = []
    unreferenced = 0
    for finding in findings:
        if finding.component.bom_ref is None:
            unreferenced += 1
            continue
        entries.append(_entry(finding, finding.component.bom_ref, version))
    return entries, unreferenced


def vex_document(
    findings: Sequence[VulnerabilityFinding], document: BomDocument, *, now: datetime
) -> dict[str, Any]:
    """A standalone CycloneDX VEX whose ``affects`` are BOM-Links into ``document``.

    BOM-Links need the input's ``serialNumber``; without one this is an :class:`InputError`.
    """
    serial = document.tree.get("serialNumber")
    if not isinstance(serial, str) or not serial.startswith("urn:uuid:"):
        raise InputError(
            f"{document.source}: has no serialNumber, so a VEX cannot refer to it with "
            "BOM-Links (urn:cdx:<serial>/<version>#<bom-ref>); add one or drop --vex-out"
        )
    link = f"urn:cdx:{serial.removeprefix('urn:uuid:')}/{document.tree.get('version', 1)}#"
    version = max(document.spec_version, SchemaVersion.V1_5)
    entries = [
        _entry(f, link + quote(f.component.bom_ref, safe=""), version)
        for f in findings
        if f.component.bom_ref is not None
    ]
    tree = {
        "bomFormat": "CycloneDX",
        "specVersion": version.to_version(),
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {"timestamp": now.isoformat(timespec="seconds")},
    }
    return apply_additions(
        tree, Additions(vulnerabilities=entries), source_version=version, target_version=version
    )
