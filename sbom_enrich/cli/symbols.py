"""``symbols derive`` and ``symbols build``: which functions an advisory is about."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from packaging.utils import canonicalize_name

from sbom_enrich.adapters.pypi.release_sources import IndexReleaseSources
from sbom_enrich.atomic import write_atomically
from sbom_enrich.cli.common import (
    guarded,
    output_option,
)
from sbom_enrich.cli.console import SafeConsole
from sbom_enrich.cli.lookup_options import index_options, replaying
from sbom_enrich.cli.progress import component_progress
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.reach.symbols import (
    AdvisorySymbols,
    DiffCache,
    derive_for_advisory,
    derive_for_components,
)
from sbom_enrich.reach.symbols_json import symbols_to_json
from sbom_enrich.reports.wrap import say
from sbom_enrich.wiring import Lookup, LookupOptions, open_advisory_database, open_lookup

if TYPE_CHECKING:
    pass

__all__ = ["symbols"]


@click.group(short_help="Which functions an advisory is about.")
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
@output_option("Where to write the candidates as JSON. Written atomically.")
@index_options
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def derive(
    advisory_id: str,
    package: str,
    advisory_db: str,
    output_path: str,
    options: LookupOptions,
    verbose: bool,
) -> None:
    """Rank the functions ADVISORY is about, from its record, its text and its fix.

    The fix is read from the index: for each fixed branch, the last vulnerable
    release and the first fixed one are downloaded (pure wheels preferred) and
    compared; nothing is installed or run.
    """

    def job() -> AdvisorySymbols:
        project = canonicalize_name(package)
        with open_lookup(options) as lookup:
            database = open_advisory_database(Path(advisory_db), lookup.store)
            result = replaying(
                lambda: derive_for_advisory(
                    database,
                    IndexReleaseSources(lookup.pypi),
                    project,
                    advisory_id,
                    cache=_diff_cache(lookup),
                    database_name=advisory_db,
                ),
            )
        data = json.dumps(symbols_to_json(result), indent=2, ensure_ascii=False) + "\n"
        write_atomically(output_path, data.encode())
        return result

    result = guarded(job, verbose=verbose)
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
@output_option("Where to write the list of results as JSON (for enrich --symbols).")
@index_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def build(
    input_path: str,
    advisory_db: str,
    output_path: str,
    options: LookupOptions,
    quiet: bool,
    verbose: bool,
) -> None:
    """Derive the symbols of every advisory in --advisory-db that affects a component of INPUT.

    One download pair per fixed branch and advisory; the result is a list that
    'enrich --symbols' reads.
    """
    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)

    def job() -> list[AdvisorySymbols]:
        document = load_bom(input_path)
        with open_lookup(options) as lookup:
            database = open_advisory_database(Path(advisory_db), lookup.store)
            with component_progress(
                console, len(document.components), description="Deriving", enabled=not quiet
            ) as advance:
                results = replaying(
                    lambda: derive_for_components(
                        document.components,
                        database,
                        IndexReleaseSources(lookup.pypi),
                        cache=_diff_cache(lookup),
                        on_component=advance,
                    ),
                )
        data = json.dumps([symbols_to_json(r) for r in results], indent=2, ensure_ascii=False)
        write_atomically(output_path, (data + "\n").encode())
        return results

    results = guarded(job, verbose=verbose)
    with_candidates = sum(1 for r in results if r.candidates)
    say(console, f"Derived {len(results)} advisories, {with_candidates} with candidate symbols")


def _diff_cache(lookup: Lookup) -> DiffCache | None:
    """Release-pair diffs kept in the run's state store (none when recording)."""
    return DiffCache(lookup.store, lookup.pypi.index_url) if lookup.store is not None else None
