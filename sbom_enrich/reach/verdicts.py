"""Reachability for SBOM components: the call graph's verdict per installed distribution.

Without vulnerable-symbol data the verdict is package level: ``imported`` when the
application's code imports the distribution's modules on some path from its roots (with that
path as evidence), ``not-reachable`` when nothing does and nothing dynamic could, ``unknown``
otherwise. The VEX ``analysis`` each verdict justifies is derived here (DESIGN.md section 3).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cyclonedx.schema import SchemaVersion
from packaging.utils import canonicalize_name

from sbom_enrich.advisories.triage import VexAnalysis, VulnerabilityFinding
from sbom_enrich.model.bom import Component
from sbom_enrich.model.reach import Granularity, Reach, finding_reach
from sbom_enrich.reach.symbols import AdvisorySymbols

if TYPE_CHECKING:  # the engine (libcst, networkx) loads only when a call graph is built
    from sbom_enrich.reachability import Analysis as GraphAnalysis
    from sbom_enrich.reachability import VerdictResult

__all__ = ["component_reach", "evidence", "symbol_reach", "with_inferred_analysis"]


def component_reach(analysis: GraphAnalysis, components: Iterable[Component]) -> dict[str, Reach]:
    """The verdict of each component's distribution, keyed by the component's JSON path."""
    return {
        component.json_path: _reach(
            analysis, analysis.reachability.distribution_verdict(component.name)
        )
        for component in components
    }


def _reach(
    analysis: GraphAnalysis,
    result: VerdictResult,
    reason: str | None = None,
    granularity: Granularity = "package",
) -> Reach:
    steps = tuple((s.caller, s.callee, _shown(s.path), s.line) for s in result.path)
    frames = tuple(_frame(analysis, caller, path, line) for caller, _callee, path, line in steps)
    return Reach(result.verdict, reason or result.reason, steps, frames, granularity)


def symbol_reach(
    analysis: GraphAnalysis,
    findings: Iterable[VulnerabilityFinding],
    symbols: Sequence[AdvisorySymbols],
    package: Mapping[str, Reach],
) -> dict[tuple[str, str], Reach]:
    """Function-level verdicts for advisories with derived symbols (``symbols derive``).

    Keyed by (component JSON path, advisory id).
    ``reachable`` when a candidate symbol is reached (with the path to it). Otherwise curated
    symbols give ``not-reachable`` when no path can reach them (``unknown`` when something
    dynamic might); for derived symbols (published, text, fix diff), which are not strong
    enough to call code unreachable, the package-level verdict stands with the candidates named.
    """
    by_id: dict[tuple[str, str], AdvisorySymbols] = {}
    for entry in symbols:  # curated entries win over derived ones for the same advisory
        key = (canonicalize_name(entry.package), entry.advisory)
        held = by_id.get(key)
        if held is None or (_is_curated(entry) and not _is_curated(held)):
            by_id[key] = entry
    found: dict[tuple[str, str], Reach] = {}
    for finding in findings:
        project = canonicalize_name(finding.component.name)
        matches = [
            by_id[(project, i)] for i in sorted(finding.advisory.ids) if (project, i) in by_id
        ]
        chosen = next((m for m in matches if _is_curated(m)), matches[0] if matches else None)
        path = finding.component.json_path
        if chosen is None or path not in package:
            continue
        if chosen.candidates:
            found[(path, finding.advisory.id)] = _symbol_verdict(analysis, chosen, package[path])
        elif chosen.changed_modules:
            found[(path, finding.advisory.id)] = _module_verdict(analysis, chosen, package[path])
    return found


def _module_verdict(analysis: GraphAnalysis, entry: AdvisorySymbols, package: Reach) -> Reach:
    """``imported`` when a module the fix changed is imported; else the package's verdict.

    Derived data never makes code ``not-reachable``, so an imported package whose changed
    modules are not imported keeps its verdict, and the reason says so.
    """
    for module in entry.changed_modules:
        result = analysis.reachability.module_verdict(module)
        if result.verdict == "imported":
            reason = f"{module}, which the fix changed, is imported"
            return _reach(analysis, result, reason, "module")
    if not entry.changed_modules or package.verdict != "imported":
        return package
    names = ", ".join(entry.changed_modules[:3])
    return replace(
        package,
        reason=f"none of the modules the fix changed ({names}) is imported; {package.reason}",
    )


_CONFIDENCE = ("high", "medium", "low")


def _is_curated(entry: AdvisorySymbols) -> bool:
    return any(c.source == "curated" for c in entry.candidates)


def _symbol_verdict(analysis: GraphAnalysis, entry: AdvisorySymbols, package: Reach) -> Reach:
    """Reached when a candidate of the best confidence present is reached.

    Lower-confidence candidates are not tried when better ones exist: a fix diff also changes
    code the advisory is not about, and that must not make the finding ``reachable``.
    """
    best = min(_CONFIDENCE.index(c.confidence) for c in entry.candidates)
    candidates = [c for c in entry.candidates if _CONFIDENCE.index(c.confidence) == best]
    for candidate in candidates:
        result = analysis.reachability.verdict(candidate.symbol)
        if result.verdict == "reachable":
            return _reach(
                analysis,
                result,
                f"{candidate.symbol} is called ({candidate.source} symbol, "
                f"{candidate.confidence} confidence)",
                "function",
            )
    names = ", ".join(c.symbol for c in candidates[:3])
    sources = ", ".join(sorted({c.source for c in candidates}))
    if package.verdict == "not-reachable":
        return package
    absent = [c.symbol for c in candidates if analysis.reachability.absent(c.symbol)]
    if absent:  # the installed code has no such function: only its module can be judged
        result = analysis.reachability.verdict(absent[0])
        if result.verdict == "imported":
            return _reach(analysis, result, result.reason, "module")
        return replace(package, reason=f"{result.reason} ({package.reason})")
    if _is_curated(entry):
        verdicts = [analysis.reachability.verdict(c.symbol) for c in candidates]
        open_ = [v for v in verdicts if v.verdict != "not-reachable"]
        if not open_:
            return Reach(
                "not-reachable",
                f"no path reaches the curated symbols {names}, and nothing dynamic could",
                granularity="function",
            )
        if package.verdict == "unknown":
            return package  # the package itself could not be analyzed: that is the reason
        return Reach(
            "unknown", f"curated symbols {names}: {open_[0].reason}", granularity="function"
        )
    fallback = _module_verdict(analysis, entry, package)
    return replace(
        fallback, reason=f"no path to the candidate symbols {names} ({sources}); {fallback.reason}"
    )


def _shown(path: str) -> str:
    """A path relative to the working directory when inside it (outputs stay portable)."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _frame(
    analysis: GraphAnalysis, caller: str, path: str, line: int
) -> tuple[str, str | None, str, int]:
    if caller in analysis.program.modules:
        return caller, None, path, line
    function = analysis.program.function_module.get(caller)
    if function is not None:
        return function, caller[len(function) + 1 :], path, line
    module, _, name = caller.rpartition(".")
    return module or caller, name, path, line


