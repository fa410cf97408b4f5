"""``sbom-enrich record``: the index responses an SBOM needs, recorded for ``--replay``."""

from __future__ import annotations

from pathlib import Path

import click

from sbom_enrich.adapters.pypi.index import DEFAULT_INDEX_URL
from sbom_enrich.cli.common import (
    guarded,
)
from sbom_enrich.cli.console import SafeConsole
from sbom_enrich.cli.progress import component_progress
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.errors import (
    OutputError,
)
from sbom_enrich.reports.wrap import say
from sbom_enrich.trust.assess import assess_components
from sbom_enrich.wiring import LookupOptions, open_lookup

__all__ = ["record"]


@click.command(short_help="Record the index responses an SBOM needs, for --replay.")
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

    count = guarded(job, verbose=verbose)
    say(console, f"Recorded {count} responses in {output_dir}")
