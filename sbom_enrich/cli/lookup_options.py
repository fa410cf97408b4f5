"""How the commands that read the index are told to reach it (enrich, record, verify, symbols)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.http.client import split_credentials
from sbom_enrich.adapters.pypi.index import DEFAULT_INDEX_URL
from sbom_enrich.wiring import LookupOptions, core_error

__all__ = ["index_options", "lookup_options", "replaying"]

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., object])


def index_options(func: _F) -> _F:
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


def lookup_options(
    index_url: str,
    state_path: str | None,
    offline: bool,
    replay_dir: str | None,
    online_trust_root: bool,
) -> LookupOptions:
    """The :class:`LookupOptions` the index options of a command say, checked."""
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


def replaying(replay_dir: str | None, job: Callable[[], _T]) -> _T:
    """Run ``job``; a request missing from the recording becomes a :class:`ReplayError`."""
    try:
        return job()
    except AdapterError as err:
        raise core_error(err) from err
