"""The advisory step of a run: sources, look-up, suppressions and VEX, as the CLI wires them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sbom_enrich.adapters.advisories import AdvisorySource, DatabaseAdvisories, PyPIAdvisories
from sbom_enrich.adapters.advisory_db import (
    AdvisoryDatabase,
    AdvisoryDatabaseError,
    AdvisoryIndexStore,
)
from sbom_enrich.advisories.collect import ComponentAdvisories, look_up_advisories
from sbom_enrich.advisories.suppressions import load_ignores
from sbom_enrich.advisories.triage import Triage, VexStatement, triage, vex_statements
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.errors import AdvisoryDatabaseInputError
from sbom_enrich.model.bom import Component
from sbom_enrich.trust.assess import TrustRun

__all__ = ["AdvisoryRun", "advisory_sources", "run_advisories"]


@dataclass(frozen=True)
class AdvisoryRun:
    """Advisories per component, and the triaged findings."""

    components: tuple[ComponentAdvisories, ...]
    triage: Triage
    sources: tuple[str, ...]


def advisory_sources(
    databases: Sequence[Path], store: AdvisoryIndexStore | None, *, pypi: bool = True
) -> tuple[AdvisorySource, ...]:
    """PyPI's JSON API (unless ``pypi`` is False) and each offline database, indexed once."""
    sources: list[AdvisorySource] = [PyPIAdvisories()] if pypi else []
    for path in databases:
        try:
            sources.append(DatabaseAdvisories(AdvisoryDatabase(path, store)))
        except AdvisoryDatabaseError as err:
            raise AdvisoryDatabaseInputError(str(err)) from err
    return tuple(sources)


def run_advisories(
    trust: TrustRun,
    sources: Sequence[AdvisorySource],
    *,
    config: Path | None,
    vex: Path | None,
    today: date,
    on_component: Callable[[Component], None] | None = None,
) -> AdvisoryRun:
    """Ask ``sources`` about every assessed component, then apply ignores and VEX statements."""
    ignores = load_ignores(config) if config else ()
    statements: tuple[VexStatement, ...] = ()
    if vex is not None:
        statements = vex_statements(load_bom(vex).tree, str(vex))
    components = look_up_advisories(
        [(result.component, result.facts) for result in trust.results],
        sources,
        on_component=on_component,
    )
    return AdvisoryRun(
        components,
        triage(components, ignores, statements, today=today),
        tuple(source.name for source in sources),
    )
