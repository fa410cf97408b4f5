"""The connection layer of the state file: one SQLite file, migrations, transactions, writes.

The file is opened in WAL mode with a busy timeout, so two CI jobs can share it: readers never
block, and writers wait for each other instead of failing. Every update is one transaction, so
a run killed half way leaves the store as it was after the last finished project. The schema
version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` brings older files forward. Each
table family is one module of this package, built on :class:`StateFile`.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sbom_enrich.adapters.errors import AdapterError

__all__ = ["MIGRATIONS", "STORE_FAILURES", "StateFile", "StoreError"]

_Self = TypeVar("_Self", bound="StateFile")

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE http_cache (
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        stored_at REAL NOT NULL,
        PRIMARY KEY (method, url)
    );
    CREATE TABLE project_baseline (
        project TEXT PRIMARY KEY,
        organization TEXT,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE TABLE project_role (
        project TEXT NOT NULL,
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        PRIMARY KEY (project, user, role)
    );
    CREATE TABLE release_publisher (
        project TEXT NOT NULL,
        version TEXT NOT NULL,
        identity TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        PRIMARY KEY (project, version, identity)
    );
    """,
    """
    CREATE TABLE facts_cache (
        key TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        stored_at REAL NOT NULL
    );
    """,
    """
    CREATE TABLE advisory_db (
        fingerprint TEXT PRIMARY KEY,
        records INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        first_skip TEXT,
        built_at REAL NOT NULL
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
        stored_at REAL NOT NULL
    );
    """,
)
"""Schema migrations, in order; migration ``n`` brings ``user_version`` from ``n`` to ``n + 1``."""


STORE_FAILURES: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
"""What a damaged or foreign state file raises from any read or write (a malformed page, a
dropped table): the CLI reports these as the state file's fault, not as an internal error."""


class StoreError(AdapterError):
    """The state file cannot be opened or is newer than this version of sbom-enrich."""


class StateFile:
    """A handle on the state file, safe to use from many threads.

    Each thread gets its own connection, so reads never wait for each other. Cache entries are
    written by one background thread, so lookups never wait for a large body to reach the disk;
    :meth:`close` waits for those writes. A cache entry that could not be written only costs a
    request next time: the first such error is kept in :attr:`write_error`. Baseline updates
    are written at once, one transaction each. Use as a context manager or call :meth:`close`.
    """

    _QUEUE_DEPTH = 8

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.write_error: str | None = None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._queue: queue.Queue[tuple[tuple[str, str], object, str, tuple[object, ...]] | None] = (
            queue.Queue(self._QUEUE_DEPTH)
        )
        self._writer: threading.Thread | None = None
        self._pending: dict[tuple[str, str], object] = {}
        self._pending_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate(self._connection())
        except (OSError, sqlite3.Error) as err:
            self.close()
            raise StoreError(f"{self.path}: cannot open the state store: {err}") from err

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

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=30.0, check_same_thread=False, isolation_level=None
            )
            connection.execute("PRAGMA busy_timeout = 30000")
            _enable_wal(connection)
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _migrate(self, connection: sqlite3.Connection) -> None:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: state store schema {version} is newer than this sbom-enrich "
                f"understands ({len(MIGRATIONS)}); upgrade sbom-enrich or use another --state"
            )
        for number in range(version, len(MIGRATIONS)):
            with self._transaction() as transaction:
                (current,) = transaction.execute("PRAGMA user_version").fetchone()
                if current == number:
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            transaction.execute(statement)
                    transaction.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def atomically(self) -> Iterator[None]:
        """Make every write of this thread inside the block one transaction: all or none.

        A run's baseline is committed this way, so a run killed while committing leaves the
        earlier baseline whole, and the next run reports every change again.
        """
        with self._transaction():
            yield

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        if connection.in_transaction:  # inside atomically(): the outer block commits
            yield connection
            return
        connection.execute("BEGIN IMMEDIATE")
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
        while (item := self._queue.get()) is not None:
            pending, value, statement, parameters = item
            try:
                with self._transaction() as connection:
                    connection.execute(statement, parameters)
            except sqlite3.Error as err:
                self.write_error = self.write_error or f"{self.path}: {err}"
            with self._pending_lock:
                if self._pending.get(pending) is value:
                    del self._pending[pending]

    def _pending_value(self, key: tuple[str, str]) -> object | None:
        with self._pending_lock:
            return self._pending.get(key)

    def schema_version(self) -> int:
        """The schema version of the open file."""
        (version,) = self._connection().execute("PRAGMA user_version").fetchone()
        return int(version)


def _enable_wal(connection: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL, waiting while another process does the same on a new file.

    Changing the journal mode needs an exclusive lock and SQLite does not call the busy
    handler for it, so two processes opening a new store at once get "database is locked".
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
