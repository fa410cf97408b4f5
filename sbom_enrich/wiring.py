"""Build the adapters one run needs (HTTP client, state store, PyPI fact source).

This is where the CLI's network options become objects: ``--index-url``, ``--offline``,
``--replay``, ``--state``, ``--online-trust-root``. The core receives the result; it never
builds clients itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from platformdirs import user_cache_dir

from sbom_enrich.adapters.attestations import quiet_sigstore_logs
from sbom_enrich.adapters.http import ClientSettings, build_client, split_credentials
from sbom_enrich.adapters.pypi import DEFAULT_INDEX_URL, PyPIClient
from sbom_enrich.adapters.pypi_facts import PyPIFactSource
from sbom_enrich.adapters.recording import RecordingTransport, ReplayTransport
from sbom_enrich.adapters.store import StateStore, StoreError
from sbom_enrich.errors import ReplayError, StateError

__all__ = [
    "STATE_ENVIRONMENT_VARIABLE",
    "Lookup",
    "LookupOptions",
    "default_state_path",
    "open_lookup",
]


STATE_ENVIRONMENT_VARIABLE = "SBOM_ENRICH_STATE"


def default_state_path() -> Path:
    """``$SBOM_ENRICH_STATE``, else ``<user cache dir>/sbom-enrich/state.sqlite``."""
    configured = os.environ.get(STATE_ENVIRONMENT_VARIABLE)
    if configured:
        return Path(configured)
    return Path(user_cache_dir("sbom-enrich")) / "state.sqlite"


@dataclass(frozen=True)
class LookupOptions:
    """How to reach the index. ``replay`` and ``record`` are directories."""

    index_url: str = DEFAULT_INDEX_URL
    state: Path | None = None
    offline: bool = False
    replay: Path | None = None
    record: Path | None = None
    online_trust_root: bool = False
    settings: ClientSettings = field(default_factory=ClientSettings)


@dataclass(frozen=True)
class Lookup:
    """The adapters of one run: the fact source and the baseline store (None when recording)."""

    facts: PyPIFactSource
    pypi: PyPIClient
    store: StateStore | None


@contextmanager
def open_lookup(
    options: LookupOptions, *, transport: httpx.BaseTransport | None = None
) -> Iterator[Lookup]:
    """Open the store and client for ``options``; ``transport`` replaces the network (tests).

    Replay serves the recording only (no cache, so the result does not depend on earlier
    runs, and no lesson drawn from one page about the index); recording always asks the network
    and writes no baseline.
    """
    quiet_sigstore_logs()
    index_url, auth = split_credentials(options.index_url)  # credentials only go on the wire
    with ExitStack() as stack:
        store = None
        if options.record is None:
            try:
                store = stack.enter_context(StateStore(options.state or default_state_path()))
            except StoreError as err:
                raise StateError(str(err)) from err
        base = transport
        if options.replay is not None:
            try:
                base = ReplayTransport(options.replay)
            except FileNotFoundError as err:
                raise ReplayError(str(err)) from err
        if options.record is not None:
            network = base or httpx.HTTPTransport(retries=0)
            base = RecordingTransport(network, options.record)
        client = stack.enter_context(
            build_client(
                options.settings,
                store=None if options.replay or options.record else store,
                offline=options.offline and options.replay is None,
                transport=base,
                auth=auth,
            )
        )
        # Recording must hold every answer, and a replay takes each recorded answer on its own
        # (a recording may mix real pages with built ones, samples/README.md), so neither
        # generalizes from one page to the whole index.
        learn = options.record is None and options.replay is None
        pypi = PyPIClient(client, index_url, learn=learn)
        source = PyPIFactSource(
            pypi,
            offline_trust_root=not options.online_trust_root,
            cache=store if options.replay is None and options.record is None else None,
            reuse_cached=options.offline and options.replay is None,
        )
        yield Lookup(source, pypi, store)
