"""Rank what was found, with the reason for every point of the score.

There is one :class:`Finding` per (component, advisory) and per (component, trust signal),
scored by a documented sum whose every term comes with a short reason.

The weights live in :data:`WEIGHTS` and nowhere else; ``docs/prioritization.md`` explains them
with worked examples. Suppressed findings are kept, marked, and ranked after all others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sbom_enrich.advisories.triage import VulnerabilityFinding
from sbom_enrich.model.bom import Component
from sbom_enrich.model.reach import Reach, finding_reach
from sbom_enrich.trust.assess import ComponentTrust
from sbom_enrich.trust.levels import TrustLevel
from sbom_enrich.trust.signals import Signal

__all__ = [
    "WEIGHTS",
    "Finding",
    "FindingKind",
    "dependency_depths",
    "dependency_routes",
    "prioritize",
]

FindingKind = Literal["malicious", "vulnerability", "trust"]

WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "kind": {"malicious": 200, "project-quarantined": 90},
    "severity": {  # vulnerabilities: the worst rating; unknown is never guessed higher or lower
        "critical": 40,
        "high": 30,
        "medium": 20,
        "low": 10,
        "none": 0,
        "unknown": 15,
    },
    "signal": {"critical": 35, "high": 25, "medium": 12, "low": 5, "code-runs": 5},
    "exploited": {"kev": 80},  # listed in a known-exploited catalog (--kev)
    "reachability": {"reachable": 30, "imported": 15, "unknown": 8, "not-reachable": -25},
    "trust": {"at-risk": 10, "ownership-changed": 10},
    "dependency": {"direct": 5, "per-path": 1, "max-paths": 5},
    "fix": {"available": 5},
}
"""Every weight of the score, in one place."""


@dataclass(frozen=True)
class Finding:
    """One ranked finding, with the reasons behind its score."""

    kind: FindingKind
    component: Component
    title: str
    severity: str
    score: float
    reasons: tuple[str, ...]
    reach: Reach
    vulnerability: VulnerabilityFinding | None = None
    signal: Signal | None = None
    suppressed: bool = False
    depth: int | None = None
    paths: int = 0
    trust_level: str = "unknown"


def prioritize(
    vulnerabilities: Iterable[VulnerabilityFinding],
    trust: Iterable[ComponentTrust],
    *,
    reach: Mapping[str, Reach] | None = None,
    depths: Mapping[str, tuple[int, int]] | None = None,
    by_finding: Mapping[tuple[str, str], Reach] | None = None,
) -> tuple[Finding, ...]:
    """Score and rank every finding; highest score first, suppressed ones last.

    ``reach`` and ``depths`` are keyed by component JSON path; ``depths`` gives (shortest
    distance from the SBOM's root component, number of dependency paths from it).
    ``by_finding`` holds function-level verdicts by (component JSON path, advisory id); they
    take precedence over the component's.
    """
    reach = reach or {}
    depths = depths or {}
    by_path = {result.component.json_path: result for result in trust}
    findings: list[Finding] = []
    for finding in vulnerabilities:
        path = finding.component.json_path
        verdict = finding_reach(path, finding.advisory.id, reach, by_finding) or Reach()
        findings.append(_vulnerability(finding, by_path.get(path), verdict, depths.get(path)))
    for result in by_path.values():
        path = result.component.json_path
        for signal in result.signals:
            findings.append(_trust(result, signal, reach.get(path, Reach()), depths.get(path)))
    return tuple(
        sorted(findings, key=lambda f: (f.suppressed, -f.score, f.title, f.component.name))
    )


def _dependency_terms(depth: tuple[int, int] | None) -> tuple[float, list[str]]:
    if depth is None:
        return 0, []
    distance, paths = depth
    weights = WEIGHTS["dependency"]
    score = min(paths, weights["max-paths"]) * weights["per-path"]
    reasons = [f"{paths} dependency path{'s' if paths != 1 else ''} from the root component"]
    if distance == 1:
        score += weights["direct"]
        reasons.insert(0, "a direct dependency of the root component")
    else:
        reasons.insert(0, f"a transitive dependency ({distance} steps from the root)")
    return score, reasons


_MALICIOUS_MATCH = {
    "hash": "matched by hash: the SBOM's sha256 is a file the record lists",
    "version": "matched by version: the record lists this version",
    "name": "matched by name: the record covers every version of this project",
}


def _vulnerability(
    finding: VulnerabilityFinding,
    trust: ComponentTrust | None,
    reach: Reach,
    depth: tuple[int, int] | None,
) -> Finding:
    advisory = finding.advisory
    reasons: list[str] = []
    if advisory.malicious:
        kind: FindingKind = "malicious"
        score = WEIGHTS["kind"]["malicious"]
        reasons.append(
            "a malicious-package record: the package itself is the attack "
            f"({_MALICIOUS_MATCH[advisory.match]})"
        )
    else:
        kind = "vulnerability"
        score = WEIGHTS["severity"][advisory.severity]
        rated = f" (CVSS {advisory.score})" if advisory.score is not None else ""
        reasons.append(
            f"severity {advisory.severity}{rated}"
            if advisory.severity != "unknown"
            else "severity unknown: no source rates it"
        )
    exploited = finding.exploited
    if exploited is not None:
        score += WEIGHTS["exploited"]["kev"]
        reasons.append(
            f"known exploited: in the KEV catalog since {exploited.date_added} (known ransomware "
            f"use: {exploited.known_ransomware_use}); required action: {exploited.required_action}"
        )
    if kind == "malicious":
        reasons.append(
            f"reachability {reach.verdict}, not counted: a malicious package can run when it is "
            "installed or imported, whatever the application calls"
        )
    else:
        score += WEIGHTS["reachability"][reach.verdict]
        reasons.append(f"reachability {reach.verdict} ({reach.granularity} level): {reach.reason}")
    if trust is not None:
        if trust.level is TrustLevel.AT_RISK:
            score += WEIGHTS["trust"]["at-risk"]
            reasons.append("the component's trust level is at-risk")
        if any(s.kind == "ownership-changed" for s in trust.signals):
            score += WEIGHTS["trust"]["ownership-changed"]
            reasons.append("its PyPI ownership changed since the baseline")
    dependency_score, dependency_reasons = _dependency_terms(depth)
    score += dependency_score
    reasons += dependency_reasons
    if finding.fix.version is not None:
        score += WEIGHTS["fix"]["available"]
        reasons.append(f"a fix exists: {finding.fix.note}")
    else:
        reasons.append(finding.fix.note)
    if finding.suppressed and finding.analysis is not None:
        reasons.append(f"suppressed: {finding.analysis.detail or finding.analysis.state}")
    return Finding(
        kind=kind,
        component=finding.component,
        title=advisory.id,
        severity=advisory.severity,
        score=score,
        reasons=tuple(reasons),
        reach=reach,
        vulnerability=finding,
        suppressed=finding.suppressed,
        depth=depth[0] if depth else None,
        paths=depth[1] if depth else 0,
        trust_level=trust.level.label if trust is not None else "unknown",
    )


def _trust(
    result: ComponentTrust, signal: Signal, reach: Reach, depth: tuple[int, int] | None
) -> Finding:
    if signal.kind == "project-quarantined":
        score = WEIGHTS["kind"]["project-quarantined"]
    else:
        score = WEIGHTS["signal"][signal.severity.value]
    reasons = [f"{signal.severity.value} trust signal: {signal.message}"]
    if reach.verdict in ("reachable", "imported"):
        score += WEIGHTS["signal"]["code-runs"]
        reasons.append(f"the application runs its code ({reach.reason})")
    dependency_score, dependency_reasons = _dependency_terms(depth)
    score += dependency_score
    reasons += dependency_reasons
    return Finding(
        kind="trust",
        component=result.component,
        title=signal.kind,
        severity=signal.severity.value,
        score=score,
        reasons=tuple(reasons),
        reach=reach,
        signal=signal,
        depth=depth[0] if depth else None,
        paths=depth[1] if depth else 0,
        trust_level=result.level.label,
    )


def dependency_routes(
    dependencies: Mapping[str, Sequence[str]], root: str | None
) -> dict[str, tuple[str, ...]]:
    """One shortest route of bom-refs from ``root`` to each bom-ref it depends on."""
    if root is None:
        return {}
    routes: dict[str, tuple[str, ...]] = {root: (root,)}
    frontier = [root]
    while frontier:
        following = []
        for ref in frontier:
            for child in dependencies.get(ref, ()):
                if child not in routes:
                    routes[child] = (*routes[ref], child)
                    following.append(child)
        frontier = following
    return routes


def dependency_depths(
    components: Sequence[Component],
    dependencies: Mapping[str, Sequence[str]],
    root: str | None,
) -> dict[str, tuple[int, int]]:
    """Per component JSON path: (shortest distance from ``root``, number of paths from it).

    Paths are counted over the SBOM's ``dependencies`` graph (cycles broken at first visit).
    """
    routes = dependency_routes(dependencies, root)
    if root is None:
        return {}
    distance = {ref: len(route) - 1 for ref, route in routes.items()}
    paths: dict[str, int] = {root: 1}
    for ref in sorted(distance, key=distance.__getitem__):
        for child in dependencies.get(ref, ()):
            if distance.get(child, -1) > distance[ref]:
                paths[child] = paths.get(child, 0) + paths.get(ref, 0)
    return {
        c.json_path: (distance[c.bom_ref], paths.get(c.bom_ref, 0))
        for c in components
        if c.bom_ref is not None and c.bom_ref in distance
    }
