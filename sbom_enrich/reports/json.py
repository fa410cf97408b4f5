"""The ``json`` report: the whole result, in a documented and versioned shape.

``docs/report.schema.json`` is its JSON Schema; :data:`REPORT_SCHEMA_VERSION` changes with any
change of shape that is not only an addition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sbom_enrich.advisories.step import AdvisoryRun
from sbom_enrich.model.advisory import advisory_source
from sbom_enrich.model.bom import BomDocument, Component
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.exploited import kev_fields, listed_marks
from sbom_enrich.reports.reachability import reach_summary
from sbom_enrich.trust.assess import TrustRun
from sbom_enrich.version import __version__

__all__ = ["REPORT_SCHEMA_VERSION", "json_report"]

REPORT_SCHEMA_VERSION = "1"


def _component(component: Component) -> dict[str, Any]:
    return {
        "name": component.name,
        "version": component.version,
        "purl": component.purl,
        "bomRef": component.bom_ref,
    }


def _finding(rank: int, finding: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "rank": rank,
        "kind": finding.kind,
        "id": finding.title,
        "component": _component(finding.component),
        "severity": finding.severity,
        "score": finding.score,
        "reasons": list(finding.reasons),
        "reachability": {
            "verdict": finding.reach.verdict,
            "granularity": finding.reach.granularity,
            "reason": finding.reach.reason,
            "path": [
                {"caller": caller, "callee": callee, "file": path, "line": line}
                for caller, callee, path, line in finding.reach.path
            ],
        },
        "suppressed": finding.suppressed,
        "trustLevel": finding.trust_level,
        "dependency": {"depth": finding.depth, "paths": finding.paths},
    }
    if finding.vulnerability is not None:
        advisory = finding.vulnerability.advisory
        entry["advisory"] = {
            "aliases": sorted(advisory.aliases),
            "sources": list(advisory.sources),
            "summary": advisory.summary,
            "cvss": advisory.score,
            "fixedIn": list(advisory.fixed_in),
            "url": advisory_source(advisory.id)[1],
            **({"match": advisory.match} if advisory.malicious else {}),
        }
        entry["fix"] = {
            "version": finding.vulnerability.fix.version,
            "note": finding.vulnerability.fix.note,
        }
        analysis = finding.vulnerability.analysis
        if analysis is not None:
            entry["analysis"] = {
                "state": analysis.state,
                "justification": analysis.justification,
                "detail": analysis.detail,
                "origin": analysis.origin,
                "inferred": analysis.inferred,
            }
        exploited = finding.vulnerability.exploited
        if exploited is not None:
            entry["exploited"] = {**kev_fields(exploited), "dueDate": exploited.due_date}
    if finding.signal is not None:
        entry["signal"] = {"message": finding.signal.message}
    return entry


def _reachability(findings: Sequence[Finding]) -> dict[str, Any]:
    summary = reach_summary(findings)
    return {
        "advisories": summary.advisories,
        "byVerdict": summary.by_verdict,
        "byGranularity": summary.by_granularity,
        "notReachable": summary.not_reachable,
    }


def _catalog(
    catalog: ExploitedCatalog | Unavailable, findings: Sequence[Finding]
) -> dict[str, Any]:
    if isinstance(catalog, Unavailable):
        return {"status": "unavailable", "reason": catalog.reason}
    return {
        "status": "used",
        "listedFindings": sum(1 for mark in listed_marks(findings) if mark is not None),
        "title": catalog.title,
        "version": catalog.version,
        "released": catalog.released,
        "source": catalog.source,
    }


def json_report(
    document: BomDocument,
    trust: TrustRun,
    advisories: AdvisoryRun,
    findings: Sequence[Finding],
    *,
    now: datetime,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (see ``docs/report.schema.json``)."""
    active = [f for f in findings if not f.suppressed]
    statuses = {entry.component.json_path: entry for entry in advisories.components}
    return {
        "reportVersion": REPORT_SCHEMA_VERSION,
        "tool": {"name": "sbom-enrich", "version": __version__},
        "generated": now.isoformat(timespec="seconds"),
        "input": {
            "source": document.source,
            "specVersion": document.spec_version.to_version(),
            "serialNumber": document.tree.get("serialNumber"),
        },
        "summary": {
            "components": len(document.components),
            "skipped": len(document.skipped),
            "findings": len(active),
            "suppressed": len(findings) - len(active),
            "bySeverity": dict(Counter(f.severity for f in active)),
            "byKind": dict(Counter(f.kind for f in active)),
            "lookupFailures": sum(1 for r in trust.results if r.unavailable),
            "advisorySources": list(advisories.sources),
            "reachability": _reachability(findings),
            **(
                {"exploitedCatalog": _catalog(advisories.exploited, findings)}
                if advisories.exploited is not None
                else {}
            ),
        },
        "findings": [_finding(rank, f) for rank, f in enumerate(findings, start=1)],
        "components": [
            {
                **_component(result.component),
                "trust": {
                    "level": result.level.label,
                    "reasons": list(result.level_reasons),
                    "attestation": result.attestation_status,
                    "publisher": result.publisher.describe() if result.publisher else None,
                    "signals": [s.kind for s in result.signals],
                },
                "advisories": {
                    "status": statuses[result.component.json_path].status
                    if result.component.json_path in statuses
                    else "unavailable",
                    "sources": [
                        {
                            "source": a.source,
                            "count": a.count,
                            "unavailable": a.unavailable,
                            **({"gaps": list(a.gaps)} if a.gaps else {}),
                        }
                        for a in (
                            statuses[result.component.json_path].answers
                            if result.component.json_path in statuses
                            else ()
                        )
                    ],
                },
                "unavailable": [f"{g.source}: {g.reason}" for g in result.gaps],
            }
            for result in trust.results
        ],
    }
