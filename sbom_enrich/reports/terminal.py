"""The lines ``sbom-enrich enrich`` prints about trust after a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from sbom_enrich.advisories.step import AdvisoryRun
from sbom_enrich.model.scales import SEVERITIES
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.exploited import KEV_MARK, exploited_entry, exploited_headline
from sbom_enrich.reports.reachability import reach_summary
from sbom_enrich.reports.wrap import say
from sbom_enrich.trust.assess import TrustRun
from sbom_enrich.trust.signals import Severity

__all__ = [
    "SHOWN_SIGNALS",
    "findings_table",
    "summarize_advisories",
    "summarize_trust",
    "trust_headline",
]

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
    say(console, trust_headline(trust))
    found = sorted(
        ((s, r) for r in trust.results for s in r.signals), key=lambda pair: pair[0].severity.rank
    )
    shown = found if verbose else found[:SHOWN_SIGNALS]
    for signal, result in shown:
        version = result.facts.version
        say(
            console,
            f"  {signal.severity.value:8} {result.project} {version}: {signal.kind}: "
            f"{signal.message}",
        )
    if len(found) > len(shown):
        say(console, f"  ... and {len(found) - len(shown)} more (--verbose lists all)")
    if verbose:
        for result in trust.results:
            for gap in result.gaps:
                say(
                    console,
                    f"  unavailable {result.project} {result.facts.version}: {gap.source}: "
                    f"{gap.reason}",
                )


def summarize_advisories(console: Console, run: AdvisoryRun, *, verbose: bool) -> None:
    """One line: findings (active, suppressed), by severity; sources that did not answer."""
    findings = run.triage.findings
    active = [f for f in findings if not f.suppressed]
    severities = Counter(f.advisory.severity for f in active)
    by_severity = ", ".join(f"{severities[s]} {s}" for s in SEVERITIES if severities[s])
    affected = len({f.component.json_path for f in active})
    statuses = Counter(entry.status for entry in run.components)
    unavailable: dict[str, list[str]] = {}
    partial: dict[str, list[str]] = {}
    for entry in run.components:
        for answer in entry.answers:
            if answer.unavailable:
                unavailable.setdefault(answer.source, []).append(answer.unavailable)
            if answer.gaps:
                partial.setdefault(answer.source, []).append(answer.gaps[0])
    line = (
        f"Advisories ({', '.join(run.sources)}): {len(active)} in {affected} components"
        + (f" ({by_severity})" if by_severity else "")
        + f", {len(findings) - len(active)} suppressed; "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    )
    say(console, line)
    marks = [f.exploited for f in active]
    headline = exploited_headline(run.exploited, marks)
    if headline is not None:
        say(console, f"  {headline}")
    for source, reasons in sorted(unavailable.items()):
        say(
            console,
            f"  {source} unavailable for {len(reasons)} of {len(run.components)} components; "
            f"first: {reasons[0]}",
        )
    for source, reasons in sorted(partial.items()):
        say(
            console,
            f"  {source} partial for {len(reasons)} of {len(run.components)} components; "
            f"first: {reasons[0]}",
        )
    for rule in run.triage.expired:
        say(
            console,
            f"  expired ignore, no longer applied: {rule.id} (until {rule.until}) at {rule.where}",
        )
    if verbose:
        for rule in run.triage.unused:
            say(console, f"  unused ignore: {rule.id} at {rule.where}")


def summarize_reachability(console: Console, findings: Sequence[Finding]) -> None:
    """One line: advisory findings by reachability verdict, and the noise cut."""
    summary = reach_summary(findings)
    if summary.advisories:
        say(console, summary.headline())


def findings_table(console: Console, findings: Sequence[Finding], *, rows: int = 10) -> None:
    """The top findings as a rich table on the terminal (nothing when there are none).

    The fix column names the version to move to (``-`` when there is none); at 80 columns the
    finding's title folds onto more lines rather than pushing the other columns off.
    """
    active = [f for f in findings if not f.suppressed]
    if not active:
        return
    table = Table(
        title=f"Top findings ({min(rows, len(active))} of {len(active)})",
        box=None,
        padding=(0, 1, 0, 0),
    )
    table.add_column("#", no_wrap=True, justify="right")
    table.add_column("score", no_wrap=True, justify="right")
    table.add_column("finding", overflow="fold", ratio=1)
    table.add_column("component", overflow="fold")
    for column in ("severity", "reachability", "fix"):
        table.add_column(column, no_wrap=True)
    for rank, finding in enumerate(active[:rows], start=1):
        component = f"{finding.component.name} {finding.component.version or ''}"
        table.add_row(
            str(rank),
            f"{finding.score:g}",
            finding.title + (f" {KEV_MARK}" if exploited_entry(finding) else ""),
            component,
            finding.severity,
            finding.reach.verdict,
            _fix_version(finding),
        )
    console.print(table)


def _fix_version(finding: Finding) -> str:
    fix = finding.vulnerability.fix if finding.vulnerability else None
    return fix.version if fix is not None and fix.version else "-"
