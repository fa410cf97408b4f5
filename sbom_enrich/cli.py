"""The ``sbom-enrich`` command line (click). Exit codes are listed in ``docs/cli.md``."""

from __future__ import annotations

import sys
import traceback
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import click
from cyclonedx.schema import SchemaVersion
from rich.console import Console

from sbom_enrich.atomic import write_atomically
from sbom_enrich.bom import load_bom
from sbom_enrich.errors import SbomEnrichError
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
@click.option(
    "-o",
    "--output",
    "output_path",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the enriched SBOM; '-' is standard output. Written atomically.",
)
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
