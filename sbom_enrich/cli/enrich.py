"""``sbom-enrich enrich``: the whole pipeline on one SBOM, its outputs and its exit code."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import click
from cyclonedx.schema import SchemaVersion
from rich.console import Console

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.store.connection import StoreUnreachableError
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.advisories.suppressions import find_config
from sbom_enrich.api import OutputFormat, Result, render
from sbom_enrich.api import enrich as enrich_sbom
from sbom_enrich.atomic import check_outputs, write_outputs
from sbom_enrich.cli.common import (
    EXIT_CODES,
    SectionedCommand,
    analyze_project,
    callgraph_cache,
    check_environment_flags,
    echo,
    guarded,
    max_values_option,
    output_option,
)
from sbom_enrich.cli.console import SafeConsole
from sbom_enrich.cli.lookup_options import index_options
from sbom_enrich.cli.progress import component_progress
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.cyclonedx.spec import SUPPORTED_SPEC_VERSIONS
from sbom_enrich.cyclonedx.write import OutputKind
from sbom_enrich.errors import (
    InputError,
)
from sbom_enrich.inputs.kinds import INPUT_KINDS, InputFileKind
from sbom_enrich.model.bom import BomDocument
from sbom_enrich.rank.fail_on import FailOnError, FailOnRule, parse_fail_on
from sbom_enrich.reach.symbols import (
    AdvisorySymbols,
)
from sbom_enrich.reach.symbols_json import symbols_from_json
from sbom_enrich.reports.terminal import (
    findings_table,
    summarize_advisories,
    summarize_reachability,
    summarize_trust,
)
from sbom_enrich.reports.wrap import say
from sbom_enrich.trust.assess import DEFAULT_COOLDOWN
from sbom_enrich.trust.sbom_baseline import baseline_from_sbom
from sbom_enrich.wiring import (
    LoadedInput,
    LookupOptions,
    core_error,
    default_state_path,
    open_input,
)

__all__ = ["enrich"]

_REPORT_FORMATS = ("json", "markdown", "html", "sarif")


class _SbomEncoding(click.Choice[str]):
    """``--format``: the enriched SBOM's encoding; a report name gets a pointer to --report."""

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        if isinstance(value, str) and value in _REPORT_FORMATS and value not in self.choices:
            self.fail(
                f"{value!r} is a report format: --format chooses the SBOM's encoding (json or "
                f"xml); write the report with --report {value}[:PATH]",
                param,
                ctx,
            )
        return str(super().convert(value, param, ctx))


_SECTIONS = (
    ("Input", ("input_kind", "assume_pypi")),
    ("Output", ("output_path", "output_kind", "spec_version", "sbom_out", "identities_out")),
    (
        "Index lookups and trust",
        (
            "index_url",
            "state_path",
            "offline",
            "replay_dir",
            "online_trust_root",
            "cooldown_days",
            "baseline_path",
            "concurrency",
            "strict",
        ),
    ),
    (
        "Advisories and VEX",
        (
            "advisory_dbs",
            "no_pypi_advisories",
            "config_path",
            "vex_path",
            "vex_out",
            "vex_format",
            "ignore_ids",
            "kev",
        ),
    ),
    (
        "Reachability",
        ("projects", "project_python", "project_site_packages", "symbols_files", "max_values"),
    ),
    ("Policy and reports", ("fail_on", "reports", "sarif_root", "quiet", "verbose")),
)


