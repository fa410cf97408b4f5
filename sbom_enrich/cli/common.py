"""What every command shares: options, the console, error handling, project analysis."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sbom_enrich.errors import ProjectError, SbomEnrichError, StateError
from sbom_enrich.reports.escape import terminal_text
from sbom_enrich.user_cache import user_cache

if TYPE_CHECKING:  # the call-graph engine (libcst, networkx) loads only when a graph is built
    from rich.console import Console

    from sbom_enrich.reachability.analysis import Analysis
    from sbom_enrich.reachability.environment import Environment

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL_ERROR",
    "SectionedCommand",
    "analyze_project",
    "callgraph_cache",
    "check_environment_flags",
    "echo",
    "guarded",
    "output_option",
]


def callgraph_cache() -> Path:
    """Where call-graph results are cached unless --cache-dir or --no-cache says else.

    Found when a graph is built (:func:`~sbom_enrich.user_cache.user_cache`).
    """
    return user_cache() / "callgraph"


EXIT_INTERNAL_ERROR = 70
"""A bug in sbom-enrich (an exception that is not an :class:`SbomEnrichError`)."""

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., object])


def output_option(text: str) -> Callable[[_F], _F]:
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


def max_values_option(text: str) -> Callable[[_F], _F]:
    """The ``--max-values`` option of the commands that solve a call graph.

    ``text`` says what happens past the limit; the default is the solver's own
    (``sbom_enrich.reachability.solve.MAX_VALUES``, not imported here: it would load the
    solver at start-up).
    """
    return click.option(
        "--max-values",
        "max_values",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help=f"{text} Default: 30,000,000 (about 100 bytes each).",
    )


EXIT_CODES = (
    "Exit codes: 0 success; 2 usage error or unwritable output; 3 invalid or unsupported "
    "input; 4 upstream failure with --strict; 70 internal error (docs/cli.md lists all)."
)


def echo(message: str, *, err: bool = True) -> None:
    """``click.echo`` of a line that may hold SBOM or index text, escaped for the terminal."""
    click.echo(terminal_text(message), err=err)


def check_environment_flags(python: str | None, site_packages: str | None) -> None:
    """A usage error when both ways of naming the environment are given."""
    if python and site_packages:
        raise click.UsageError("give --python or --site-packages, not both")


def analyze_project(
    console: Console,
    sources: tuple[str, ...],
    python: str | None,
    site_packages: str | None,
    *,
    entries: tuple[str, ...] = (),
    jobs: int = os.cpu_count() or 1,
    cache: Path | None,
    max_values: int | None = None,
) -> Analysis:
    """Build the call graph of ``sources``, with a status line while it runs.

    ``max_values`` overrides the limit on what solving may hold (``IndexOptions.max_values``).
    """
    from sbom_enrich.reachability.analysis import analyze
    from sbom_enrich.reachability.entry_points import UnreadableEntryPointsError
    from sbom_enrich.reachability.index import IndexOptions

    environment = _environment(python, site_packages)
    for source in sources:
        if not Path(source).exists():
            raise ProjectError(f"{source}: no such file or directory")
    options = IndexOptions(jobs=jobs, cache_dir=cache)
    if max_values is not None:
        options = replace(options, max_values=max_values)
    with console.status("Building the call graph") as status:
        try:
            return analyze(
                sources,
                environment,
                entries=entries,
                options=options,
                on_round=lambda n, files: status.update(
                    f"Building the call graph: round {n}, {files} modules"
                ),
            )
        except UnreadableEntryPointsError as err:
            raise ProjectError(str(err)) from err


def _environment(python: str | None, site_packages: str | None) -> Environment | None:
    from sbom_enrich.reachability.environment import (
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


def guarded(job: Callable[[], _T], *, verbose: bool) -> _T:
    """Run ``job``; turn errors into one line on stderr and the documented exit code."""
    try:
        return job()
    except SbomEnrichError as err:
        if verbose:
            traceback.print_exc()
            if err.explanation:
                echo(err.explanation)
        echo(f"sbom-enrich: error: {err.message}")
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("sbom-enrich: interrupted", err=True)
        sys.exit(130)
    except Exception as err:
        if verbose:
            traceback.print_exc()
        if isinstance(err, _store_failures()):
            state = StateError(
                f"the state store is damaged or not ours ({type(err).__name__}: {err}); "
                "remove it or give another --state"
            )
            echo(f"sbom-enrich: error: {state.message}")
            sys.exit(state.exit_code)
        echo(
            f"sbom-enrich: internal error: {type(err).__name__}: {err} "
            "(re-run with --verbose for the traceback, and please report it)"
        )
        sys.exit(EXIT_INTERNAL_ERROR)


def _store_failures() -> tuple[type[Exception], ...]:
    """What a damaged state store raises (imported only once something went wrong)."""
    from sbom_enrich.adapters.store.connection import store_failures

    return store_failures()


class SectionedCommand(click.Command):
    """A command whose ``--help`` lists its options under headings, in the order given.

    ``sections`` maps a heading to the parameter names under it; options not named fall under
    the last heading.
    """

    def __init__(
        self, *args: Any, sections: Sequence[tuple[str, Sequence[str]]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the options section by section."""
        rows = {p.name: p.get_help_record(ctx) for p in self.get_params(ctx)}
        named = {name for _, names in self.sections for name in names}
        for index, (heading, names) in enumerate(self.sections):
            last = index == len(self.sections) - 1
            chosen = [*names, *(n for n in rows if last and n not in named)]
            records = [r for r in (rows.get(n) for n in chosen) if r is not None]
            if records:
                with formatter.section(heading):
                    formatter.write_dl(records)
