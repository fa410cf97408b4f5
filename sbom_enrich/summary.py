"""The lines ``sbom-enrich enrich`` prints about trust after a run."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from sbom_enrich.assess import TrustRun
from sbom_enrich.signals import Severity

__all__ = ["SHOWN_SIGNALS", "summarize_trust", "trust_headline"]

SHOWN_SIGNALS = 20
"""How many signals are listed without --verbose; a count says how many more there are."""


def trust_headline(trust: TrustRun) -> str:
    """One line: components by trust level, lookup failures and signals by severity."""
    levels = Counter(result.level for result in trust.results)
    parts = [f"{levels[level]} {level.label}" for level in sorted(levels, reverse=True)]
    failed = sum(1 for result in trust.results if result.unavailable)
    severities = Counter(s.severity for result in trust.results for s in result.signals)
    signals = ", ".join(f"{severities[s]} {s.value}" for s in Severity if severities[s])
    return (
        "Trust: "
        + (", ".join(parts) or "no PyPI components")
        + f"; {failed} unavailable (lookup failed)"
        + (f"; signals: {signals}" if signals else "; no signals")
    )


def summarize_trust(console: Console, trust: TrustRun, *, verbose: bool) -> None:
    """Print the headline, then the signals (most severe first), then failures if verbose."""
    console.print(trust_headline(trust), markup=False)
    found = sorted(
        ((s, r) for r in trust.results for s in r.signals), key=lambda pair: pair[0].severity.rank
    )
    shown = found if verbose else found[:SHOWN_SIGNALS]
    for signal, result in shown:
        version = result.facts.version
        console.print(
            f"  {signal.severity.value:8} {result.project} {version}: {signal.kind}: "
            f"{signal.message}",
            markup=False,
        )
    if len(found) > len(shown):
        console.print(f"  ... and {len(found) - len(shown)} more (--verbose lists all)")
    if verbose:
        for result in trust.results:
            for gap in result.gaps:
                console.print(
                    f"  unavailable {result.project} {result.facts.version}: {gap.source}: "
                    f"{gap.reason}",
                    markup=False,
                )
