"""The connection layer of the state store: migrations, transactions, background writes.

The store is one SQLite file (:mod:`.sqlite_backend`, the default) or a PostgreSQL database
named by a ``postgresql://`` URL (:mod:`.postgres_backend`); both get the same tables from the
same numbered :data:`MIGRATIONS`, applied under the backend's lock so that processes starting
together migrate once. Every update is one transaction, so a run killed half way leaves the
store as it was after the last finished project. Each table family is one module of this
package, built on :class:`StateFile`.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sbom_enrich.adapters.store.backend import (
    Backend,
    Connection,
    StoreError,
    StoreUnreachableError,
)
from sbom_enrich.adapters.store.postgres_backend import POSTGRES_SCHEMES, without_password
from sbom_enrich.adapters.store.sqlite_backend import SQLiteBackend

__all__ = [
    "MIGRATIONS",
    "STORE_FAILURES",
    "StateFile",
    "StoreError",
    "StoreUnreachableError",
    "open_backend",
    "store_failures",
]

_Self = TypeVar("_Self", bound="StateFile")

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE http_cache (
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body {blob} NOT NULL,
        stored_at {real} NOT NULL,
        PRIMARY KEY (method, url)
    );
    CREATE TABLE project_baseline (
        project TEXT PRIMARY KEY,
        organization TEXT,
        first_seen {real} NOT NULL,
        last_seen {real} NOT NULL
    );
    CREATE TABLE project_role (
        project TEXT NOT NULL,
        "user" TEXT NOT NULL,
        role TEXT NOT NULL,
        first_seen {real} NOT NULL,
        last_seen {real} NOT NULL,
        PRIMARY KEY (project, "user", role)
    );
    CREATE TABLE release_publisher (
        project TEXT NOT NULL,
        version TEXT NOT NULL,
        identity TEXT NOT NULL,
        first_seen {real} NOT NULL,
        last_seen {real} NOT NULL,
        PRIMARY KEY (project, version, identity)
    );
    """,
    """
    CREATE TABLE facts_cache (
        key TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        stored_at {real} NOT NULL
    );
    """,
    """
    CREATE TABLE advisory_db (
        fingerprint TEXT PRIMARY KEY,
        records INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        first_skip TEXT,
        built_at {real} NOT NULL
    );
    CREATE TABLE advisory_index (
        fingerprint TEXT NOT NULL,
        project TEXT NOT NULL,
        records TEXT NOT NULL,
        PRIMARY KEY (fingerprint, project)
    );
    """,
    """
    CREATE TABLE release_diff_cache (
        key TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        stored_at {real} NOT NULL
    );
    """,
    """
    CREATE TABLE trust_change (
        project TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        first_seen {real} NOT NULL,
        last_seen {real} NOT NULL,
        seen_by TEXT NOT NULL,
        PRIMARY KEY (project, kind, detail)
    );
    CREATE INDEX trust_change_by_time ON trust_change (last_seen);
    """,
)
"""Schema migrations, in order; migration ``n`` brings the schema version from ``n`` to ``n + 1``.

``{blob}`` and ``{real}`` are the backend's names of those column types."""


STORE_FAILURES: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
"""What a damaged or foreign state file raises from any read or write (a malformed page, a
dropped table): the CLI reports these as the state file's fault, not as an internal error.
(A PostgreSQL store's failures are added by :func:`store_failures` once its driver is loaded.)"""


def store_failures() -> tuple[type[Exception], ...]:
    """:data:`STORE_FAILURES`, and psycopg's errors when a PostgreSQL store was opened."""
    import sys

    psycopg = sys.modules.get("psycopg")
    return STORE_FAILURES + ((psycopg.Error,) if psycopg is not None else ())


def open_backend(location: Path | str) -> Backend:
    """The backend of ``--state`` ``location``: a ``postgresql://`` URL, else a file path."""
    if isinstance(location, str) and location.startswith(POSTGRES_SCHEMES):
        try:
            from sbom_enrich.adapters.store.postgres_backend import PostgresBackend

            return PostgresBackend(location)
        except ImportError as err:
            raise StoreError(
                f"{without_password(location)}: a PostgreSQL state store needs psycopg: "
                "pip install 'sbom-enrich[postgresql]'"
            ) from err
    return SQLiteBackend(Path(location))


