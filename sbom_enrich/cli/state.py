"""``sbom-enrich state``: what the state store has seen, across every project that used it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar

import click
from rich.table import Table

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.cli.common import guarded
from sbom_enrich.cli.console import SafeConsole
from sbom_enrich.model.baseline import TrustChange
from sbom_enrich.wiring import core_error, default_state_path, state_location

__all__ = ["state"]


_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])


def _store_options(command: _F) -> _F:
    """``--state`` and ``--verbose``, as every ``state`` command takes them."""
    command = click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")(command)
    return click.option(
        "--state",
        "state_path",
        metavar="PATH|URL",
        default=None,
        help="The state store, as for enrich; also $SBOM_ENRICH_STATE.",
    )(command)


def _on_store(state_path: str | None, verbose: bool, work: Callable[[StateStore], _T]) -> _T:
    """``work`` on the store ``--state`` names, errors turned into one line and an exit code."""
    location = state_location(state_path) if state_path else default_state_path()

    def job() -> _T:
        try:
            with StateStore(location) as store:
                return work(store)
        except AdapterError as err:
            raise core_error(err) from err

    return guarded(job, verbose=verbose)


@click.group(short_help="What the state store has seen: the change feed.")
def state() -> None:
    """The change feed and retention of the state store (a SQLite file or postgresql://)."""


@state.command(short_help="Every ownership and publisher change seen, newest first.")
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Only changes last seen on or after DATE (ISO 8601: 2026-12-01 or "
    "2026-12-01T08:00:00+00:00; a date without a zone is UTC). Default: all.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table on the terminal, or JSON on standard output.",
)
@_store_options
def changes(since: str | None, output_format: str, state_path: str | None, verbose: bool) -> None:
    """List every ownership, organisation and publisher change the store has recorded.

    Across all projects and all SBOMs enriched against it, newest first, each with when it
    was first and last seen and the SBOM whose run first saw it: the feed a security team
    watches when many CI runners share one PostgreSQL store.
    """
    start = _since(since)
    found = _on_store(state_path, verbose, lambda store: store.changes(start))
    if output_format == "json":
        click.echo(json.dumps([_change_json(change) for change in found], indent=2))
        return
    console = SafeConsole(highlight=False)
    if not found:
        console.print("No changes recorded" + (f" since {since}" if since else ""), markup=False)
        return
    table = Table(box=None, padding=(0, 1, 0, 0))
    for column in ("last seen", "project", "change", "detail", "first seen", "seen by"):
        table.add_column(column, overflow="fold")
    for change in found:
        table.add_row(
            _time(change.last_seen),
            change.project,
            change.kind,
            change.detail,
            _time(change.first_seen),
            change.seen_by or "-",
        )
    console.print(table)


def _since(value: str | None) -> float:
    if value is None:
        return 0.0
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 date or time", param_hint="--since"
        ) from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def _change_json(change: TrustChange) -> dict[str, str]:
    return {
        "project": change.project,
        "kind": change.kind,
        "detail": change.detail,
        "firstSeen": _time(change.first_seen),
        "lastSeen": _time(change.last_seen),
        "seenBy": change.seen_by,
    }


@state.command(short_help="Remove cache entries and changes older than some days.")
@click.option(
    "--older-than",
    "days",
    required=True,
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Remove what was stored or last seen more than DAYS days ago.",
)
@_store_options
def prune(days: int, state_path: str | None, verbose: bool) -> None:
    """Remove what is older than DAYS days, and say how many entries of each table.

    HTTP and facts cache entries, release diffs, advisory indexes (rebuilt or refetched when
    needed) and recorded changes (the feed of 'state changes'). The ownership and publisher
    baseline is kept whatever its age: without it a changed owner would look like a first
    observation.
    """
    before = datetime.now(timezone.utc).timestamp() - days * 86_400
    removed = _on_store(state_path, verbose, lambda store: store.prune(before))
    counts = ", ".join(f"{count} {table}" for table, count in removed.items())
    click.echo(f"Removed entries older than {days} days: {counts}", err=True)