@click.command(
    cls=SectionedCommand,
    sections=_SECTIONS,
    short_help="Enrich a CycloneDX SBOM, lockfile or environment.",
    epilog=EXIT_CODES,
)
@click.argument("input_path", metavar="[INPUT]", required=False, type=click.Path(allow_dash=True))
@click.option(
    "--input-kind",
    type=click.Choice(INPUT_KINDS),
    default=None,
    help="What INPUT is, when its name does not say: cyclonedx (JSON or XML), pylock "
    "(PEP 751), uv-lock, poetry-lock or requirements. Without INPUT, the environment of "
    "--python (or the active one) is read.",
)
@click.option(
    "--assume-pypi",
    is_flag=True,
    help="Take components without a purl but with a name and version (pip-audit writes them) "
    "as PyPI releases.",
)
@click.option(
    "--write-identities",
    "identities_out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="With a pylock.toml INPUT: write a copy whose packages pin the publisher their "
    "verified provenance proves (PEP 751 attestation-identities).",
)
@click.option(
    "--sbom-out",
    "sbom_out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Also write the CycloneDX made from a lockfile, requirements file or environment "
    "(before enrichment).",
)
@output_option("Where to write the enriched SBOM; '-' is standard output. Written atomically.")
@click.option(
    "--format",
    "output_kind",
    type=_SbomEncoding(["json", "xml"]),
    default="json",
    show_default=True,
    help="Output format. XML input gives JSON output unless xml is asked for.",
)
@click.option(
    "--spec-version",
    type=click.Choice(SUPPORTED_SPEC_VERSIONS),
    default=None,
    help="CycloneDX spec version to write. Default: the input's.",
)
@index_options
@click.option(
    "--cooldown",
    "cooldown_days",
    type=click.FloatRange(min=0),
    default=DEFAULT_COOLDOWN.days,
    show_default=True,
    metavar="DAYS",
    help="Flag releases uploaded less than this many days ago.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="SBOM",
    help="An SBOM this tool enriched earlier (for example the last CI run's): report "
    "ownership and publisher changes since it, instead of since the last run in --state.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=16,
    show_default=True,
    help="Components looked up at the same time.",
)
@click.option(
    "--strict", is_flag=True, help="Exit 4, writing nothing, when any index lookup failed."
)
@click.option(
    "--advisory-db",
    "advisory_dbs",
    multiple=True,
    type=click.Path(exists=True),
    metavar="PATH",
    help="Offline OSV database: OSV's PyPI export zip, or the PyPA advisory-database layout "
    "(vulns/<project>/<ID>.yaml) as a directory or zip. Repeatable.",
)
@click.option(
    "--no-pypi-advisories",
    is_flag=True,
    help="Do not read advisories from the index's JSON API (use only --advisory-db).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Suppressions file. Default: .sbom-enrich.toml, else pyproject.toml "
    "[tool.sbom-enrich], in the current directory.",
)
@click.option(
    "--vex",
    "vex_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A CycloneDX VEX whose analysis states suppress or annotate matching findings.",
)
@click.option(
    "--vex-out",
    "vex_out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Also write the findings as a standalone VEX: CycloneDX with BOM-Links to INPUT, or "
    "OpenVEX when the name ends in .openvex.json or --vex-format says so.",
)
@click.option(
    "--vex-format",
    type=click.Choice(["cyclonedx", "openvex"]),
    default=None,
    help="Format of --vex-out (default: from its name, else cyclonedx).",
)
@click.option(
    "--ignore",
    "ignore_ids",
    multiple=True,
    metavar="ID",
    help="Suppress an advisory by id or alias (repeatable), beside the ignores of --config.",
)
@click.option(
    "--kev",
    "kev",
    default=None,
    metavar="FILE|URL",
    help="CISA's Known Exploited Vulnerabilities catalog (a file, or an https URL fetched and "
    "cached like index responses): listed findings are marked and ranked first.",
)
@click.option(
    "--project",
    "projects",
    multiple=True,
    type=click.Path(),
    metavar="SRC",
    help="Application sources: decide per flagged component whether the application imports "
    "it (call graph). Repeatable.",
)
@click.option(
    "--python",
    "project_python",
    metavar="PATH",
    help="Interpreter of the application's environment (only its search path is read, "
    "nothing runs): with --project, where its dependencies are; without INPUT, the "
    "environment to enrich.",
)
@click.option(
    "--site-packages",
    "project_site_packages",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="With --project: a site-packages directory instead of --python.",
)
@click.option(
    "--symbols",
    "symbols_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="With --project: vulnerable symbols from 'symbols derive'; their advisories get "
    "function-level verdicts. Repeatable.",
)
@max_values_option(
    "With --project: stop solving the call graph once it holds N values; past it, what is not "
    "found reachable is unknown."
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="POLICY",
    help="Exit 1 when a finding matches: any, malicious, kev, kev:reachable, high, "
    "reachable:high, imported:medium, signal:ownership-changed, trust:at-risk, ... "
    "(repeatable; docs/cli.md).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="Also write a report: json, markdown, html or sarif, to PATH or standard output. "
    "Repeatable.",
)
@click.option(
    "--sarif-root",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="The repository root the SARIF report's paths are relative to (default: the "
    "working directory).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print details, and tracebacks on errors.")
