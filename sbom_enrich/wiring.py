"""Build the adapters one run needs (HTTP client, state store, PyPI fact source, advisories).

This is where the CLI's network options become objects: ``--index-url``, ``--offline``,
``--replay``, ``--state``, ``--online-trust-root``. The core receives the result; it never
builds clients itself.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sbom_enrich.adapters.advisories.database import (
    AdvisoryDatabase,
    AdvisoryDatabaseError,
    AdvisoryIndexStore,
)
from sbom_enrich.adapters.advisories.kev import fetch_kev, read_kev
from sbom_enrich.adapters.advisories.sources import DatabaseAdvisories, PyPIAdvisories
from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.generators.cyclonedx_py import environment_sbom, requirements_sbom
from sbom_enrich.adapters.http.client import ClientSettings, build_client, split_credentials
from sbom_enrich.adapters.http.freshness import DEFAULT_LIFETIME
from sbom_enrich.adapters.http.recording import (
    NotRecordedError,
    RecordingTransport,
    ReplayTransport,
)
from sbom_enrich.adapters.pypi.attestations import quiet_sigstore_logs
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import DEFAULT_INDEX_URL, PyPIClient
from sbom_enrich.adapters.store.connection import StoreError, StoreUnreachableError
from sbom_enrich.adapters.store.postgres_backend import POSTGRES_SCHEMES
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.cyclonedx.read import load_bom, parse_bom
from sbom_enrich.errors import (
    AdvisoryDatabaseInputError,
    InputError,
    MalformedInputError,
    NotABomError,
    ReplayError,
    SbomEnrichError,
    StateError,
    UnreadableInputError,
)
from sbom_enrich.inputs.kinds import InputFileKind, input_kind, inputs_in
from sbom_enrich.inputs.locked import cyclonedx_tree
from sbom_enrich.inputs.poetry_lock import read_poetry_lock
from sbom_enrich.inputs.pylock import read_pylock
from sbom_enrich.inputs.uv_lock import read_uv_lock
from sbom_enrich.model.bom import BomDocument
from sbom_enrich.model.exploited import ExploitedCatalog
from sbom_enrich.model.index import Unavailable
from sbom_enrich.ports import AdvisorySource
from sbom_enrich.user_cache import user_cache
from sbom_enrich.version import __version__

__all__ = [
    "STATE_ENVIRONMENT_VARIABLE",
    "USER_AGENT",
    "LoadedInput",
    "Lookup",
    "LookupOptions",
    "advisory_sources",
    "core_error",
    "default_state_path",
    "state_location",
    "open_advisory_database",
    "open_exploited",
    "open_input",
    "open_lookup",
]


STATE_ENVIRONMENT_VARIABLE = "SBOM_ENRICH_STATE"

USER_AGENT = f"sbom-enrich/{__version__} (+https://github.com/sbom-enrich/sbom-enrich)"
"""What every request says it comes from."""


def state_location(value: str) -> Path | str:
    """A ``--state`` value: a ``postgresql://`` URL as it is, anything else a file path."""
    return value if value.startswith(POSTGRES_SCHEMES) else Path(value)


def default_state_path() -> Path | str:
    """``$SBOM_ENRICH_STATE``, else ``<user cache dir>/sbom-enrich/state.sqlite``."""
    configured = os.environ.get(STATE_ENVIRONMENT_VARIABLE)
    if configured:
        return state_location(configured)
    return user_cache() / "state.sqlite"


@dataclass(frozen=True)
class LookupOptions:
    """How to reach the index, and where its answers and the baseline are kept.

    ``replay`` and ``record`` are directories; ``state`` is the state store, a file path or a
    ``postgresql://`` URL.
    """

    index_url: str = DEFAULT_INDEX_URL
    state: Path | str | None = None
    offline: bool = False
    refresh: bool = False
    """Revalidate every cached answer instead of reusing it while it is fresh."""
    replay: Path | None = None
    record: Path | None = None
    online_trust_root: bool = False
    settings: ClientSettings = field(default_factory=lambda: ClientSettings(user_agent=USER_AGENT))


