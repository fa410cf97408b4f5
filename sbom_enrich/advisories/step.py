"""The advisory step of a run: look-up in every source, then suppressions and VEX statements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sbom_enrich.advisories.collect import ComponentAdvisories, look_up_advisories
from sbom_enrich.advisories.exploited import mark_exploited
from sbom_enrich.advisories.suppressions import Ignore, load_ignores
from sbom_enrich.advisories.triage import Triage, VexStatement, triage, vex_statements
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.model.bom import Component
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.ports import AdvisorySource
from sbom_enrich.trust.assess import TrustRun

__all__ = ["AdvisoryRun", "run_advisories"]


@dataclass(frozen=True)
class AdvisoryRun:
    """Advisories per component, and the triaged findings."""

    components: tuple[ComponentAdvisories, ...]
    triage: Triage
    sources: tuple[str, ...]
    exploited: ExploitedCatalog | Unavailable | None = None
    """The known-exploited catalog the findings were matched against, why it was unavailable,
    or None when none was asked for."""


def run_advisories(
    trust: TrustRun,
    sources: Sequence[AdvisorySource],
    *,
    config: Path | None,
    vex: Path | None,
    today: date,
    exploited: ExploitedCatalog | Unavailable | None = None,
    ignore_ids: Sequence[str] = (),
    on_component: Callable[[Component], None] | None = None,
) -> AdvisoryRun:
    """Ask ``sources`` about every assessed component, then apply ignores and VEX statements.

    With an ``exploited`` catalog, the findings it lists are marked (:mod:`.exploited`).
    ``ignore_ids`` are ignores without conditions, as ``--ignore ID`` gives them.
    """
    ignores = (
        *(load_ignores(config) if config else ()),
        *(Ignore(i, "ignored with --ignore on the command line", "--ignore") for i in ignore_ids),
    )
    statements: tuple[VexStatement, ...] = ()
    if vex is not None:
        statements = vex_statements(load_bom(vex).tree, str(vex))
    components = look_up_advisories(
        [(result.component, result.facts) for result in trust.results],
        sources,
        on_component=on_component,
    )
    triaged = triage(components, ignores, statements, today=today)
    if isinstance(exploited, ExploitedCatalog):
        triaged = replace(triaged, findings=mark_exploited(triaged.findings, exploited))
    return AdvisoryRun(
        components, triaged, tuple(source.name for source in sources), exploited=exploited
    )
