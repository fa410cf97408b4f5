"""The ``sbom-enrich`` command line (click). Exit codes are listed in ``docs/cli.md``."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from cyclonedx.schema import SchemaVersion
from platformdirs import user_cache_dir
from rich.console import Console

from reachability.analysis import Analysis, analyze, to_adjacency
from reachability.environment import (
    Environment,
    UnreadableEnvironmentError,
    from_python,
    from_site_packages,
)
from reachability.index import IndexOptions
from sbom_enrich.atomic import write_atomically
from sbom_enrich.bom import load_bom
from sbom_enrich.errors import ProjectError, SbomEnrichError
from sbom_enrich.model import BomDocument
from sbom_enrich.pipeline import render_enriched
from sbom_enrich.progress import component_progress
from sbom_enrich.serialize import OutputKind
from sbom_enrich.spec import SUPPORTED_SPEC_VERSIONS
from sbom_enrich.version import __version__

__all__ = ["EXIT_INTERNAL_ERROR", "cli", "main"]

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
    "input; 70 internal error (docs/cli.md lists all)."
)


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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print details, and tracebacks on errors.")
def enrich(
    input_path: str,
    output_path: str,
    output_kind: OutputKind,
    spec_version: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Enrich the CycloneDX SBOM INPUT (JSON or XML; '-' reads standard input).

    The output keeps every key, value and key order of JSON input and only adds
    sbom-enrich's entries (see docs/properties.md). Components without a pkg:pypi
    purl pass through untouched and are reported as skipped.
    """
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    target = SchemaVersion.from_version(spec_version) if spec_version else None

    def job() -> BomDocument:
        document = load_bom(input_path)
        with component_progress(
            console, len(document.components), description="Enriching", enabled=not quiet
        ) as advance:
            data = render_enriched(
                document, output_kind=output_kind, output_version=target, on_component=advance
            )
        write_atomically(output_path, data)
        return document

    document = _guarded(job, verbose=verbose)
    _summarize(console, document, output_path, output_kind, target, verbose=verbose)


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
    jobs: int,
    cache_dir: str | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the call graph from the application sources SRC into their dependencies."""
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    if python and site_packages:
        raise click.UsageError("give --python or --site-packages, not both")
    cache = None if no_cache else Path(cache_dir or user_cache_dir("sbom-enrich")) / "callgraph"

    def job() -> Analysis:
        environment = _environment(python, site_packages)
        for source in sources:
            if not Path(source).exists():
                raise ProjectError(f"{source}: no such file or directory")
        options = IndexOptions(jobs=jobs, cache_dir=cache)
        with console.status("Parsing") as status:
            analysis = analyze(
                sources,
                environment,
                entries=entries,
                options=options,
                on_round=lambda n, files: status.update(f"Parsing: round {n}, {files} modules"),
            )
        data = json.dumps(to_adjacency(analysis), indent=2) + "\n"
        write_atomically(output_path, data.encode())
        return analysis

    analysis = _guarded(job, verbose=verbose)
    _summarize_graph(console, analysis, output_path, verbose=verbose)


def _environment(python: str | None, site_packages: str | None) -> Environment | None:
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
                click.echo(err.explanation, err=True)
        click.echo(f"sbom-enrich: error: {err.message}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("sbom-enrich: interrupted", err=True)
        sys.exit(130)
    except Exception as err:
        if verbose:
            traceback.print_exc()
        click.echo(
            f"sbom-enrich: internal error: {type(err).__name__}: {err} "
            "(re-run with --verbose for the traceback, and please report it)",
            err=True,
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
