"""The ``markdown`` report: a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

A headline, a table of the top findings, then collapsed details per finding. Every text from
the SBOM or an index is escaped (:func:`.escape.markdown_text`). It stays under
GitHub's 65,536-character comment limit: findings that do not fit are left out and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sbom_enrich.model.advisory import advisory_source
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.model.scales import SEVERITIES
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.call_path import call_steps
from sbom_enrich.reports.escape import markdown_text
from sbom_enrich.reports.exploited import (
    KEV_MARK,
    exploited_entry,
    exploited_headline,
    listed_marks,
)
from sbom_enrich.reports.reachability import reach_summary

__all__ = ["GITHUB_COMMENT_LIMIT", "markdown_report"]

GITHUB_COMMENT_LIMIT = 65_536
_TABLE_ROWS = 20


def _cell(text: str) -> str:
    return markdown_text(text)


def markdown_report(
    findings: Sequence[Finding],
    *,
    exploited: ExploitedCatalog | Unavailable | None = None,
    limit: int = GITHUB_COMMENT_LIMIT,
) -> str:
    """The report text, at most ``limit`` characters; ``exploited`` is the ``--kev`` catalog."""
    active = [f for f in findings if not f.suppressed]
    severities = Counter(f.severity for f in active)
    counted = ", ".join(f"{severities[s]} {s}" for s in SEVERITIES if severities[s])
    components = len({f.component.json_path for f in active})
    head = [
        "## sbom-enrich",
        "",
        f"**{len(active)} findings in {components} components**"
        + (f" ({counted})" if counted else "")
        + (f"; {len(findings) - len(active)} suppressed" if len(findings) > len(active) else ""),
        "",
    ]
    head += [_cell(reach_summary(findings).headline()), ""]
    headline = exploited_headline(exploited, listed_marks(findings))
    if headline is not None:
        head += [_cell(headline), ""]
    if not active:
        return "\n".join([*head, "Nothing to report.", ""])
    table = [
        "| # | score | finding | component | severity | reachability | fix |",
        "| ---: | ---: | --- | --- | --- | --- | --- |",
    ]
    for rank, finding in enumerate(active[:_TABLE_ROWS], start=1):
        fix = finding.vulnerability.fix.note if finding.vulnerability else ""
        table.append(
            f"| {rank} | {finding.score:g} | {_title(finding)}{_mark(finding)} | "
            f"{_cell(finding.component.name)} {_cell(finding.component.version or '')} | "
            f"{finding.severity} | {finding.reach.verdict} | {_cell(fix)} |"
        )
    if len(active) > _TABLE_ROWS:
        table.append(f"\n{len(active) - _TABLE_ROWS} more findings below the table.")
    text = "\n".join(
        [
            *head,
            *table,
            "",
            "<details><summary>Why each finding ranks where it does</summary>",
            "",
            "",
        ]
    )
    closing = "\n</details>\n"
    for rank, finding in enumerate(active, start=1):
        block = _details(rank, finding)
        note = f"\n_{len(active) - rank + 1} more findings left out to fit GitHub's limit._\n"
        if len(text) + len(block) + len(closing) + len(note) > limit:
            text += note
            break
        text += block
    return text + closing


def _title(finding: Finding) -> str:
    """The finding's id, linked to its advisory page, and its summary."""
    if finding.vulnerability is None:
        return _cell(finding.title)
    advisory = finding.vulnerability.advisory
    _, page = advisory_source(advisory.id)
    summary = f" {_cell(advisory.summary[:80])}" if advisory.summary else ""
    return f"[{_cell(finding.title)}]({page}){summary}"


def _mark(finding: Finding) -> str:
    return f" **{KEV_MARK}**" if exploited_entry(finding) is not None else ""


def _details(rank: int, finding: Finding) -> str:
    lines = [
        f"**{rank}. {_cell(finding.title)}** in {_cell(finding.component.name)} "
        f"{_cell(finding.component.version or '')} (score {finding.score:g})",
        "",
    ]
    lines += [f"- {_cell(reason)}" for reason in finding.reasons]
    aliases = sorted(finding.vulnerability.advisory.aliases) if finding.vulnerability else []
    if aliases:
        links = ", ".join(f"[{_cell(a)}]({advisory_source(a)[1]})" for a in aliases)
        lines.append(f"- also known as {links}")
    if finding.reach.path:
        lines.append("- call path:")
        lines += [
            f"  {number}. `{_cell(s.caller)}` calls `{_cell(s.callee)}` at {_cell(s.where)}"
            for number, s in enumerate(call_steps(finding.reach), start=1)
        ]
    return "\n".join(lines) + "\n\n"
