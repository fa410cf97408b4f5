"""A component's advisories as ``sbom-enrich:`` properties (listed in docs/properties.md)."""

from __future__ import annotations

from collections.abc import Sequence

from sbom_enrich.advisories.collect import ComponentAdvisories
from sbom_enrich.advisories.triage import VulnerabilityFinding
from sbom_enrich.cyclonedx.additions import Property

__all__ = ["advisory_properties"]


def advisory_properties(
    entry: ComponentAdvisories, findings: Sequence[VulnerabilityFinding]
) -> list[Property]:
    """Status, what each source answered, and one line per finding of this component."""
    props = [Property("advisories:status", entry.status)]
    for answer in entry.answers:
        if answer.unavailable is not None:
            text = f"{answer.source}: unavailable ({answer.unavailable})"
        else:
            noun = "advisory" if answer.count == 1 else "advisories"
            text = f"{answer.source}: {answer.count} {noun}"
            if answer.gaps:
                text += f" (partial: {'; '.join(answer.gaps)})"
        props.append(Property("advisories:source", text))
    for finding in findings:
        advisory = finding.advisory
        score = f" {advisory.score}" if advisory.score is not None else ""
        kind = "malicious package" if advisory.malicious else advisory.severity + score
        text = f"{advisory.id} ({kind}): {finding.fix.note}"
        if finding.analysis is not None:
            verb = "suppressed" if finding.suppressed else finding.analysis.state
            text += f"; {verb}: {finding.analysis.detail or ''} [{finding.analysis.origin}]"
        props.append(Property("advisory", text))
    return props
