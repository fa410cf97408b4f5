"""Enrichment: compute what to add to each PyPI component of a loaded SBOM."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cyclonedx.schema import SchemaVersion

from sbom_enrich.advisories.collect import ComponentAdvisories
from sbom_enrich.advisories.properties import advisory_properties
from sbom_enrich.advisories.triage import Triage
from sbom_enrich.cyclonedx.additions import Additions, ExternalReference, Property
from sbom_enrich.cyclonedx.spec import has_attestation_references
from sbom_enrich.model.bom import BomDocument, Component
from sbom_enrich.model.reach import Reach
from sbom_enrich.reach.verdicts import evidence
from sbom_enrich.trust.assess import TrustRun
from sbom_enrich.trust.properties import trust_properties, trust_references
from sbom_enrich.writeback.vulnerabilities import vulnerability_entries

__all__ = ["ECOSYSTEM_PYPI", "ProgressCallback", "build_additions"]

ECOSYSTEM_PYPI = "pypi"

ProgressCallback = Callable[[Component], None]
"""Called once per component as its enrichment finishes (drives the progress bar)."""


def build_additions(
    document: BomDocument,
    trust: TrustRun | None,
    target: SchemaVersion,
    *,
    advisories: tuple[ComponentAdvisories, ...] = (),
    triage: Triage | None = None,
    reach: Mapping[str, Reach] | None = None,
) -> Additions:
    """What to add to ``document`` when writing it as ``target``.

    ``sbom-enrich:ecosystem`` on each PyPI component, the ``trust`` results, the ``advisories``
    per component, and the ``triage``'s findings as ``vulnerabilities[]``.

    Skipped components (no ``pkg:pypi`` purl) get nothing: they pass through untouched.
    """
    properties: dict[str, list[Property]] = {
        component.json_path: [Property("ecosystem", ECOSYSTEM_PYPI)]
        for component in document.components
    }
    references: dict[str, list[ExternalReference]] = {}
    for result in trust.results if trust else ():
        path = result.component.json_path
        properties[path] += trust_properties(result)
        references[path] = trust_references(result, attestations=has_attestation_references(target))
    findings = triage.findings if triage else ()
    evidence_by_path: dict[str, dict[str, Any]] = {}
    for path, verdict in (reach or {}).items():
        properties.setdefault(path, [])
        properties[path] += [
            Property("reachability", verdict.verdict),
            Property("reachability:reason", verdict.reason),
        ]
        flagged = any(f.component.json_path == path for f in findings)
        found = evidence(verdict, target) if flagged else None
        if found is not None:
            evidence_by_path[path] = found
    for entry in advisories:
        path = entry.component.json_path
        own = [f for f in findings if f.component.json_path == path]
        properties[path] += advisory_properties(entry, own)
    entries, _ = vulnerability_entries(findings, target)
    return Additions(
        component_properties=properties,
        component_references=references,
        vulnerabilities=entries,
        component_evidence=evidence_by_path,
    )
