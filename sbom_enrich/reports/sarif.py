"""The ``sarif`` report: SARIF 2.1.0 for GitHub code scanning.

One rule per advisory or trust-signal kind, one result per finding. A result is located at the
application's call site that starts its path when the package is imported or reached, else at
the SBOM itself (the manifest we were given). Paths are relative to the working directory, as
code scanning expects paths relative to the repository root. ``security-severity`` carries the
CVSS score so that GitHub ranks results the way we do.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.escape import http_url
from sbom_enrich.reports.exploited import exploited_entry
from sbom_enrich.version import __version__

__all__ = ["SARIF_SCHEMA", "sarif_report"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVELS = {"critical": "error", "high": "error", "medium": "warning"}
_SEVERITY_SCORES = {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0}


def _rule_id(finding: Finding) -> str:
    return f"signal/{finding.title}" if finding.kind == "trust" else finding.title


def _relative(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": _rule_id(finding), "name": finding.title}
    if finding.vulnerability is not None:
        advisory = finding.vulnerability.advisory
        text = advisory.summary or (advisory.details or advisory.id).split("\n")[0]
        rule["shortDescription"] = {"text": text[:200]}
        if advisory.details:
            rule["fullDescription"] = {"text": advisory.details}
        link = next((u for u in map(http_url, advisory.references) if u), None)
        if link is not None:
            rule["helpUri"] = link
        score = (
            advisory.score
            if advisory.score is not None
            else _SEVERITY_SCORES.get(advisory.severity)
        )
        tags = ["security", "malicious" if advisory.malicious else "vulnerability"]
    else:
        rule["shortDescription"] = {"text": f"Trust signal: {finding.title}"}
        score = _SEVERITY_SCORES.get(finding.severity)
        tags = ["security", "supply-chain"]
    rule["properties"] = {"tags": tags, "precision": "high"}
    if score is not None:
        rule["properties"]["security-severity"] = f"{score:.1f}"
    return rule


def _result(finding: Finding, manifest: str) -> dict[str, Any]:
    component = finding.component
    where = f"{component.name} {component.version or ''}".strip()
    fix = (
        f" {finding.vulnerability.fix.note[:1].upper()}{finding.vulnerability.fix.note[1:]}."
        if finding.vulnerability
        else ""
    )
    verdict = finding.reach.verdict
    text = f"{finding.title} in {where} ({finding.severity}; reachability {verdict}).{fix}"
    if finding.reach.path and finding.reach.verdict in ("reachable", "imported"):
        caller, _callee, path, line = finding.reach.path[0]
        location = {"uri": _relative(path)}
        region = {"startLine": max(line, 1)}
        text += f" Called from {caller}."
    else:
        location = {"uri": _relative(manifest)}
        region = {"startLine": 1}
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "level": _LEVELS.get(finding.severity, "note"),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {
            "sbomEnrichFinding/v1": f"{_rule_id(finding)}:{component.purl or component.name}"
        },
        "properties": {
            "score": finding.score,
            "reasons": list(finding.reasons),
            "component": component.purl or component.name,
        },
    }
    exploited = exploited_entry(finding)
    if exploited is not None:
        result["properties"]["knownExploited"] = {
            "catalog": "kev",
            "cve": exploited.cve,
            "dateAdded": exploited.date_added,
            "knownRansomwareCampaignUse": exploited.known_ransomware_use,
            "requiredAction": exploited.required_action,
        }
        result["message"]["text"] += f" Known exploited (KEV, since {exploited.date_added})."
    if finding.suppressed and finding.vulnerability and finding.vulnerability.analysis:
        analysis = finding.vulnerability.analysis
        result["suppressions"] = [
            {"kind": "external", "justification": f"{analysis.state}: {analysis.detail or ''}"}
        ]
    return result


def sarif_report(findings: Sequence[Finding], *, manifest: str) -> dict[str, Any]:
    """The SARIF log; ``manifest`` is the SBOM path results without a call site point at."""
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        rules.setdefault(_rule_id(finding), _rule(finding))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sbom-enrich",
                        "version": __version__,
                        "informationUri": "https://github.com/sbom-enrich/sbom-enrich",
                        "rules": list(rules.values()),
                    }
                },
                "results": [_result(finding, manifest) for finding in findings],
            }
        ],
    }
