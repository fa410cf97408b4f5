"""The ``sbom-enrich`` command line (click). Exit codes are listed in ``docs/cli.md``."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from cyclonedx.schema import SchemaVersion
from packaging.utils import canonicalize_name
from platformdirs import user_cache_dir
from rich.console import Console
from rich.text import Text

from adapters.advisories import DatabaseAdvisories
from adapters.advisory_db import AdvisoryDatabase
from adapters.http import ClientSettings, split_credentials
from adapters.pypi import DEFAULT_INDEX_URL, ProjectPage
from adapters.recording import NotRecordedError
from adapters.release_sources import ReleaseSources
from adapters.store import STORE_FAILURES, StateStore, StoreError
from sbom_enrich.advise import advisory_sources
from sbom_enrich.api import OutputFormat, Result, render
from sbom_enrich.api import enrich as enrich_sbom
from sbom_enrich.assess import DEFAULT_COOLDOWN, assess_components
from sbom_enrich.atomic import check_outputs, write_atomically, write_outputs
from sbom_enrich.bom import load_bom
from sbom_enrich.errors import (
    InputError,
    OutputError,
    ProjectError,
    ReplayError,
    SbomEnrichError,
    StateError,
    UpstreamError,
)
from sbom_enrich.escape import terminal_text
from sbom_enrich.lookup import Lookup, LookupOptions, default_state_path, open_lookup
from sbom_enrich.model import BomDocument
from sbom_enrich.policy import Policy, PolicyError, parse_policy
from sbom_enrich.progress import component_progress
from sbom_enrich.sbom_baseline import baseline_from_sbom
from sbom_enrich.serialize import OutputKind
from sbom_enrich.spec import SUPPORTED_SPEC_VERSIONS
from sbom_enrich.summary import findings_table, summarize_advisories, summarize_trust
from sbom_enrich.suppressions import find_config
from sbom_enrich.symbols import (
    AdvisorySymbols,
    DiffCache,
    derive_for_components,
    derive_symbols,
)
from sbom_enrich.symbols_json import symbols_from_json, symbols_to_json
from sbom_enrich.verify import Verdict, verify_file, verify_release
from sbom_enrich.version import __version__

if TYPE_CHECKING:  # the call-graph engine (libcst, networkx) loads only for 'callgraph'
    from reachability.analysis import Analysis
    from reachability.environment import Environment

__all__ = ["EXIT_INTERNAL_ERROR", "cli", "main"]

CALLGRAPH_CACHE = Path(user_cache_dir("sbom-enrich")) / "callgraph"
"""Where per-file call-graph results are cached unless --cache-dir or --no-cache says else."""

EXIT_INTERNAL_ERROR = 70
"""A bug in sbom-enrich (an exception that is not an :class:`SbomEnrichError`)."""

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., object])


def _output_option(text: str) -> Callable[[_F], _F]:
    """The ``-o/--output`` option every command shares: a path or '-' for standard output."""
    return click.option(
        "-o",
        "--output",
        "output_path",
        default="-",
        show_default=True,
        type=click.Path(dir_okay=False, allow_dash=True),
        help=text,
    )


_EXIT_CODES = (
    "Exit codes: 0 success; 2 usage error or unwritable output; 3 invalid or unsupported "
    "input; 4 upstream failure with --strict; 70 internal error (docs/cli.md lists all)."
)


def _index_options(func: _F) -> _F:
    """The options that say how to reach the index, shared by enrich, record and verify."""
    options = [
        click.option(
            "--index-url",
            default=DEFAULT_INDEX_URL,
            show_default=True,
            metavar="URL",
            help="Simple API root of the index; its JSON and Integrity APIs are read beside it.",
        ),
        click.option(
            "--state",
            "state_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="SQLite state file (HTTP cache and ownership baseline); also "
            "$SBOM_ENRICH_STATE. Default: the user cache directory.",
        ),
        click.option(
            "--offline", is_flag=True, help="Send no request; answer from the state's cache only."
        ),
        click.option(
            "--replay",
            "replay_dir",
            type=click.Path(file_okay=False),
            default=None,
            help="Serve responses from a directory made by 'sbom-enrich record'; no network.",
        ),
        click.option(
            "--online-trust-root",
            is_flag=True,
            help="Refresh Sigstore's trust root over the network (default: the embedded one).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EXIT_CODES)
@click.version_option(__version__, prog_name="sbom-enrich")
def cli() -> None:
    """Enrich CycloneDX SBOMs with what makes their Python dependencies risky."""


@cli.command(short_help="Enrich a CycloneDX SBOM (JSON or XML).", epilog=_EXIT_CODES)
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@_output_option("Where to write the enriched SBOM; '-' is standard output. Written atomically.")
@click.option(
    "--format",
    "output_kind",
    type=click.Choice(["json", "xml"]),
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
@_index_options
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
    help="Also write the findings as a standalone CycloneDX VEX with BOM-Links to INPUT.",
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
    help="With --project: interpreter of the application's environment (only its search path "
    "is read).",
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
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="POLICY",
    help="Exit 1 when a finding matches: any, malicious, high, reachable:high, imported:medium, "
    "signal:ownership-changed, trust:at-risk, ... (repeatable; docs/cli.md).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="Also write a report: json, markdown, html or sarif, to PATH or standard output. "
    "Repeatable.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print details, and tracebacks on errors.")
def enrich(
    input_path: str,
    output_path: str,
    output_kind: OutputKind,
    spec_version: str | None,
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
    cooldown_days: float,
    baseline_path: str | None,
    concurrency: int,
    strict: bool,
    advisory_dbs: tuple[str, ...],
    no_pypi_advisories: bool,
    config_path: str | None,
    vex_path: str | None,
    vex_out: str | None,
    projects: tuple[str, ...],
    project_python: str | None,
    project_site_packages: str | None,
    symbols_files: tuple[str, ...],
    fail_on: tuple[str, ...],
    reports: tuple[str, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Enrich the CycloneDX SBOM INPUT (JSON or XML; '-' reads standard input).

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
    options = _lookup_options(index_url, state_path, offline, replay_dir, online_trust_root)
    options = replace(options, settings=ClientSettings(concurrency=concurrency))

    if no_pypi_advisories and not advisory_dbs:
        raise click.UsageError("--no-pypi-advisories needs at least one --advisory-db")
    if (project_python or project_site_packages or symbols_files) and not projects:
        raise click.UsageError("--python, --site-packages and --symbols need --project")
    _check_environment_flags(project_python, project_site_packages)
    if projects and not (project_python or project_site_packages):
        raise click.UsageError(
            "--project needs --python or --site-packages: the environment the application's "
            "dependencies are installed in (without it every verdict would be unknown)"
        )
    policies = _policies(fail_on)
    report_targets = _report_targets(reports, output_path)
    config = Path(config_path) if config_path else find_config(Path.cwd())

    output_paths = [output_path, *([vex_out] if vex_out else []), *(p for _, p in report_targets)]
    input_paths = [
        input_path,
        *(p for p in (baseline_path, vex_path, config and str(config)) if p),
        *symbols_files,
        *advisory_dbs,
    ]

    def job() -> Result:
        check_outputs(output_paths, input_paths)
        symbols = [entry for path in symbols_files for entry in _read_symbols(Path(path))]
        document = load_bom(input_path)
        earlier = baseline_from_sbom(load_bom(baseline_path)) if baseline_path else None
        project = None
        if projects:
            project = _analyze_project(console, projects, project_python, project_site_packages)
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
        if vex_out is not None:
            outputs.append((vex_out, render(result, "vex")))
        outputs += [(path, render(result, kind)) for kind, path in report_targets]
        write_outputs(outputs, inputs=input_paths)
        _commit_baseline(options, result)
        return result

    result = _guarded(job, verbose=verbose)
    document, ranked = result.document, result.findings
    _summarize(console, document, output_path, output_kind, target, verbose=verbose)
    summarize_trust(console, result.trust, verbose=verbose)
    summarize_advisories(console, result.advisories, verbose=verbose)
    findings_table(console, ranked)
    matched = [f for f in ranked if any(policy.matches(f) for policy in policies)]
    if matched:
        first = matched[0]
        _echo(
            f"sbom-enrich: --fail-on {', '.join(p.text for p in policies)} matched "
            f"{len(matched)} findings; first: {first.title} in {first.component.name} "
            f"{first.component.version or ''} ({first.severity}, {first.reach.verdict})",
            err=True,
        )
        sys.exit(1)


class SafeConsole(Console):
    """A rich console that shows control characters in text as escapes, never raw."""

    def render_str(self, text: str, **options: Any) -> Text:
        """See :meth:`rich.console.Console.render_str`; the text is escaped first."""
        return super().render_str(terminal_text(text), **options)


def _echo(message: str, *, err: bool = True) -> None:
    """``click.echo`` of a line that may hold SBOM or index text, escaped for the terminal."""
    click.echo(terminal_text(message), err=err)


REPORT_FORMATS: dict[str, OutputFormat] = {
    "json": "json",
    "markdown": "markdown",
    "html": "html",
    "sarif": "sarif",
}


def _policies(values: tuple[str, ...]) -> list[Policy]:
    try:
        return [parse_policy(value) for value in values]
    except PolicyError as err:
        raise click.BadParameter(str(err), param_hint="--fail-on") from err


def _commit_baseline(options: LookupOptions, result: Result) -> None:
    """Remember owners and publishers, now that every output is written."""
    try:
        with StateStore(options.state or default_state_path()) as store:
            result.trust.commit(store)
    except StoreError as err:
        raise StateError(str(err)) from err


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


def _analyze_project(
    console: Console,
    sources: tuple[str, ...],
    python: str | None,
    site_packages: str | None,
    *,
    entries: tuple[str, ...] = (),
    jobs: int = os.cpu_count() or 1,
    cache: Path | None = CALLGRAPH_CACHE,
) -> Analysis:
    """Build the call graph of ``sources``, with a status line while it runs."""
    from reachability.analysis import analyze
    from reachability.index import IndexOptions

    environment = _environment(python, site_packages)
    for source in sources:
        if not Path(source).exists():
            raise ProjectError(f"{source}: no such file or directory")
    with console.status("Building the call graph") as status:
        return analyze(
            sources,
            environment,
            entries=entries,
            options=IndexOptions(jobs=jobs, cache_dir=cache),
            on_round=lambda n, files: status.update(
                f"Building the call graph: round {n}, {files} modules"
            ),
        )


def _advisory_database(path: str, lookup: Lookup) -> AdvisoryDatabase:
    """The ``--advisory-db`` of a symbols command, indexed in the run's store."""
    (source,) = advisory_sources([Path(path)], lookup.store, pypi=False)
    assert isinstance(source, DatabaseAdvisories)
    return source.database


