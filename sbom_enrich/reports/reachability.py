"""The reachability summary every report leads with: counts by verdict and the noise cut.

The noise cut is the share of advisory findings the call graph decided ``not-reachable``: the
ones a team need not act on first. Without ``--project`` every verdict is ``unknown`` and the
summary says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sbom_enrich.model.scales import VERDICTS
from sbom_enrich.rank.prioritize import Finding

__all__ = ["ReachSummary", "reach_summary"]


@dataclass(frozen=True)
class ReachSummary:
    """Advisory findings (not suppressed) counted by verdict and by granularity."""

    advisories: int
    by_verdict: dict[str, int]
    by_granularity: dict[str, int]

    @property
    def not_reachable(self) -> int:
        """How many advisories the call graph ruled out."""
        return self.by_verdict.get("not-reachable", 0)

    def headline(self) -> str:
        """``Reachability: 5 reachable, ...; noise cut: 11 of 24 advisories not reachable ...``."""
        counts = ", ".join(f"{self.by_verdict.get(v, 0)} {v}" for v in VERDICTS)
        share = f" ({100 * self.not_reachable / self.advisories:.0f}%)" if self.advisories else ""
        return (
            f"Reachability of {self.advisories} advisories: {counts}; noise cut: "
            f"{self.not_reachable} of {self.advisories} not reachable from your code{share}"
        )


def reach_summary(findings: Sequence[Finding]) -> ReachSummary:
    """Count the active advisory findings of ``findings`` by verdict and granularity."""
    advisories = [f for f in findings if f.vulnerability is not None and not f.suppressed]
    return ReachSummary(
        len(advisories),
        dict(Counter(f.reach.verdict for f in advisories)),
        dict(Counter(f.reach.granularity for f in advisories)),
    )
