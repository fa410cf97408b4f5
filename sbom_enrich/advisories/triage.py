"""Findings with their analysis: suppressions from the config file and VEX statements applied.

A finding is one (component, advisory) pair. An ignore rule or a VEX statement gives it a
CycloneDX ``analysis``; states that say the component is not at risk (``not_affected``,
``false_positive``, ``resolved``, ``resolved_with_pedigree``) suppress it, the others
(``exploitable``, ``in_triage``) annotate it and it stays active. Findings are never dropped:
a suppressed one is still written, with its analysis, so the reason travels with the SBOM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sbom_enrich.advisories.collect import ComponentAdvisories, Fix, MergedAdvisory
from sbom_enrich.advisories.suppressions import ANALYSIS_STATES, JUSTIFICATIONS, Ignore
from sbom_enrich.model.bom import Component
from sbom_enrich.model.exploited import KnownExploited

__all__ = [
    "SUPPRESSING_STATES",
    "VexAnalysis",
    "Triage",
    "VexStatement",
    "VulnerabilityFinding",
    "triage",
    "vex_statements",
]

SUPPRESSING_STATES = frozenset(
    {"not_affected", "false_positive", "resolved", "resolved_with_pedigree"}
)


@dataclass(frozen=True)
class VexAnalysis:
    """A CycloneDX ``analysis``, with where it came from (``origin``)."""

    state: str
    origin: str
    justification: str | None = None
    responses: tuple[str, ...] = ()
    detail: str | None = None
    inferred: bool = False
    """True for an analysis sbom-enrich derived itself (from reachability), as opposed to a
    person's decision (an ignore, a VEX statement); an inferred one never suppresses."""

    @property
    def suppresses(self) -> bool:
        """Whether a person's analysis says the component is not at risk."""
        return self.state in SUPPRESSING_STATES and not self.inferred


@dataclass(frozen=True)
class VulnerabilityFinding:
    """One advisory affecting one component."""

    component: Component
    advisory: MergedAdvisory
    fix: Fix
    analysis: VexAnalysis | None = None
    exploited: KnownExploited | None = None
    """The catalog entry when a known-exploited catalog (``--kev``) lists the advisory."""

    @property
    def suppressed(self) -> bool:
        """True when an analysis says the component is not at risk."""
        return self.analysis is not None and self.analysis.suppresses


@dataclass(frozen=True)
class VexStatement:
    """One vulnerability of an input VEX document: ids, the bom-refs it affects, the analysis.

    BOM-Links (``urn:cdx:<serial>/<version>#<bom-ref>``) are reduced to their bom-ref.
    """

    ids: frozenset[str]
    refs: frozenset[str]
    analysis: VexAnalysis


@dataclass(frozen=True)
class Triage:
    """The findings, plus the ignores that expired and those that matched nothing."""

    findings: tuple[VulnerabilityFinding, ...]
    expired: tuple[Ignore, ...]
    unused: tuple[Ignore, ...]


def vex_statements(tree: Mapping[str, Any], source: str) -> tuple[VexStatement, ...]:
    """The statements with an ``analysis`` in a CycloneDX VEX (or any BOM with vulnerabilities)."""
    statements = []
    for vulnerability in tree.get("vulnerabilities") or ():
        analysis = vulnerability.get("analysis") or {}
        state = analysis.get("state")
        if state not in ANALYSIS_STATES:
            continue
        ids = {str(vulnerability.get("id", ""))} | {
            str(reference.get("id")) for reference in vulnerability.get("references") or ()
        }
        refs = {_bom_ref(str(a.get("ref", ""))) for a in vulnerability.get("affects") or ()}
        justification = analysis.get("justification")
        statements.append(
            VexStatement(
                frozenset(i for i in ids if i),
                frozenset(r for r in refs if r),
                VexAnalysis(
                    state=state,
                    origin=f"vex:{source}",
                    justification=justification if justification in JUSTIFICATIONS else None,
                    responses=tuple(str(r) for r in analysis.get("response") or ()),
                    detail=analysis.get("detail"),
                ),
            )
        )
    return tuple(statements)


def _bom_ref(ref: str) -> str:
    if ref.startswith("urn:cdx:") and "#" in ref:
        return ref.split("#", 1)[1]
    return ref


def triage(
    components: Iterable[ComponentAdvisories],
    ignores: Sequence[Ignore] = (),
    statements: Sequence[VexStatement] = (),
    *,
    today: date,
) -> Triage:
    """Make the findings and give each the first matching ignore or VEX analysis.

    Ignores come first (they are this project's own decisions), then VEX statements in order.
    """
    active = [rule for rule in ignores if not rule.expired(today)]
    used: set[int] = set()
    findings = []
    for entry in components:
        project = entry.facts.project
        for advisory in entry.advisories:
            analysis = None
            for position, rule in enumerate(active):
                if rule.matches(advisory.ids, project, entry.facts.version):
                    used.add(position)
                    analysis = VexAnalysis(
                        state=rule.state,
                        origin=rule.where,
                        justification=rule.justification,
                        detail=rule.reason + (f" (until {rule.until})" if rule.until else ""),
                    )
                    break
            if analysis is None:
                analysis = _from_vex(statements, advisory, entry.component)
            findings.append(
                VulnerabilityFinding(entry.component, advisory, entry.fix(advisory), analysis)
            )
    return Triage(
        findings=tuple(findings),
        expired=tuple(rule for rule in ignores if rule.expired(today)),
        unused=tuple(rule for position, rule in enumerate(active) if position not in used),
    )


def _from_vex(
    statements: Sequence[VexStatement], advisory: MergedAdvisory, component: Component
) -> VexAnalysis | None:
    for statement in statements:
        if statement.ids & advisory.ids and (
            not statement.refs
            or (component.bom_ref is not None and component.bom_ref in statement.refs)
        ):
            return statement.analysis
    return None
