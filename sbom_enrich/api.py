"""The library API: :func:`enrich` runs the whole pipeline, :func:`render` writes any output.

The CLI's ``enrich`` command is these two calls plus argument parsing, summaries and exit codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cyclonedx.schema import SchemaVersion

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.advisories.step import AdvisoryRun, run_advisories
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.errors import UpstreamError
from sbom_enrich.model.bom import BomDocument, Component
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.model.reach import Reach, component_evidence
from sbom_enrich.ports import Baseline, Ports
from sbom_enrich.rank.prioritize import Finding, dependency_depths, prioritize
from sbom_enrich.reach.curated import curated_symbols
from sbom_enrich.reach.symbols import AdvisorySymbols
from sbom_enrich.reach.verdicts import component_reach, symbol_reach, with_inferred_analysis
from sbom_enrich.reports.html import html_report
from sbom_enrich.reports.json import json_report
from sbom_enrich.reports.markdown import markdown_report
from sbom_enrich.reports.sarif import sarif_report
from sbom_enrich.run import render_enriched
from sbom_enrich.trust.assess import DEFAULT_COOLDOWN, TrustRun, assess_components
from sbom_enrich.wiring import (
    Lookup,
    LookupOptions,
    advisory_sources,
    core_error,
    open_exploited,
    open_lookup,
)
from sbom_enrich.writeback.openvex import openvex_document
from sbom_enrich.writeback.vulnerabilities import vex_document

if TYPE_CHECKING:  # the engine (libcst, networkx) loads only when a call graph is built
    from sbom_enrich.reachability import Analysis as GraphAnalysis

__all__ = ["OutputFormat", "Result", "enrich", "render"]

OutputFormat = Literal[
    "cyclonedx-json", "cyclonedx-xml", "vex", "openvex", "json", "markdown", "html", "sarif"
]


@dataclass(frozen=True)
class Result:
    """Everything one run found: per component trust and advisories, and ranked findings."""

    document: BomDocument
    trust: TrustRun
    advisories: AdvisoryRun
    findings: tuple[Finding, ...]
    reach: dict[str, Reach] | None
    """Per component JSON path: a function-level ``reachable`` verdict when one of its
    advisories has one, else the package-level verdict."""
    now: datetime


def enrich(
    sbom: str | Path | BomDocument,
    *,
    lookup: LookupOptions | Ports | None = None,
    advisory_dbs: Sequence[Path] = (),
    pypi_advisories: bool = True,
    config: Path | None = None,
    vex: Path | None = None,
    kev: ExploitedCatalog | str | Path | None = None,
    ignore_ids: Sequence[str] = (),
    project: GraphAnalysis | None = None,
    symbols: Sequence[AdvisorySymbols] = (),
    cooldown: timedelta = DEFAULT_COOLDOWN,
    strict: bool = False,
    baseline: Baseline | None = None,
    commit_baseline: bool = True,
    now: datetime | None = None,
    on_component: Callable[[Component], None] | None = None,
) -> Result:
    """Run the pipeline on ``sbom`` (a path or a loaded document).

    ``lookup`` says where facts, baseline and advisories come from: :class:`LookupOptions`
    (the default: PyPI through the HTTP cache in the state store) or ready :class:`Ports` (your
    own fact source, baseline store or advisory sources). ``advisory_dbs`` and
    ``pypi_advisories`` add sources to either. ``kev`` is a known-exploited catalog: loaded,
    a file, or a URL fetched through the lookup's client (cached in the state store); listed
    findings are marked and ranked first among vulnerabilities. ``ignore_ids`` suppress advisories
    by id or alias, like unconditional ignores in the configuration file.

    ``project`` is a call graph from :func:`sbom_enrich.reachability.analyze`; without it every
    verdict is
    ``unknown``. ``symbols`` (from ``symbols derive``) make verdicts function level for their
    advisories. ``baseline`` (for example :func:`sbom_enrich.trust.sbom_baseline.baseline_from_sbom`
    of an earlier enriched SBOM) replaces the state store's ownership and publisher baseline as
    what changes are measured against. With ``commit_baseline`` the store's baseline is updated
    at the end (the CLI
    does it only after its outputs are written, and so passes False and calls
    ``result.trust.commit`` itself). ``strict`` raises :class:`UpstreamError` when a lookup
    failed.
    """
    document = sbom if isinstance(sbom, BomDocument) else load_bom(str(sbom))
    moment = now or datetime.now(timezone.utc)
    reach = component_reach(project, document.components) if project is not None else None
    with _ports(lookup or LookupOptions(), advisory_dbs, pypi_advisories) as (ports, session):
        try:
            trust = assess_components(
                document.components,
                ports.facts,
                baseline if baseline is not None else ports.baseline,
                baseline_unavailable=None if baseline is not None else ports.baseline_unavailable,
                now=moment,
                cooldown=cooldown,
                concurrency=ports.concurrency,
                on_component=on_component,
            )
        except AdapterError as err:
            raise core_error(err) from err
        failed = [r for r in trust.results if r.unavailable]
        if strict and failed:
            first = next(g for g in failed[0].gaps if g.failure)
            raise UpstreamError(
                f"{len(failed)} of {len(trust.results)} components could not be looked up "
                f"(--strict); first: {failed[0].project}: {first.reason}"
            )
        exploited = open_exploited(kev, session) if kev is not None else None
        if strict and isinstance(exploited, Unavailable):
            raise UpstreamError(f"the KEV catalog is unavailable (--strict): {exploited.reason}")
        advisories = run_advisories(
            trust,
            ports.advisories,
            config=config,
            vex=vex,
            today=moment.date(),
            exploited=exploited,
            ignore_ids=ignore_ids,
        )
        by_finding: dict[tuple[str, str], Reach] = {}
        if reach is not None and project is not None:
            known = [*curated_symbols(), *symbols]
            by_finding = symbol_reach(project, advisories.triage.findings, known, reach)
            inferred = with_inferred_analysis(advisories.triage.findings, reach, by_finding)
            advisories = replace(advisories, triage=replace(advisories.triage, findings=inferred))
        findings = prioritize(
            advisories.triage.findings,
            trust.results,
            reach=reach,
            depths=dependency_depths(document.components, document.dependencies, document.root_ref),
            by_finding=by_finding,
        )
        if commit_baseline:
            trust.commit(ports.baseline)
    if reach is not None:
        reach = component_evidence(reach, by_finding)
    return Result(document, trust, advisories, findings, reach, moment)


@contextmanager
def _ports(
    lookup: LookupOptions | Ports, advisory_dbs: Sequence[Path], pypi_advisories: bool
) -> Iterator[tuple[Ports, Lookup | None]]:
    """The run's ports: as given, or opened from ``LookupOptions`` (with that session)."""
    if isinstance(lookup, Ports):
        added = advisory_sources(advisory_dbs, None, pypi=pypi_advisories)
        yield replace(lookup, advisories=(*lookup.advisories, *added)), None
        return
    with open_lookup(lookup) as session:
        ports = Ports(
            facts=session.facts,
            baseline=session.store,
            baseline_unavailable=session.store_unavailable,
            advisories=advisory_sources(advisory_dbs, session.store, pypi=pypi_advisories),
            concurrency=lookup.settings.concurrency,
        )
        yield ports, session


