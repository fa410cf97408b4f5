"""``callgraph``: export the call graph of application sources into their dependencies.

It imports the call-graph engine and nothing of the SBOM, index or Sigstore stack.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from sbom_enrich.atomic import write_atomically
from sbom_enrich.cli.common import (
    EXIT_CODES,
    analyze_project,
    callgraph_cache,
    check_environment_flags,
    guarded,
    max_values_option,
    output_option,
)
from sbom_enrich.cli.console import SafeConsole
from sbom_enrich.errors import ProjectError
from sbom_enrich.reports.wrap import say

if TYPE_CHECKING:
    from sbom_enrich.reachability.analysis import Analysis

__all__ = ["callgraph"]


@click.command(short_help="Export the call graph of application sources.", epilog=EXIT_CODES)
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
@output_option("Where to write the graph as JSON {caller: [callees]}. Written atomically.")
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
@max_values_option("Stop solving once the program holds N values; then the command fails.")
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
    max_values: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the call graph from the application sources SRC into their dependencies."""
    from sbom_enrich.reachability.analysis import to_adjacency, to_pycg

    console = SafeConsole(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    check_environment_flags(python, site_packages)
    cache = None if no_cache else Path(cache_dir) / "callgraph" if cache_dir else callgraph_cache()

    def job() -> Analysis:
        analysis = analyze_project(
            console,
            sources,
            python,
            site_packages,
            entries=entries,
            jobs=jobs,
            cache=cache,
            max_values=max_values,
        )
        if analysis.reachability.incomplete:
            raise ProjectError(
                f"{', '.join(sources)}: {analysis.reachability.incomplete} "
                "(--max-values raises the limit; memory grows with it, about 100 bytes a value)"
            )
        export = to_pycg if graph_format == "pycg" else to_adjacency
        data = json.dumps(export(analysis), indent=2) + "\n"
        write_atomically(output_path, data.encode())
        return analysis

    analysis = guarded(job, verbose=verbose)
    _summarize_graph(console, analysis, output_path, verbose=verbose)


def _summarize_graph(
    console: Console, analysis: Analysis, output_path: str, *, verbose: bool
) -> None:
    statuses = Counter(result.status for result in analysis.files)
    lines = sum(result.facts.lines for result in analysis.files if result.facts is not None)
    written = "standard output" if output_path == "-" else output_path
    say(
        console,
        f"Analyzed {len(analysis.files)} modules ({lines} lines; "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
        + f"); {analysis.graph.number_of_edges()} edges; wrote the call graph to {written}",
    )
    if verbose:
        for result in analysis.files:
            if result.reason:
                say(console, f"  {result.status} {result.path}: {result.reason}")
