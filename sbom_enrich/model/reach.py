"""What reachability says about a component or one of its advisories, and which verdict counts.

A verdict about the advisory's own functions (function or module level) is more precise than
the one about the whole package, so it wins wherever both exist: :func:`finding_reach` is that
rule, stated once, and :func:`component_evidence` applies it to what a component shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sbom_enrich.model.scales import Verdict

__all__ = ["Granularity", "Reach", "component_evidence", "finding_reach"]

Granularity = Literal["function", "module", "package"]


@dataclass(frozen=True)
class Reach:
    """What reachability says about a component: a verdict, why, and the call path."""

    verdict: Verdict = "unknown"
    reason: str = "no --project given: reachability was not analyzed"
    path: tuple[tuple[str, str, str, int], ...] = ()
    """(caller, callee, file, line) from an application root to the component's code."""
    frames: tuple[tuple[str, str | None, str, int], ...] = ()
    """The same calls as (module, function or None for top-level code, file, line)."""
    granularity: Granularity = "package"
    """What the verdict is about: the advisory's functions, the modules its fix changed, or the
    whole package."""


def finding_reach(
    path: str,
    advisory: str,
    package: Mapping[str, Reach],
    by_finding: Mapping[tuple[str, str], Reach] | None,
) -> Reach | None:
    """The verdict for ``advisory`` of the component at JSON path ``path``.

    The function-level verdict in ``by_finding`` (keyed by path and advisory id) when there is
    one, else the component's package-level verdict in ``package``, else None.
    """
    return (by_finding or {}).get((path, advisory)) or package.get(path)


def component_evidence(
    package: Mapping[str, Reach], by_finding: Mapping[tuple[str, str], Reach]
) -> dict[str, Reach]:
    """Per component path, the verdict its evidence shows.

    A function-level ``reachable`` verdict (the path into the vulnerable code) where one of its
    advisories has one, else the package-level verdict.
    """
    shown = dict(package)
    for (path, _advisory), verdict in by_finding.items():
        if verdict.verdict == "reachable":
            shown[path] = verdict
    return shown
