"""Build the adapters one run needs (HTTP client, state store, PyPI fact source, advisories).

This is where the CLI's network options become objects: ``--index-url``, ``--offline``,
``--replay``, ``--state``, ``--online-trust-root``. The core receives the result; it never
builds clients itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from platformdirs import user_cache_dir

from sbom_enrich.adapters.advisories.database import (
    AdvisoryDatabase,
    AdvisoryDatabaseError,
    AdvisoryIndexStore,
)
from sbom_enrich.adapters.advisories.kev import fetch_kev, read_kev
from sbom_enrich.adapters.advisories.sources import DatabaseAdvisories, PyPIAdvisories
from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.http.client import ClientSettings, build_client, split_credentials
from sbom_enrich.adapters.http.recording import (
    NotRecordedError,
    RecordingTransport,
    ReplayTransport,
)
from sbom_enrich.adapters.pypi.attestations import quiet_sigstore_logs
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import DEFAULT_INDEX_URL, PyPIClient
from sbom_enrich.adapters.store.connection import StoreError
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.errors import (
    AdvisoryDatabaseInputError,
    InputError,
    ReplayError,
    SbomEnrichError,
    StateError,
)
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.ports import AdvisorySource
from sbom_enrich.version import __version__

__all__ = [
    "STATE_ENVIRONMENT_VARIABLE",
    "USER_AGENT",
    "Lookup",
    "LookupOptions",
    "advisory_sources",
    "core_error",
    "default_state_path",
    "open_advisory_database",
    "open_exploited",
    "open_lookup",
]


STATE_ENVIRONMENT_VARIABLE = "SBOM_ENRICH_STATE"

USER_AGENT = f"sbom-enrich/{__version__} (+https://github.com/sbom-enrich/sbom-enrich)"
"""What every request says it comes from."""


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
    settings: ClientSettings = field(default_factory=lambda: ClientSettings(user_agent=USER_AGENT))


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
            except AdapterError as err:
                raise core_error(err) from err
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


def advisory_sources(
    databases: Sequence[Path], store: AdvisoryIndexStore | None, *, pypi: bool = True
) -> tuple[AdvisorySource, ...]:
    """PyPI's JSON API (unless ``pypi`` is False) and each offline database, indexed once."""
    sources: list[AdvisorySource] = [PyPIAdvisories()] if pypi else []
    sources.extend(DatabaseAdvisories(open_advisory_database(path, store)) for path in databases)
    return tuple(sources)


def open_advisory_database(path: Path, store: AdvisoryIndexStore | None) -> AdvisoryDatabase:
    """The OSV records under ``path``, indexed once in ``store``; bad input is an InputError."""
    try:
        return AdvisoryDatabase(path, store)
    except AdapterError as err:
        raise core_error(err) from err


_CORE_ERRORS: tuple[tuple[type[AdapterError], type[InputError]], ...] = (
    (StoreError, StateError),
    (AdvisoryDatabaseError, AdvisoryDatabaseInputError),
    (NotRecordedError, ReplayError),
)


def core_error(err: AdapterError) -> SbomEnrichError:
    """The core's error, with its exit code, for what an adapter raised."""
    for adapter_error, error in _CORE_ERRORS:
        if isinstance(err, adapter_error):
            return error(str(err))
    return InputError(str(err))


def open_exploited(
    value: ExploitedCatalog | str | Path, session: Lookup | None
) -> ExploitedCatalog | Unavailable:
    """The ``--kev`` catalog: as given, read from a file, or fetched from an http(s) URL.

    A URL goes through ``session``'s client (so the state store caches it and ``--offline``
    and ``--replay`` serve it); with ready ports there is no session, so pass a loaded catalog.
    """
    if isinstance(value, ExploitedCatalog):
        return value
    text = str(value)
    if text.startswith(("https://", "http://")):
        if session is None:
            raise InputError(f"{text}: fetching a KEV catalog needs LookupOptions; load it first")
        return fetch_kev(session.pypi.client, text)
    try:
        return read_kev(Path(text))
    except AdapterError as err:
        raise core_error(err) from err