def enrich(
    input_path: str | None,
    input_kind: InputFileKind | None,
    assume_pypi: bool,
    sbom_out: str | None,
    identities_out: str | None,
    output_path: str,
    output_kind: OutputKind,
    spec_version: str | None,
    options: LookupOptions,
    cooldown_days: float,
    baseline_path: str | None,
    concurrency: int,
    strict: bool,
    advisory_dbs: tuple[str, ...],
    no_pypi_advisories: bool,
    config_path: str | None,
    vex_path: str | None,
    vex_out: str | None,
    vex_format: str | None,
    ignore_ids: tuple[str, ...],
    kev: str | None,
    projects: tuple[str, ...],
    project_python: str | None,
    project_site_packages: str | None,
    symbols_files: tuple[str, ...],
    max_values: int | None,
    fail_on: tuple[str, ...],
    reports: tuple[str, ...],
    sarif_root: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Enrich INPUT: a CycloneDX SBOM, lockfile or requirements file, or an environment.

    INPUT is CycloneDX (JSON or XML; '-' reads standard input), a lockfile
    (pylock.toml, uv.lock, poetry.lock) or a requirements file; without INPUT,
    the environment of --python (or the active one) is read.

    Each pkg:pypi component gets its trust signals from the index: owners and
    maintainers, Trusted Publisher and verified PEP 740 attestations, project
    status, and what changed since the last run (the baseline in --state, or the
    SBOM given with --baseline); and its
    known vulnerabilities from PyPI and --advisory-db, with suppressions (--config)
    and VEX (--vex) applied, as CycloneDX vulnerabilities[]. The
    output keeps every key, value and key order of JSON input and only adds
    sbom-enrich's entries (see docs/properties.md). Components without a pkg:pypi
    purl pass through untouched and are reported as skipped.
    """
    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    target = SchemaVersion.from_version(spec_version) if spec_version else None
    options = replace(options, settings=replace(options.settings, concurrency=concurrency))

    if no_pypi_advisories and not advisory_dbs:
        raise click.UsageError("--no-pypi-advisories needs at least one --advisory-db")
    if (project_site_packages or symbols_files or max_values) and not projects:
        raise click.UsageError("--site-packages, --symbols and --max-values need --project")
    if project_python and input_path is not None and not projects:
        raise click.UsageError(
            "--python without --project names the environment to enrich: give no INPUT"
        )
    if input_path is None and input_kind is not None:
        raise click.UsageError("--input-kind needs an INPUT")
    if identities_out is not None and (input_path is None or input_path == "-"):
        raise click.UsageError("--write-identities needs a pylock.toml INPUT")
    check_environment_flags(project_python, project_site_packages)
    if projects and not (project_python or project_site_packages):
        raise click.UsageError(
            "--project needs --python or --site-packages: the environment the application's "
            "dependencies are installed in (without it every verdict would be unknown)"
        )
    fail_on_rules = _fail_on_rules(fail_on)
    report_targets = _report_targets(reports, output_path)
    config = Path(config_path) if config_path else find_config(Path.cwd())

    output_paths = [
        output_path,
        *([vex_out] if vex_out else []),
        *([sbom_out] if sbom_out else []),
        *([identities_out] if identities_out else []),
        *(p for _, p in report_targets),
    ]
    input_paths = [
        *([input_path] if input_path else []),
        *(p for p in (baseline_path, vex_path, config and str(config)) if p),
        *symbols_files,
        *advisory_dbs,
    ]

    def job() -> Result:
        check_outputs(output_paths, input_paths)
        symbols = [entry for path in symbols_files for entry in _read_symbols(Path(path))]
        loaded = open_input(
            input_path,
            input_kind,
            Path(project_python) if project_python else None,
            assume_pypi=assume_pypi,
        )
        if identities_out is not None and loaded.kind != "pylock":
            raise click.UsageError("--write-identities needs a pylock.toml INPUT")
        if sbom_out is not None and loaded.generated is None:
            raise click.UsageError("--sbom-out needs an input that is not already CycloneDX")
        _announce_input(console, loaded)
        document = loaded.document
        earlier = baseline_from_sbom(load_bom(baseline_path)) if baseline_path else None
        project = None
        if projects:
            project = analyze_project(
                console,
                projects,
                project_python,
                project_site_packages,
                cache=callgraph_cache(),
                max_values=max_values,
            )
            if project.reachability.incomplete:
                say(console, f"Reachability: {project.reachability.incomplete}")
        with component_progress(
            console, len(document.components), description="Enriching", enabled=not quiet
        ) as advance:
            result = enrich_sbom(
                document,
                lookup=options,
                advisory_dbs=[Path(p) for p in advisory_dbs],
                pypi_advisories=not no_pypi_advisories,
                config=config,
                vex=Path(vex_path) if vex_path else None,
                kev=kev,
                ignore_ids=ignore_ids,
                project=project,
                symbols=symbols,
                cooldown=timedelta(days=cooldown_days),
                strict=strict,
                baseline=earlier,
                commit_baseline=False,
                on_component=advance,
            )
        sbom_format: OutputFormat = "cyclonedx-xml" if output_kind == "xml" else "cyclonedx-json"
        outputs = [(output_path, render(result, sbom_format, spec_version=target))]
        if sbom_out is not None and loaded.generated is not None:
            outputs.append((sbom_out, loaded.generated))
        if identities_out is not None and input_path is not None:
            outputs.append((identities_out, _pinned_lock(Path(input_path), result, console)))
        if vex_out is not None:
            outputs.append((vex_out, render(result, _vex_format(vex_out, vex_format))))
        root = Path(sarif_root) if sarif_root else None
        outputs += [(path, render(result, kind, sarif_root=root)) for kind, path in report_targets]
        write_outputs(outputs, inputs=input_paths)
        _commit_baseline(options, result)
        return result

    result = guarded(job, verbose=verbose)
    document, ranked = result.document, result.findings
    _summarize(console, document, output_path, output_kind, target, verbose=verbose)
    summarize_trust(console, result.trust, verbose=verbose)
    summarize_advisories(console, result.advisories, verbose=verbose)
    summarize_reachability(console, ranked)
    findings_table(console, ranked)
    matched = [f for f in ranked if any(rule.matches(f) for rule in fail_on_rules)]
    if matched:
        first = matched[0]
        echo(
            f"sbom-enrich: --fail-on {', '.join(p.text for p in fail_on_rules)} matched "
            f"{len(matched)} findings; first: {first.title} in {first.component.name} "
            f"{first.component.version or ''} ({first.severity}, {first.reach.verdict})",
            err=True,
        )
        sys.exit(1)


REPORT_FORMATS: dict[str, OutputFormat] = {
    "json": "json",
    "markdown": "markdown",
    "html": "html",
    "sarif": "sarif",
}


def _fail_on_rules(values: tuple[str, ...]) -> list[FailOnRule]:
    try:
        return [parse_fail_on(value) for value in values]
    except FailOnError as err:
        raise click.BadParameter(str(err), param_hint="--fail-on") from err


def _commit_baseline(options: LookupOptions, result: Result) -> None:
    """Remember owners and publishers, now that every output is written."""
    try:
        location = options.state or default_state_path()
        with StateStore(location, observer=result.document.source) as store:
            result.trust.commit(store)
    except StoreUnreachableError as err:
        echo(f"sbom-enrich: warning: the baseline was not saved: {err}")
    except AdapterError as err:
        raise core_error(err) from err


def _report_targets(values: tuple[str, ...], output_path: str) -> list[tuple[OutputFormat, str]]:
    targets: list[tuple[OutputFormat, str]] = []
    for value in values:
        kind, _, path = value.partition(":")
        if kind not in REPORT_FORMATS:
            raise click.BadParameter(
                f"{value!r}: the formats are {', '.join(REPORT_FORMATS)}", param_hint="--report"
            )
        targets.append((REPORT_FORMATS[kind], path or "-"))
    on_stdout = [path for _, path in targets if path == "-"] + (["-"] if output_path == "-" else [])
    if len(on_stdout) > 1:
        raise click.UsageError(
            "only one of the SBOM and the reports can go to standard output; give -o or FORMAT:PATH"
        )
    return targets


def _read_symbols(path: Path) -> tuple[AdvisorySymbols, ...]:
    try:
        return symbols_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read: {err}") from err
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}: not a 'symbols derive' result ({err!r})") from err


def _summarize(
    console: Console,
    document: BomDocument,
    output_path: str,
    output_kind: OutputKind,
    target: SchemaVersion | None,
    *,
    verbose: bool,
) -> None:
    version = (target or document.spec_version).to_version()
    written = "standard output" if output_path == "-" else output_path
    reasons = Counter(skip.reason for skip in document.skipped)
    skipped = ", ".join(f"{reason}: {count}" for reason, count in sorted(reasons.items()))
    say(
        console,
        f"Enriched {_count(len(document.components), 'PyPI component')}"
        + (f", skipped {len(document.skipped)} ({skipped})" if skipped else "")
        + f"; wrote CycloneDX {version} {output_kind.upper()} to {written}",
    )
    if document.unknown_keys:
        say(
            console,
            f"Kept {len(document.unknown_keys)} keys that the CycloneDX "
            f"{document.spec_version.to_version()} schema does not define, "
            f"first {document.unknown_keys[0]}",
        )
    if verbose:
        for skip in document.skipped:
            where = skip.component.bom_ref or skip.component.json_path
            say(console, f"  skipped {skip.component.name} ({where}): {skip.reason}")
        for key in document.unknown_keys:
            say(console, f"  unknown key kept: {key}")


def _pinned_lock(lock: Path, result: Result, console: Console) -> bytes:
    """The pylock.toml with each verified publisher pinned; says how many packages gained one."""
    from sbom_enrich.inputs.identities import with_identities  # tomlkit: only this step needs it

    publishers = {
        (r.project, r.component.version or ""): r.publisher
        for r in result.trust.results
        if r.publisher is not None and r.attestation_status == "verified"
    }
    text, added = with_identities(lock.read_text(encoding="utf-8"), publishers, str(lock))
    say(console, f"Pinned the verified publisher of {_count(added, 'package')}")
    return text.encode()


def _vex_format(path: str, asked: str | None) -> OutputFormat:
    openvex = asked == "openvex" or (asked is None and path.endswith(".openvex.json"))
    return "openvex" if openvex else "vex"


def _announce_input(console: Console, loaded: LoadedInput) -> None:
    """Say what a non-CycloneDX input was read as, and what a lock left out; warn on no PyPI."""
    document = loaded.document
    if loaded.kind != "cyclonedx":
        left_out = (
            f"; left out for this platform: {', '.join(loaded.excluded)}" if loaded.excluded else ""
        )
        say(
            console,
            f"Read {document.source} as {loaded.kind}: "
            f"{_count(len(document.components), 'PyPI component')}{left_out}",
        )
    if not document.components:
        say(
            console,
            f"sbom-enrich: warning: {document.source} has no PyPI component (pkg:pypi purl); "
            f"{len(document.skipped)} other components pass through unchanged"
            + (
                "; components without a purl are PyPI ones with --assume-pypi"
                if any(s.reason == "no purl" for s in document.skipped)
                else ""
            ),
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
