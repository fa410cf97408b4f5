"""The ``sarif`` report: SARIF 2.1.0 for GitHub code scanning.

One rule per advisory or trust-signal kind, one result per finding. A result is located at the
application's call site that starts its path when the package is imported or reached, else at
the SBOM itself (the manifest we were given). Paths are relative to ``root`` (the repository
root; default the working directory), as code scanning expects; a file outside it is named by
its file name alone, never by an absolute file-system path.

Every rule has ``security-severity`` (the CVSS score, else the rated severity's band; an
unrated advisory counts as medium, a malicious one as 10), a ``help`` text and the advisory's
page as ``helpUri``. A result with a call path carries it as a ``codeFlow`` (every step, the
application's own with its file and line, the others by name and ``file:line`` in site-packages)
and the application's steps as ``relatedLocations``, so that code scanning shows the path. An
unrated finding the application imports or reaches is a ``warning``,
so it shows. GitHub accepts at most :data:`MAX_RESULTS` results per run: the highest ranked
are kept and the run's properties say how many were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sbom_enrich.model.advisory import advisory_source
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.call_path import application_path, call_steps, path_under
from sbom_enrich.reports.escape import markdown_text
from sbom_enrich.reports.exploited import exploited_entry, kev_fields
from sbom_enrich.version import __version__

__all__ = ["MAX_RESULTS", "SARIF_SCHEMA", "sarif_report"]

MAX_RESULTS = 25_000
"""GitHub code scanning's limit of results per run."""

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVELS = {"critical": "error", "high": "error", "medium": "warning"}
_SEVERITY_SCORES = {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0, "none": 0.0}
_UNRATED_SCORE = 5.0
_SIGNAL_HELP = "https://github.com/sbom-enrich/sbom-enrich/blob/main/docs/properties.md"


def _rule_id(finding: Finding) -> str:
    return f"signal/{finding.title}" if finding.kind == "trust" else finding.title


def _relative(path: str, root: Path) -> str:
    return path_under(path, root) or Path(path).name


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": _rule_id(finding), "name": finding.title}
    if finding.vulnerability is not None:
        advisory = finding.vulnerability.advisory
        text = advisory.summary or (advisory.details or advisory.id).split("\n")[0]
        rule["shortDescription"] = {"text": text[:200]}
        if advisory.details:
            rule["fullDescription"] = {"text": advisory.details}
        _, page = advisory_source(advisory.id)
        rule["helpUri"] = page
        rule["help"] = _help(finding, text, page)
        if advisory.malicious:
            score = 10.0
        elif advisory.score is not None:
            score = advisory.score
        else:
            score = _SEVERITY_SCORES.get(advisory.severity, _UNRATED_SCORE)
        tags = ["security", "malicious" if advisory.malicious else "vulnerability"]
    else:
        rule["shortDescription"] = {"text": f"Trust signal: {finding.title}"}
        rule["helpUri"] = f"{_SIGNAL_HELP}#trust-signals"
        message = finding.signal.message if finding.signal else finding.title
        rule["help"] = {
            "text": f"Trust signal {finding.title}: {message}",
            "markdown": f"**Trust signal `{finding.title}`**: {markdown_text(message)}\n\n"
            f"What each signal means: [properties.md]({_SIGNAL_HELP}#trust-signals)",
        }
        score = _SEVERITY_SCORES.get(finding.severity, _UNRATED_SCORE)
        tags = ["security", "supply-chain"]
    rule["properties"] = {
        "tags": tags,
        "precision": "high",
        "security-severity": f"{score:.1f}",
    }
    return rule


def _help(finding: Finding, summary: str, page: str) -> dict[str, str]:
    assert finding.vulnerability is not None
    advisory = finding.vulnerability.advisory
    aliases = ", ".join(sorted(advisory.aliases)) or "none"
    fix = finding.vulnerability.fix.note
    return {
        "text": f"{advisory.id}: {summary} Aliases: {aliases}. Fix: {fix}. Advisory: {page}",
        "markdown": f"**{markdown_text(advisory.id)}**: {markdown_text(summary)}\n\n"
        f"- Aliases: {markdown_text(aliases)}\n- Fix: {markdown_text(fix)}\n"
        f"- Advisory: [{markdown_text(advisory.id)}]({page})",
    }