def with_inferred_analysis(
    findings: Iterable[VulnerabilityFinding],
    reach: Mapping[str, Reach],
    by_finding: Mapping[tuple[str, str], Reach] | None = None,
) -> tuple[VulnerabilityFinding, ...]:
    """Give findings that have no analysis yet the one their verdict justifies.

    The function-level verdict in ``by_finding`` wins over the package-level one
    (:func:`~sbom_enrich.model.reach.finding_reach`).
    """
    result = []
    for finding in findings:
        path = finding.component.json_path
        verdict = finding_reach(path, finding.advisory.id, reach, by_finding)
        if finding.analysis is None and verdict is not None:
            finding = replace(finding, analysis=_analysis(verdict))
        result.append(finding)
    return tuple(result)


def _analysis(reach: Reach) -> VexAnalysis:
    if reach.verdict == "not-reachable":
        return VexAnalysis(
            state="not_affected",
            justification="code_not_reachable",
            origin="reachability",
            detail=f"{reach.granularity} level: {reach.reason}"
            + ("; no dynamic import could load it" if reach.granularity == "package" else ""),
            inferred=True,
        )
    if reach.verdict == "reachable":
        return VexAnalysis(
            state="exploitable",
            origin="reachability",
            detail=f"{reach.granularity} level: {reach.reason}",
            inferred=True,
        )
    if reach.verdict == "imported":
        return VexAnalysis(
            state="in_triage",
            origin="reachability",
            detail=f"{reach.granularity} level: {reach.reason} (which functions the advisory "
            "is about is not known, so whether they are called is not decided)",
            inferred=True,
        )
    return VexAnalysis(
        state="in_triage",
        origin="reachability",
        detail=f"reachability unknown: {reach.reason}",
        inferred=True,
    )


def evidence(reach: Reach, version: SchemaVersion) -> dict[str, Any] | None:
    """The call path as CycloneDX ``evidence`` (1.5 and later); None when there is no path.

    ``callstack.frames`` is a stack, innermost first as in a traceback read bottom-up: the call
    that enters the package, then each caller back to the application's root. Each frame is the
    calling function and the line of its call. ``occurrences`` is the application's own call
    site that starts the path.
    """
    if not reach.frames or version < SchemaVersion.V1_5:
        return None
    frames = []
    for module, function, path, line in reversed(reach.frames):
        frame: dict[str, Any] = {"module": module}
        if function:
            frame["function"] = function
        frames.append({**frame, "line": line, "fullFilename": path})
    caller, _, path, line = reach.path[0]
    occurrence: dict[str, Any] = {"location": path}
    if version >= SchemaVersion.V1_6:
        occurrence.update({"line": line, "symbol": caller})
    return {"callstack": {"frames": frames}, "occurrences": [occurrence]}