@dataclass(frozen=True)
class Lookup:
    """The adapters of one run: the fact source and the baseline store (None when recording).

    ``store_unavailable`` says why there is no store when a database server did not answer:
    the run goes on, its baseline reported unavailable.
    """

    facts: PyPIFactSource
    pypi: PyPIClient
    store: StateStore | None
    store_unavailable: str | None = None


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
        store_unavailable = None
        if options.record is None:
            try:
                store = stack.enter_context(StateStore(options.state or default_state_path()))
            except StoreUnreachableError as err:
                store_unavailable = str(err)  # caches and baseline go; the run goes on
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
                refresh=options.refresh,
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
            reuse_within=_facts_reuse(options),
        )
        yield Lookup(source, pypi, store, store_unavailable)


def _facts_reuse(options: LookupOptions) -> float:
    """Seconds a stored facts record is answered without a request (see PyPIFactSource)."""
    if options.offline:
        return math.inf
    return 0.0 if options.refresh else DEFAULT_LIFETIME


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
        try:
            return fetch_kev(session.pypi.client, text)
        except AdapterError as err:  # a --replay directory without the catalog's response
            raise core_error(err) from err
    try:
        return read_kev(Path(text))
    except AdapterError as err:
        raise core_error(err) from err


@dataclass(frozen=True)
class LoadedInput:
    """An input read as CycloneDX; ``generated`` is the document we made (None for CycloneDX)."""

    document: BomDocument
    kind: str
    generated: bytes | None = None
    excluded: tuple[str, ...] = ()
    """Locked packages left out because their environment marker excludes this machine."""


def open_input(
    path: str | None,
    kind: InputFileKind | None = None,
    python: Path | None = None,
    *,
    assume_pypi: bool = False,
) -> LoadedInput:
    """Read ``path`` as the kind its name says (or ``kind``); no path reads an environment.

    The environment is ``python``'s, else the active virtual environment's
    (``$VIRTUAL_ENV``), else this interpreter's. ``assume_pypi`` is :func:`load_bom`'s.
    """
    if path is None:
        interpreter = python or _active_python()
        try:
            data = environment_sbom(interpreter)
        except AdapterError as err:
            raise core_error(err) from err
        return LoadedInput(parse_bom(data, source=str(interpreter)), "environment", data)
    source = Path(path)
    if path != "-" and source.is_dir():
        found = inputs_in(source)
        hint = f" (found there: {', '.join(found)})" if found else ""
        raise UnreadableInputError(
            f"{path}: is a directory; give an SBOM, a lockfile or a requirements file{hint}"
        )
    chosen = kind or ("cyclonedx" if path == "-" else input_kind(source))
    if chosen == "cyclonedx":
        try:
            return LoadedInput(load_bom(path, assume_pypi=assume_pypi), chosen)
        except (MalformedInputError, NotABomError) as err:
            if kind is None and source.suffix in _OTHER_INPUT_SUFFIXES:
                raise type(err)(
                    f"{err}; for a lockfile or requirements file, give --input-kind"
                ) from err
            raise
    if chosen == "requirements":
        try:
            data = requirements_sbom(source)
        except AdapterError as err:
            raise core_error(err) from err
        return LoadedInput(parse_bom(data, source=path), chosen, data)
    try:
        raw = source.read_bytes()
    except OSError as err:
        raise UnreadableInputError(f"{path}: cannot read: {err.strerror or err}") from err
    project = _LOCK_READERS[chosen](raw, path)
    data = json.dumps(cyclonedx_tree(project, path), indent=2).encode() + b"\n"
    return LoadedInput(parse_bom(data, source=path), chosen, data, project.excluded)


_OTHER_INPUT_SUFFIXES = frozenset({".toml", ".lock", ".txt", ".in"})
_LOCK_READERS = {"pylock": read_pylock, "uv-lock": read_uv_lock, "poetry-lock": read_poetry_lock}


def _active_python() -> Path:
    virtual_env = os.environ.get("VIRTUAL_ENV")
    if virtual_env:
        return Path(virtual_env) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return Path(sys.executable)
