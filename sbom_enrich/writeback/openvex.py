"""Findings as OpenVEX 0.2.0, the VEX format Grype, Trivy and vexctl apply.

One statement per finding. The vulnerability is named by its CVE when it has one (what
scanners match first), with every other id as an alias. The product is the SBOM's root
component (its purl, else the document's serial number) and the finding's package is its
subcomponent, by purl. The status follows the finding's CycloneDX analysis:

================================  =========================================================
CycloneDX analysis                OpenVEX
================================  =========================================================
``not_affected``                  ``not_affected``, justification mapped (below)
``false_positive``                ``not_affected``, ``vulnerable_code_not_present``
``resolved``, ``…_with_pedigree`` ``fixed``
``exploitable``                   ``affected``, with the fix advice as action statement
``in_triage``                     ``under_investigation``
no analysis                       ``affected``: the version is in the advisory's ranges
================================  =========================================================

CycloneDX justifications map to OpenVEX's: ``code_not_present`` → ``vulnerable_code_not_present``,
``code_not_reachable`` → ``vulnerable_code_not_in_execute_path``, ``requires_*`` →
``vulnerable_code_cannot_be_controlled_by_adversary``, ``protected_*`` →
``inline_mitigations_already_exist``. The analysis detail (for a reachability verdict, the
evidence) becomes the impact statement. An inferred ``not_affected`` is written as such: it is
what the call graph showed, and the statement says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sbom_enrich.advisories.triage import VexAnalysis, VulnerabilityFinding
from sbom_enrich.model.bom import BomDocument
from sbom_enrich.version import __version__
from sbom_enrich.writeback.vulnerabilities import fix_recommendation

__all__ = ["OPENVEX_CONTEXT", "openvex_document"]

OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0"

_JUSTIFICATIONS = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
_STATUS = {
    "not_affected": "not_affected",
    "false_positive": "not_affected",
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
}


def openvex_document(
    findings: Sequence[VulnerabilityFinding], document: BomDocument, *, now: datetime
) -> dict[str, Any]:
    """The OpenVEX document for ``findings`` of the components of ``document``."""
    timestamp = now.isoformat(timespec="seconds")
    product = _product(document)
    return {
        "@context": OPENVEX_CONTEXT,
        "@id": f"urn:uuid:{uuid.uuid4()}",
        "author": "sbom-enrich",
        "timestamp": timestamp,
        "version": 1,
        "tooling": f"sbom-enrich {__version__}",
        "statements": [
            _statement(finding, product, timestamp)
            for finding in findings
            if finding.component.purl
        ],
    }


def _product(document: BomDocument) -> str:
    root = document.tree.get("metadata", {}).get("component", {})
    purl = root.get("purl") if isinstance(root, dict) else None
    if isinstance(purl, str) and purl:
        return purl
    serial = document.tree.get("serialNumber")
    return serial if isinstance(serial, str) and serial else f"urn:sbom-enrich:{document.source}"


def _statement(finding: VulnerabilityFinding, product: str, timestamp: str) -> dict[str, Any]:
    advisory = finding.advisory
    ids = sorted(advisory.ids)
    name = next((i for i in ids if i.startswith("CVE-")), advisory.id)
    vulnerability: dict[str, Any] = {"name": name}
    if len(ids) > 1:
        vulnerability["aliases"] = [i for i in ids if i != name]
    statement: dict[str, Any] = {
        "vulnerability": vulnerability,
        "timestamp": timestamp,
        "products": [{"@id": product, "subcomponents": [{"@id": finding.component.purl}]}],
    }
    statement.update(_status(finding.analysis, finding))
    return statement


def _status(analysis: VexAnalysis | None, finding: VulnerabilityFinding) -> dict[str, str]:
    if analysis is None:
        return {"status": "affected", "action_statement": fix_recommendation(finding)}
    status = _STATUS.get(analysis.state, "under_investigation")
    fields = {"status": status}
    notes = f"from {analysis.origin}" + (" (inferred by sbom-enrich)" if analysis.inferred else "")
    fields["status_notes"] = notes
    if status == "not_affected":
        justification = (
            "vulnerable_code_not_present"
            if analysis.state == "false_positive"
            else _JUSTIFICATIONS.get(analysis.justification or "")
        )
        if justification:
            fields["justification"] = justification
        fields["impact_statement"] = analysis.detail or f"{analysis.state} ({analysis.origin})"
    elif status == "affected":
        fields["action_statement"] = fix_recommendation(finding)
    return fields