class StateFile:
    """A handle on the state store, safe to use from many threads.

    Each thread gets its own connection, so reads never wait for each other. Cache entries are
    written by one background thread, so lookups never wait for a large body to reach the
    database; :meth:`close` waits for those writes. A cache entry that could not be written
    only costs a request next time: the first such error is kept in :attr:`write_error`.
    Baseline updates are written at once, one transaction each. Use as a context manager or
    call :meth:`close`.
    """

    _QUEUE_DEPTH = 8

    def __init__(self, location: Path | str, *, observer: str = "") -> None:
        self.observer = observer
        """What this handle's records say saw them (the SBOM of the run), in ``seen_by``."""
        self.write_error: str | None = None
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._connections_lock = threading.Lock()
        self._queue: queue.Queue[tuple[tuple[str, str], object, str, tuple[object, ...]] | None] = (
            queue.Queue(self._QUEUE_DEPTH)
        )
        self._writer: threading.Thread | None = None
        self._pending: dict[tuple[str, str], object] = {}
        self._pending_lock = threading.Lock()
        shown = without_password(str(location))
        self._backend: Backend | None = None
        try:
            self._backend = open_backend(location)
            self._migrate()
        except StoreError:
            self.close()
            raise
        except Exception as err:
            self.close()
            if not isinstance(err, (OSError, *store_failures())):  # psycopg's, once loaded
                raise
            raise StoreError(f"{shown}: cannot open the state store: {err}") from err

    @property
    def location(self) -> str:
        """Where the store is: its file, or its URL without the password."""
        return self._open_backend().location

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Finish pending cache writes and close every connection."""
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        if self._backend is not None:
            self._backend.close()

    def _open_backend(self) -> Backend:
        if self._backend is None:
            raise StoreError("the state store is closed")
        return self._backend

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open_backend().connect()
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _migrate(self) -> None:
        backend = self._open_backend()
        connection = self._connection()
        version = backend.schema_version(connection)
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{backend.location}: state store schema {version} is newer than this "
                f"sbom-enrich understands ({len(MIGRATIONS)}); upgrade sbom-enrich or use "
                "another --state"
            )
        if version == len(MIGRATIONS):
            return
        with backend.migration_lock(connection), self._transaction() as transaction:
            current = backend.schema_version(transaction)  # another process may have migrated
            for number in range(current, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].format(**backend.column_types).split(";"):
                    if statement.strip():
                        transaction.execute(statement)
            if current < len(MIGRATIONS):
                backend.set_schema_version(transaction, len(MIGRATIONS))

    @contextmanager
    def atomically(self) -> Iterator[None]:
        """Make every write of this thread inside the block one transaction: all or none.

        A run's baseline is committed this way, so a run killed while committing leaves the
        earlier baseline whole, and the next run reports every change again.
        """
        with self._transaction():
            yield

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        connection = self._connection()
        if connection.in_transaction:  # inside atomically(): the outer block commits
            yield connection
            return
        self._open_backend().begin(connection)
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _write_later(
        self,
        pending: tuple[str, str],
        value: object,
        statement: str,
        parameters: tuple[object, ...],
    ) -> None:
        """Queue a cache write; until it lands, reads of ``pending`` see ``value``."""
        with self._pending_lock:
            self._pending[pending] = value
        if self._writer is None:
            with self._connections_lock:
                if self._writer is None:
                    self._writer = threading.Thread(
                        target=self._write_queued, name="sbom-enrich-store", daemon=True
                    )
                    self._writer.start()
        self._queue.put((pending, value, statement, parameters))

    def _write_queued(self) -> None:
        failures = self._open_backend().failures
        while (item := self._queue.get()) is not None:
            pending, value, statement, parameters = item
            try:
                with self._transaction() as connection:
                    connection.execute(statement, parameters)
            except failures as err:
                self.write_error = self.write_error or f"{self.location}: {err}"
            with self._pending_lock:
                if self._pending.get(pending) is value:
                    del self._pending[pending]

    def _pending_value(self, key: tuple[str, str]) -> object | None:
        with self._pending_lock:
            return self._pending.get(key)

    def schema_version(self) -> int:
        """The schema version of the open store."""
        return self._open_backend().schema_version(self._connection())