def _level(finding: Finding) -> str:
    level = _LEVELS.get(finding.severity)
    if level is not None:
        return level
    if finding.severity == "unknown" and finding.reach.verdict in ("reachable", "imported"):
        return "warning"
    return "note"


def _result(finding: Finding, manifest: str, root: Path) -> dict[str, Any]:
    component = finding.component
    where = f"{component.name} {component.version or ''}".strip()
    fix = (
        f" {finding.vulnerability.fix.note[:1].upper()}{finding.vulnerability.fix.note[1:]}."
        if finding.vulnerability
        else ""
    )
    verdict = finding.reach.verdict
    text = f"{finding.title} in {where} ({finding.severity}; reachability {verdict}).{fix}"
    shows_path = bool(finding.reach.path) and verdict in ("reachable", "imported")
    if shows_path:
        caller, _callee, path, line = finding.reach.path[0]
        location = {"uri": _relative(path, root)}
        region = {"startLine": max(line, 1)}
        text += f" Called from {caller}."
    else:
        location = {"uri": _relative(manifest, root)}
        region = {"startLine": 1}
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "level": _level(finding),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {
            "sbomEnrichFinding/v1": f"{_rule_id(finding)}:{component.purl or component.name}"
        },
        "properties": {
            "score": finding.score,
            "reasons": list(finding.reasons),
            "component": component.purl or component.name,
        },
    }
    if shows_path:
        steps = _path_locations(finding, root)
        result["codeFlows"] = [{"threadFlows": [{"locations": [{"location": s} for s in steps]}]}]
        related = [
            dict(step, id=index) for index, step in enumerate(steps) if "physicalLocation" in step
        ]
        if related:
            result["relatedLocations"] = related
    exploited = exploited_entry(finding)
    if exploited is not None:
        result["properties"]["knownExploited"] = kev_fields(exploited)
        result["message"]["text"] += f" Known exploited (KEV, since {exploited.date_added})."
    if finding.suppressed and finding.vulnerability and finding.vulnerability.analysis:
        analysis = finding.vulnerability.analysis
        result["suppressions"] = [
            {"kind": "external", "justification": f"{analysis.state}: {analysis.detail or ''}"}
        ]
    return result


def _path_locations(finding: Finding, root: Path) -> list[dict[str, Any]]:
    """One SARIF location per step of the call path; the application's own with their file."""
    locations: list[dict[str, Any]] = []
    for (_caller, _callee, path, line), step in zip(
        finding.reach.path, call_steps(finding.reach), strict=True
    ):
        inside = application_path(path, root)
        location: dict[str, Any] = {
            "message": {"text": f"{step.caller} calls {step.callee}"},
            "logicalLocations": [{"fullyQualifiedName": step.caller, "kind": "function"}],
        }
        if inside is not None:
            location["physicalLocation"] = {
                "artifactLocation": {"uri": inside},
                "region": {"startLine": max(line, 1)},
            }
        else:
            location["message"]["text"] += f" at {step.where}"
        locations.append(location)
    return locations


def sarif_report(
    findings: Sequence[Finding], *, manifest: str, root: Path | None = None
) -> dict[str, Any]:
    """The SARIF log; ``manifest`` is the SBOM path results without a call site point at.

    ``root`` is the repository root URIs are relative to (default: the working directory).
    """
    kept = findings[:MAX_RESULTS]
    rules: dict[str, dict[str, Any]] = {}
    for finding in kept:
        rules.setdefault(_rule_id(finding), _rule(finding))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "sbom-enrich",
                "version": __version__,
                "informationUri": "https://github.com/sbom-enrich/sbom-enrich",
                "rules": list(rules.values()),
            }
        },
        "results": [_result(finding, manifest, root or Path.cwd()) for finding in kept],
    }
    if len(findings) > len(kept):
        left_out = len(findings) - len(kept)
        run["properties"] = {
            "resultsLeftOut": left_out,
            "note": f"{left_out} lower-ranked findings left out: GitHub code scanning accepts "
            f"at most {MAX_RESULTS} results per run; the JSON report has them all",
        }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
