"""Reachability for SBOM components: the call graph's verdict per installed distribution.

Without vulnerable-symbol data the verdict is package level: ``imported`` when the
application's code imports the distribution's modules on some path from its roots (with that
path as evidence), ``not-reachable`` when nothing does and nothing dynamic could, ``unknown``
otherwise. The VEX ``analysis`` each verdict justifies is derived here (DESIGN.md section 3).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from cyclonedx.schema import SchemaVersion

from reachability import Analysis as GraphAnalysis
from sbom_enrich.model import Component
from sbom_enrich.prioritize import Reach
from sbom_enrich.triage import Analysis, VulnerabilityFinding

__all__ = ["component_reach", "evidence", "with_inferred_analysis"]


def component_reach(analysis: GraphAnalysis, components: Iterable[Component]) -> dict[str, Reach]:
    """The verdict of each component's distribution, keyed by the component's JSON path."""
    found: dict[str, Reach] = {}
    for component in components:
        result = analysis.reachability.distribution_verdict(component.name)
        steps = tuple((s.caller, s.callee, _shown(s.path), s.line) for s in result.path)
        frames = tuple(
            _frame(analysis, caller, path, line) for caller, _callee, path, line in steps
        )
        found[component.json_path] = Reach(result.verdict, result.reason, steps, frames)
    return found


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
    findings: Iterable[VulnerabilityFinding], reach: Mapping[str, Reach]
) -> tuple[VulnerabilityFinding, ...]:
    """Give findings that have no analysis yet the one their package-level verdict justifies."""
    result = []
    for finding in findings:
        verdict = reach.get(finding.component.json_path)
        if finding.analysis is None and verdict is not None:
            finding = replace(finding, analysis=_analysis(verdict))
        result.append(finding)
    return tuple(result)


def _analysis(reach: Reach) -> Analysis:
    if reach.verdict == "not-reachable":
        return Analysis(
            state="not_affected",
            justification="code_not_reachable",
            origin="reachability",
            detail=f"package level: {reach.reason}; no dynamic import could load it",
            inferred=True,
        )
    if reach.verdict in ("imported", "reachable"):
        return Analysis(
            state="in_triage",
            origin="reachability",
            detail=f"package level: {reach.reason} (which functions the advisory is about is "
            "not known, so whether they are called is not decided)",
            inferred=True,
        )
    return Analysis(
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
