"""How the commands that read the index are told to reach it (enrich, verify, symbols).

The six index options are declared once, in :func:`index_options`, and reach the command as
one checked :class:`~sbom_enrich.wiring.LookupOptions` argument named ``options``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.http.client import split_credentials
from sbom_enrich.adapters.pypi.index import DEFAULT_INDEX_URL
from sbom_enrich.wiring import LookupOptions, core_error, state_location

__all__ = ["index_options", "replaying"]

_T = TypeVar("_T")


def index_options(func: Callable[..., _T]) -> Callable[..., _T]:
    """Add the index options to a command; it receives them as ``options: LookupOptions``."""

    @functools.wraps(func)
    def with_options(
        *args: object,
        index_url: str,
        state_path: str | None,
        offline: bool,
        refresh: bool,
        replay_dir: str | None,
        online_trust_root: bool,
        **kwargs: object,
    ) -> _T:
        options = _lookup_options(
            index_url, state_path, offline, refresh, replay_dir, online_trust_root
        )
        _fewer_malloc_arenas()  # before the lookup threads start
        return func(*args, options=options, **kwargs)

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
            metavar="PATH|URL",
            help="State store (HTTP cache and ownership baseline): a SQLite file, or a "
            "postgresql://user@host/db URL shared by CI runners; also $SBOM_ENRICH_STATE. "
            "Default: a file in the user cache directory.",
        ),
        click.option(
            "--offline", is_flag=True, help="Send no request; answer from the state's cache only."
        ),
        click.option(
            "--refresh",
            is_flag=True,
            help="Ask the index again about every answer the cache holds, even a fresh one "
            "(default: reuse answers for their Cache-Control max-age, else 10 minutes).",
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
    command: Callable[..., _T] = with_options
    for option in reversed(options):
        command = option(command)
    return command


def _lookup_options(
    index_url: str,
    state_path: str | None,
    offline: bool,
    refresh: bool,
    replay_dir: str | None,
    online_trust_root: bool,
) -> LookupOptions:
    """The :class:`LookupOptions` the index options of a command say, checked."""
    if offline and replay_dir:
        raise click.UsageError("give --offline or --replay, not both")
    if refresh and (offline or replay_dir):
        raise click.UsageError("--refresh asks the index: not with --offline or --replay")
    try:
        split_credentials(index_url)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--index-url") from err
    return LookupOptions(
        index_url=index_url,
        state=state_location(state_path) if state_path else None,
        offline=offline,
        refresh=refresh,
        replay=Path(replay_dir) if replay_dir else None,
        online_trust_root=online_trust_root,
    )


def replaying(job: Callable[[], _T]) -> _T:
    """Run ``job``; what an adapter raises becomes the core's error with its exit code.

    For example a request missing from a recording, or a damaged state file.
    """
    try:
        return job()
    except AdapterError as err:
        raise core_error(err) from err


def _fewer_malloc_arenas() -> None:
    """Ask glibc for two malloc arenas instead of one per thread (up to eight per core).

    The index lookups run in up to sixteen threads that each parse and free megabytes of project
    JSON; with an arena each, the freed memory stays scattered over them. On the 320-component
    SBOM a cold run peaked at 283 MB with the default and at 181 MB with two arenas, no slower.
    ``mallopt(M_ARENA_MAX, 2)`` is glibc's documented knob (the ``MALLOC_ARENA_MAX``
    variable sets the same); elsewhere the call is absent or does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 2)


_M_ARENA_MAX = -8
"""glibc's ``M_ARENA_MAX`` parameter of ``mallopt`` (malloc.h)."""
