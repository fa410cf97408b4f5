"""The ordered scales findings are rated, sorted and counted by, each stated once.

Severities are the CycloneDX / OSV words. The reachability verdict scale is the call-graph
engine's (:mod:`sbom_enrich.reachability.verdict`), re-exported here for the core.
"""

from __future__ import annotations

from collections.abc import Iterable

from sbom_enrich.reachability.verdict import VERDICTS, Verdict

__all__ = [
    "RATED_SEVERITIES",
    "SEVERITIES",
    "THRESHOLD_SEVERITIES",
    "VERDICTS",
    "Verdict",
    "worst_severity",
]

RATED_SEVERITIES = ("critical", "high", "medium", "low", "none")
"""What a rating can say, worst first."""

SEVERITIES = (*RATED_SEVERITIES, "unknown")
"""Every severity a finding shows, in the order reports count them; ``unknown`` means unrated."""

THRESHOLD_SEVERITIES = ("critical", "high", "medium", "low")
"""The severities a ``--fail-on`` threshold can name."""


def worst_severity(levels: Iterable[str]) -> str:
    """The worst of ``levels`` on the rated scale, or ``unknown`` when none is rated."""
    found = set(levels)
    return next((level for level in RATED_SEVERITIES if level in found), "unknown")