def _diff_cache(lookup: Lookup) -> DiffCache | None:
    """Release-pair diffs kept in the run's state store (none when recording)."""
    return DiffCache(lookup.store, lookup.pypi.index_url) if lookup.store is not None else None


def _read_symbols(path: Path) -> tuple[AdvisorySymbols, ...]:
    try:
        return symbols_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read: {err}") from err
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}: not a 'symbols derive' result ({err!r})") from err


def _check_environment_flags(python: str | None, site_packages: str | None) -> None:
    if python and site_packages:
        raise click.UsageError("give --python or --site-packages, not both")


@cli.command(short_help="Record the index responses an SBOM needs, for --replay.")
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory to write one JSON file per response into (created if missing).",
)
@click.option(
    "--index-url",
    default=DEFAULT_INDEX_URL,
    show_default=True,
    metavar="URL",
    help="Simple API root of the index to record.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def record(input_path: str, output_dir: str, index_url: str, quiet: bool, verbose: bool) -> None:
    """Look up every component of INPUT on the index and record each response in a directory.

    'sbom-enrich enrich --replay DIR' then runs with no network, for example in
    air-gapped CI. See docs/offline.md.
    """
    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    options = LookupOptions(index_url=index_url, record=Path(output_dir))

    def job() -> int:
        document = load_bom(input_path)
        try:
            with (
                open_lookup(options) as lookup,
                component_progress(
                    console, len(document.components), description="Recording", enabled=not quiet
                ) as advance,
            ):
                assess_components(document.components, lookup.facts, None, on_component=advance)
        except OSError as err:
            raise OutputError(f"{output_dir}: cannot write the recording: {err}") from err
        return len(list(Path(output_dir).glob("*.json")))

    count = _guarded(job, verbose=verbose)
    console.print(f"Recorded {count} responses in {output_dir}", markup=False)


@cli.command(short_help="Verify the attestations of one file or one release.")
@click.argument("target", metavar="TARGET")
@_index_options
@click.option("-v", "--verbose", is_flag=True, help="Show each file; tracebacks on errors.")
def verify(
    target: str,
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
    verbose: bool,
) -> None:
    """Verify TARGET: a local wheel or sdist, or a release written NAME==VERSION.

    A local file's sha256 is compared with the index's digest for that file name,
    then its PEP 740 provenance is verified. Exit 0 when verified, 1 otherwise.
    """
    options = _lookup_options(index_url, state_path, offline, replay_dir, online_trust_root)

    def job() -> Verdict:
        with open_lookup(options) as lookup:
            path = Path(target)
            if "==" not in target or path.exists():
                return _replaying(replay_dir, lambda: verify_file(lookup.facts, path))
            return _replaying(replay_dir, lambda: verify_release(lookup.facts, target))

    verdict = _guarded(job, verbose=verbose)
    identity = f" by {verdict.publisher.describe()}" if verdict.publisher else ""
    reason = f": {verdict.reason}" if verdict.reason else ""
    _echo(f"{verdict.target}: {verdict.status}{identity}{reason}", err=False)
    if verbose:
        for file in verdict.files:
            detail = f" ({file.reason})" if file.reason else ""
            _echo(f"  {file.filename}: {file.status}{detail}", err=False)
    sys.exit(0 if verdict.verified else 1)


def _lookup_options(
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
) -> LookupOptions:
    if offline and replay_dir:
        raise click.UsageError("give --offline or --replay, not both")
    try:
        split_credentials(index_url)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--index-url") from err
    return LookupOptions(
        index_url=index_url,
        state=Path(state_path) if state_path else None,
        offline=offline,
        replay=Path(replay_dir) if replay_dir else None,
        online_trust_root=online_trust_root,
    )


def _replaying(replay_dir: str | None, job: Callable[[], _T]) -> _T:
    """Run ``job``; a request missing from the recording becomes a :class:`ReplayError`."""
    try:
        return job()
    except NotRecordedError as err:
        raise ReplayError(str(err)) from err


@cli.group(short_help="Which functions an advisory is about.")
def symbols() -> None:
    """Derive the vulnerable symbols of advisories (docs/vulnerable-symbols.md)."""


@symbols.command(short_help="Derive the symbols of one advisory of one package.")
@click.option("--advisory", "advisory_id", required=True, metavar="ID", help="Id or alias.")
@click.option("--package", "package", required=True, metavar="NAME", help="The PyPI project.")
@click.option(
    "--advisory-db",
    "advisory_db",
    required=True,
    type=click.Path(exists=True),
    metavar="PATH",
    help="The OSV database holding the advisory (its ranges give the release pairs).",
)
@_output_option("Where to write the candidates as JSON. Written atomically.")
@_index_options
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def derive(
    advisory_id: str,
    package: str,
    advisory_db: str,
    output_path: str,
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
    verbose: bool,
) -> None:
    """Rank the functions ADVISORY is about, from its record, its text and its fix.

    The fix is read from the index: for each fixed branch, the last vulnerable
    release and the first fixed one are downloaded (pure wheels preferred) and
    compared; nothing is installed or run.
    """
    options = _lookup_options(index_url, state_path, offline, replay_dir, online_trust_root)

    def job() -> AdvisorySymbols:
        project = canonicalize_name(package)
        with open_lookup(options) as lookup:
            record = _advisory_database(advisory_db, lookup).record(project, advisory_id)
            if record is None:
                raise InputError(f"{advisory_db}: no advisory {advisory_id} for {project}")
            page = _replaying(replay_dir, lambda: lookup.pypi.project(project))
            if not isinstance(page, ProjectPage):
                raise UpstreamError(f"{project}: the index's project page is unavailable")
            result = _replaying(
                replay_dir,
                lambda: derive_symbols(
                    record,
                    project,
                    list(page.raw_releases),
                    ReleaseSources(lookup.pypi),
                    _diff_cache(lookup),
                ),
            )
        data = json.dumps(symbols_to_json(result), indent=2, ensure_ascii=False) + "\n"
        write_atomically(output_path, data.encode())
        return result

    result = _guarded(job, verbose=verbose)
    top = result.candidates[0].symbol if result.candidates else "none"
    click.echo(
        f"{result.advisory} in {result.package}: {len(result.candidates)} candidates "
        f"({result.granularity} level), first {top}",
        err=True,
    )


@symbols.command(short_help="Derive the symbols of every advisory of an SBOM.")
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option(
    "--advisory-db",
    "advisory_db",
    required=True,
    type=click.Path(exists=True),
    metavar="PATH",
    help="The OSV database whose advisories affecting INPUT's components are derived.",
)
@_output_option("Where to write the list of results as JSON (for enrich --symbols).")
@_index_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def build(
    input_path: str,
    advisory_db: str,
    output_path: str,
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Derive the symbols of every advisory in --advisory-db that affects a component of INPUT.

    One download pair per fixed branch and advisory; the result is a list that
    'enrich --symbols' reads.
    """
    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    options = _lookup_options(index_url, state_path, offline, replay_dir, online_trust_root)

    def job() -> list[AdvisorySymbols]:
        document = load_bom(input_path)
        with open_lookup(options) as lookup:
            database = _advisory_database(advisory_db, lookup)
            with component_progress(
                console, len(document.components), description="Deriving", enabled=not quiet
            ) as advance:
                results = _replaying(
                    replay_dir,
                    lambda: derive_for_components(
                        document.components,
                        database,
                        lookup.pypi,
                        cache=_diff_cache(lookup),
                        on_component=advance,
                    ),
                )
        data = json.dumps([symbols_to_json(r) for r in results], indent=2, ensure_ascii=False)
        write_atomically(output_path, (data + "\n").encode())
        return results

    results = _guarded(job, verbose=verbose)
    with_candidates = sum(1 for r in results if r.candidates)
    console.print(
        f"Derived {len(results)} advisories, {with_candidates} with candidate symbols",
        markup=False,
    )


@cli.command(short_help="Export the call graph of application sources.", epilog=_EXIT_CODES)
@click.argument("sources", metavar="SRC...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--python",
    "python",
    metavar="PATH",
    help="Interpreter of the environment the code runs in; only its search path is read.",
)
@click.option(
    "--site-packages",
    "site_packages",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="A site-packages directory to take dependencies from (instead of --python).",
)
@click.option(
    "--entry",
    "entries",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="Start only from these functions (repeatable). Default: every application module.",
)
@_output_option("Where to write the graph as JSON {caller: [callees]}. Written atomically.")
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(["adjacency", "pycg"]),
    default="adjacency",
    show_default=True,
    help="adjacency: every edge (calls, imports, escapes); pycg: calls only, in the naming of "
    "the PyCG benchmark, to compare with other call-graph generators.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="number of CPUs",
    help="Processes that parse files in parallel; 1 parses serially.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to cache per-file results. Default: the user cache directory.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="List failed and skipped files; tracebacks.")
def callgraph(
    sources: tuple[str, ...],
    python: str | None,
    site_packages: str | None,
    entries: tuple[str, ...],
    output_path: str,
    graph_format: str,
    jobs: int,
    cache_dir: str | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the call graph from the application sources SRC into their dependencies."""
    from reachability.analysis import to_adjacency, to_pycg

    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    _check_environment_flags(python, site_packages)
    cache = None if no_cache else Path(cache_dir) / "callgraph" if cache_dir else CALLGRAPH_CACHE

    def job() -> Analysis:
        analysis = _analyze_project(
            console, sources, python, site_packages, entries=entries, jobs=jobs, cache=cache
        )
        export = to_pycg if graph_format == "pycg" else to_adjacency
        data = json.dumps(export(analysis), indent=2) + "\n"
        write_atomically(output_path, data.encode())
        return analysis

    analysis = _guarded(job, verbose=verbose)
    _summarize_graph(console, analysis, output_path, verbose=verbose)


def _environment(python: str | None, site_packages: str | None) -> Environment | None:
    from reachability.environment import (
        UnreadableEnvironmentError,
        from_python,
        from_site_packages,
    )

    try:
        if python:
            return from_python(python)
        if site_packages:
            return from_site_packages(site_packages)
    except UnreadableEnvironmentError as err:
        raise ProjectError(str(err)) from err
    return None


def _summarize_graph(
    console: Console, analysis: Analysis, output_path: str, *, verbose: bool
) -> None:
    statuses = Counter(result.status for result in analysis.files)
    lines = sum(result.facts.lines for result in analysis.files if result.facts is not None)
    written = "standard output" if output_path == "-" else output_path
    console.print(
        f"Analyzed {len(analysis.files)} modules ({lines} lines; "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
        + f"); {analysis.graph.number_of_edges()} edges; wrote the call graph to {written}",
        markup=False,
    )
    if verbose:
        for result in analysis.files:
            if result.reason:
                console.print(f"  {result.status} {result.path}: {result.reason}", markup=False)


def _guarded(job: Callable[[], _T], *, verbose: bool) -> _T:
    """Run ``job``; turn errors into one line on stderr and the documented exit code."""
    try:
        return job()
    except SbomEnrichError as err:
        if verbose:
            traceback.print_exc()
            if err.explanation:
                _echo(err.explanation)
        _echo(f"sbom-enrich: error: {err.message}")
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("sbom-enrich: interrupted", err=True)
        sys.exit(130)
    except STORE_FAILURES as err:
        if verbose:
            traceback.print_exc()
        state = StateError(
            f"the state store is damaged or not ours ({type(err).__name__}: {err}); remove it "
            "or give another --state"
        )
        _echo(f"sbom-enrich: error: {state.message}")
        sys.exit(state.exit_code)
    except Exception as err:
        if verbose:
            traceback.print_exc()
        _echo(
            f"sbom-enrich: internal error: {type(err).__name__}: {err} "
            "(re-run with --verbose for the traceback, and please report it)"
        )
        sys.exit(EXIT_INTERNAL_ERROR)


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
    console.print(
        f"Enriched {_count(len(document.components), 'PyPI component')}"
        + (f", skipped {len(document.skipped)} ({skipped})" if skipped else "")
        + f"; wrote CycloneDX {version} {output_kind.upper()} to {written}",
        markup=False,
    )
    if document.unknown_keys:
        console.print(
            f"Kept {len(document.unknown_keys)} keys that the CycloneDX "
            f"{document.spec_version.to_version()} schema does not define, "
            f"first {document.unknown_keys[0]}",
            markup=False,
        )
    if verbose:
        for skip in document.skipped:
            where = skip.component.bom_ref or skip.component.json_path
            console.print(f"  skipped {skip.component.name} ({where}): {skip.reason}", markup=False)
        for key in document.unknown_keys:
            console.print(f"  unknown key kept: {key}", markup=False)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def main() -> None:
    """Entry point of the ``sbom-enrich`` console script."""
    cli(prog_name="sbom-enrich")
