"""The ``html`` report: one self-contained page (no network, no external scripts or fonts).

A summary, the ranked findings with filters, the picture of the dependency graph of the
components with findings, a trust card per component, and for each finding its call path (one
step per line, with file:line) and its dependency route from the SBOM's root.
Everything shown is escaped; the style and the page's only script (the filters) are
``sbom_enrich/data/report.css`` and ``report.js``, inlined.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import resources

from sbom_enrich.model.advisory import advisory_source
from sbom_enrich.model.bom import BomDocument
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import ProjectMetadata, Unavailable
from sbom_enrich.model.scales import SEVERITIES, VERDICTS
from sbom_enrich.rank.prioritize import Finding, dependency_routes
from sbom_enrich.reports.call_path import call_steps
from sbom_enrich.reports.dependency_graph import dependency_graph_svg
from sbom_enrich.reports.exploited import (
    KEV_MARK,
    exploited_entry,
    exploited_headline,
    listed_marks,
)
from sbom_enrich.reports.reachability import reach_summary
from sbom_enrich.trust.assess import ComponentTrust, TrustRun
from sbom_enrich.version import __version__

__all__ = ["html_report"]

_STYLE = resources.files("sbom_enrich.data").joinpath("report.css").read_text(encoding="utf-8")
_SCRIPT = resources.files("sbom_enrich.data").joinpath("report.js").read_text(encoding="utf-8")


def _finding_rows(findings: Sequence[Finding], routes: Mapping[str, tuple[str, ...]]) -> list[str]:
    rows = []
    for rank, finding in enumerate(findings, start=1):
        fix = html.escape(finding.vulnerability.fix.note) if finding.vulnerability else ""
        name = f"{finding.component.name} {finding.component.version or ''}"
        row_id = f"finding-{rank}"
        classes = "finding suppressed" if finding.suppressed else "finding"
        rows.append(
            f'<tr class="{classes}" id="{row_id}" data-severity="{finding.severity}" '
            f'data-kind="{finding.kind}" data-reach="{finding.reach.verdict}">'
            f"<td>{rank}</td><td>{finding.score:g}</td><td>{_title(finding)}{_mark(finding)}</td>"
            f"<td>{html.escape(name)}</td>"
            f'<td><span class="badge {finding.severity}">{finding.severity}</span></td>'
            f"<td>{finding.reach.verdict}</td><td>{fix}</td></tr>"
        )
        details = "".join(f"<li>{html.escape(reason)}</li>" for reason in finding.reasons)
        details += _aliases(finding)
        pictures = ""
        if finding.reach.path:
            pictures += _call_path(finding)
        route = routes.get(finding.component.bom_ref or "")
        if route and len(route) > 1:
            steps = " → ".join(html.escape(step) for step in route)
            pictures += f'<p>Dependency route from the root: <span class="route">{steps}</span></p>'
        rows.append(
            f'<tr id="{row_id}-detail"><td></td><td colspan="6"><details><summary>Why</summary>'
            f"<ul>{details}</ul>{pictures}</details></td></tr>"
        )
    return rows


def _labels(document: BomDocument) -> dict[str, str]:
    """bom-ref -> "name version", for the application (the root component) and its packages."""
    labels = {c.bom_ref: f"{c.name} {c.version or ''}".strip() for c in document.components}
    labels.update({s.component.bom_ref: s.component.name for s in document.skipped})
    root = document.tree.get("metadata", {}).get("component")
    if isinstance(root, dict) and isinstance(root.get("bom-ref"), str):
        labels[root["bom-ref"]] = f"{root.get('name', '')} {root.get('version', '')}".strip()
    return {ref: label for ref, label in labels.items() if ref is not None and label}


def _title(finding: Finding) -> str:
    if finding.vulnerability is None:
        return html.escape(finding.title)
    advisory = finding.vulnerability.advisory
    _, page = advisory_source(advisory.id)
    summary = (
        f'<div class="muted">{html.escape(advisory.summary[:120])}</div>'
        if advisory.summary
        else ""
    )
    return f'<a href="{html.escape(page)}">{html.escape(finding.title)}</a>{summary}'


def _aliases(finding: Finding) -> str:
    aliases = sorted(finding.vulnerability.advisory.aliases) if finding.vulnerability else []
    if not aliases:
        return ""
    links = ", ".join(
        f'<a href="{html.escape(advisory_source(alias)[1])}">{html.escape(alias)}</a>'
        for alias in aliases
    )
    return f"<li>also known as {links}</li>"


def _mark(finding: Finding) -> str:
    entry = exploited_entry(finding)
    if entry is None:
        return ""
    since = html.escape(f"known exploited since {entry.date_added}")
    return f' <span class="badge critical" title="{since}">{KEV_MARK}</span>'


def _call_path(finding: Finding) -> str:
    """The call path as an ordered list, one call per line with its file:line."""
    steps = "".join(
        f"<li><code>{html.escape(s.caller)}</code> calls <code>{html.escape(s.callee)}</code> "
        f'<span class="muted">at {html.escape(s.where)}</span></li>'
        for s in call_steps(finding.reach)
    )
    return f'<p>Call path</p><ol class="path">{steps}</ol>'


def _cards(trust: TrustRun) -> list[str]:
    """One card per component that has something to say; the rest collapsed by reason."""
    cards: list[str] = []
    plain: dict[tuple[str, str, str], list[ComponentTrust]] = {}
    for result in trust.results:
        if not result.signals and result.publisher is None:
            key = (result.level.label, result.attestation_status, "; ".join(result.level_reasons))
            plain.setdefault(key, []).append(result)
            continue
        cards.append(_card(result))
    for (level, attestations, reasons), results in sorted(plain.items()):
        names = ", ".join(
            f"{r.component.name} {r.component.version or ''}".strip() for r in results
        )
        cards.append(
            f'<div class="card"><h3>{len(results)} components</h3>'
            f'<div class="level level-{level}">{level}</div>'
            f'<div class="muted">{html.escape(reasons)}</div>'
            f"<div>attestations: {html.escape(attestations)}; no trust signal</div>"
            f'<div class="muted">{html.escape(names)}</div></div>'
        )
    return cards


def _card(result: ComponentTrust) -> str:
    component = result.component
    publisher = result.publisher.describe() if result.publisher else "no verified publisher"
    signals = "".join(
        f'<li><span class="badge {s.severity.value}">{s.severity.value}</span>'
        f"{html.escape(s.kind)}: {html.escape(s.message)}</li>"
        for s in result.signals
    )
    reasons = "; ".join(result.level_reasons)
    return (
        f'<div class="card"><h3>{html.escape(component.name)} '
        f"{html.escape(component.version or '')}</h3>"
        f'<div class="level level-{result.level.label}">{result.level.label}</div>'
        f'<div class="muted">{html.escape(reasons)}</div>'
        f"<div>attestations: {html.escape(result.attestation_status)}</div>"
        f"<div>publisher: {html.escape(publisher)}</div>"
        f"<div>{html.escape(_owners(result))}</div>"
        + (f"<ul>{signals}</ul>" if signals else "")
        + "</div>"
    )


def _owners(result: ComponentTrust) -> str:
    metadata = result.facts.metadata
    if not isinstance(metadata, ProjectMetadata):
        return "owners: unavailable"
    ownership = metadata.ownership
    if ownership is None:
        return "owners: not served by the index"
    people = ", ".join(f"{user} ({role})" for user, role in sorted(ownership.roles))
    if not people and ownership.organization:
        return f"owned by the organization {ownership.organization} (no individual roles listed)"
    organization = f"; organization: {ownership.organization}" if ownership.organization else ""
    return f"owners: {people or 'none listed'}{organization}"


def _select(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{v}">{v}</option>' for v in values)
    return (
        f'<label>{label} <select id="f-{name}"><option value="">all</option>{options}'
        "</select></label>"
    )


def html_report(
    document: BomDocument,
    trust: TrustRun,
    findings: Sequence[Finding],
    *,
    now: datetime,
    exploited: ExploitedCatalog | Unavailable | None = None,
) -> str:
    """The page as one string; ``exploited`` is the ``--kev`` catalog, if one was asked for."""
    active = [f for f in findings if not f.suppressed]
    severities = Counter(f.severity for f in active)
    badges = "".join(
        f'<span class="badge {s}">{severities[s]} {s}</span>' for s in SEVERITIES if severities[s]
    )
    labels = _labels(document)
    ref_routes = dependency_routes(document.dependencies, document.root_ref)
    routes = {
        ref: tuple(labels.get(step, step) for step in route) for ref, route in ref_routes.items()
    }
    filters = (
        '<div class="filters">'
        + _select("severity", "severity", SEVERITIES)
        + _select("kind", "kind", ("malicious", "vulnerability", "trust"))
        + _select("reach", "reachability", VERDICTS)
        + '<label>text <input id="f-text" type="search"></label>'
        + '<span id="f-count" class="muted"></span></div>'
    )
    headline = exploited_headline(exploited, listed_marks(findings))
    exploited_line = f"<p>{html.escape(headline)}</p>" if headline else ""
    exploited_line = f"<p>{html.escape(reach_summary(findings).headline())}</p>" + exploited_line
    title = f"sbom-enrich report: {document.source}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<style>{_STYLE}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1>"
        f'<div class="muted">sbom-enrich {html.escape(__version__)}, '
        f"{html.escape(now.isoformat(timespec='seconds'))}; "
        f"{len(document.components)} PyPI components, {len(document.skipped)} skipped</div>"
        f"<p><strong>{len(active)} findings</strong> {badges}"
        f"{len(findings) - len(active)} suppressed</p>{exploited_line}</header><main>"
        + _graph_section(findings, ref_routes, labels)
        + f"<h2>Findings, most important first</h2>{filters}"
        "<table><thead><tr><th>#</th><th>score</th><th>finding</th><th>component</th>"
        "<th>severity</th><th>reachability</th><th>fix</th></tr></thead><tbody>"
        + "".join(_finding_rows(findings, routes))
        + '</tbody></table><h2>Components</h2><div class="cards">'
        + "".join(_cards(trust))
        + "</div>"
        + f'<script type="application/json" id="data">{_json_data(findings)}</script>'
        + f"<script>{_SCRIPT}</script></main></body></html>\n"
    )


def _graph_section(
    findings: Sequence[Finding],
    routes: Mapping[str, tuple[str, ...]],
    labels: Mapping[str, str],
) -> str:
    picture = dependency_graph_svg(findings, routes, labels)
    if not picture:
        return ""
    return (
        "<h2>Where the findings are</h2>"
        '<p class="muted">The shortest dependency route from the application to each component '
        "with findings; in red, the routes to components whose vulnerable code the application "
        "reaches, with the functions it reaches.</p>" + picture
    )


def _json_data(findings: Sequence[Finding]) -> str:
    """The ranked ids, for tools that read the page; ``</`` is escaped so it cannot end the tag."""
    data = [{"id": f.title, "component": f.component.name, "score": f.score} for f in findings]
    return json.dumps(data).replace("</", "<\\/")