def render(
    result: Result,
    output: OutputFormat,
    *,
    spec_version: SchemaVersion | None = None,
    sarif_root: Path | None = None,
) -> bytes:
    """One output of ``result``: the enriched SBOM (JSON or XML), a VEX, or a report.

    ``vex`` is a CycloneDX VEX with BOM-Links into the input; ``openvex`` is OpenVEX 0.2.0.
    ``sarif_root`` is the repository root SARIF paths are relative to (default: the working
    directory).
    """
    import json

    if output in ("cyclonedx-json", "cyclonedx-xml"):
        return render_enriched(
            result.document,
            trust=result.trust,
            advisories=result.advisories.components,
            triage=result.advisories.triage,
            reach=result.reach,
            output_kind="json" if output == "cyclonedx-json" else "xml",
            output_version=spec_version,
        )
    if output == "markdown":
        return markdown_report(result.findings, exploited=result.advisories.exploited).encode()
    if output == "html":
        page = html_report(
            result.document,
            result.trust,
            result.findings,
            now=result.now,
            exploited=result.advisories.exploited,
        )
        return page.encode()
    if output == "vex":
        tree = vex_document(result.advisories.triage.findings, result.document, now=result.now)
    elif output == "openvex":
        findings = result.advisories.triage.findings
        tree = openvex_document(findings, result.document, now=result.now)
    elif output == "sarif":
        manifest = result.document.source if result.document.source != "-" else "sbom.json"
        tree = sarif_report(result.findings, manifest=manifest, root=sarif_root)
    else:
        tree = json_report(
            result.document, result.trust, result.advisories, result.findings, now=result.now
        )
    return (json.dumps(tree, indent=2, ensure_ascii=False) + "\n").encode()
