"""The state store: one SQLite file holding the HTTP cache and the trust baseline.

The baseline is what we saw last time, per project: owners and maintainers with the role each
holds, the organisation, and the publisher identity of each release, each with first-seen and
last-seen times. PyPI only ever shows the current ownership, so a change can only be noticed by
comparing with this record.

It also keeps the facts gathered per release (:mod:`sbom_enrich.adapters.facts_codec`), which
offline runs
reuse instead of decoding megabytes of cached JSON again.

The file is opened in WAL mode with a busy timeout, so two CI jobs can share it: readers never
block, and writers wait for each other instead of failing. Every update is one transaction, so
a run killed half way leaves the store as it was after the last finished project. The schema
version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` brings older files forward.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbom_enrich.adapters.advisory_db import DatabaseSummary
from sbom_enrich.adapters.facts_codec import FactsDecodeError, decode_facts, encode_facts
from sbom_enrich.adapters.pypi_facts import PackageFacts

__all__ = [
    "MIGRATIONS",
    "STORE_FAILURES",
    "CachedResponse",
    "OwnershipBaseline",
    "StateStore",
    "StoreError",
]

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


class StoreError(Exception):
    """The state file cannot be opened or is newer than this version of sbom-enrich."""


@dataclass(frozen=True)
class CachedResponse:
    """One stored HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    stored_at: float


@dataclass(frozen=True)
class RoleRecord:
    """One (user, role) pair of a project, with when we first and last saw it."""

    user: str
    role: str
    first_seen: float
    last_seen: float


@dataclass(frozen=True)
class OwnershipBaseline:
    """What the store remembers about a project's ownership."""

    organization: str | None
    roles: tuple[RoleRecord, ...]
    first_seen: float
    last_seen: float


class StateStore:
    """A handle on the state file, safe to use from many threads.

    Each thread gets its own connection, so reads never wait for each other. Cache entries
    (HTTP responses, gathered facts) are written by one background thread, so lookups never
    wait for a large body to reach the disk; :meth:`close` waits for those writes. A cache
    entry that could not be written only costs a request next time: the first such error is
    kept in :attr:`write_error`. Baseline updates are written at once, one transaction each.
    Use as a context manager or call :meth:`close`.
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

    def __enter__(self) -> StateStore:
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

    # HTTP cache

    def cached_response(self, method: str, url: str) -> CachedResponse | None:
        """The stored response for ``method`` ``url``, if any."""
        pending = self._pending_value(("http", f"{method} {url}"))
        if isinstance(pending, CachedResponse):
            return pending
        row = (
            self._connection()
            .execute(
                "SELECT status, headers, body, stored_at FROM http_cache "
                "WHERE method = ? AND url = ?",
                (method, url),
            )
            .fetchone()
        )
        if row is None:
            return None
        status, headers, body, stored_at = row
        return CachedResponse(int(status), json.loads(headers), bytes(body), float(stored_at))

    def store_response(self, method: str, url: str, response: CachedResponse) -> None:
        """Store (or replace) the response for ``method`` ``url``, in the background."""
        self._write_later(
            ("http", f"{method} {url}"),
            response,
            "INSERT OR REPLACE INTO http_cache VALUES (?, ?, ?, ?, ?, ?)",
            (
                method,
                url,
                response.status,
                json.dumps(dict(response.headers), sort_keys=True),
                response.body,
                response.stored_at,
            ),
        )

    # Gathered facts (see sbom_enrich.adapters.pypi_facts)

    def cached_facts(self, key: str) -> PackageFacts | None:
        """The facts stored under ``key``; None when absent, of an old format, or unreadable."""
        pending = self._pending_value(("facts", key))
        if isinstance(pending, PackageFacts):
            return pending
        row = (
            self._connection()
            .execute("SELECT body FROM facts_cache WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        try:
            return decode_facts(row[0])
        except FactsDecodeError:
            return None

    def cached_release_diff(self, key: str) -> str | None:
        """The JSON stored under ``key`` by :meth:`store_release_diff`, if any."""
        row = (
            self._connection()
            .execute("SELECT body FROM release_diff_cache WHERE key = ?", (key,))
            .fetchone()
        )
        return str(row[0]) if row is not None else None

    def store_release_diff(self, key: str, body: str) -> None:
        """Keep what two releases' sources differ in (``sbom_enrich.reach.symbols``), as JSON."""
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO release_diff_cache VALUES (?, ?, ?)",
                (key, body, time.time()),
            )

    def store_facts(self, key: str, facts: PackageFacts) -> None:
        """Keep ``facts`` under ``key``."""
        self._write_later(
            ("facts", key),
            facts,
            "INSERT OR REPLACE INTO facts_cache VALUES (?, ?, ?)",
            (key, encode_facts(facts), time.time()),
        )

    # Offline advisory database indexes (see sbom_enrich.adapters.advisory_db)

    def advisory_index_summary(self, fingerprint: str) -> DatabaseSummary | None:
        """The summary of the index built for ``fingerprint``, if there is one."""
        row = (
            self._connection()
            .execute(
                "SELECT records, skipped, first_skip FROM advisory_db WHERE fingerprint = ?",
                (fingerprint,),
            )
            .fetchone()
        )
        return DatabaseSummary(*row) if row else None

    def advisory_records(self, fingerprint: str, project: str) -> list[dict[str, Any]]:
        """The OSV records indexed under ``project``."""
        row = (
            self._connection()
            .execute(
                "SELECT records FROM advisory_index WHERE fingerprint = ? AND project = ?",
                (fingerprint, project),
            )
            .fetchone()
        )
        return list(json.loads(row[0])) if row else []

    def save_advisory_index(
        self, fingerprint: str, index: Mapping[str, list[dict[str, Any]]], summary: DatabaseSummary
    ) -> None:
        """Keep a built index (one transaction: a half-built index is never seen)."""
        with self._transaction() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO advisory_index VALUES (?, ?, ?)",
                ((fingerprint, project, json.dumps(records)) for project, records in index.items()),
            )
            connection.execute(
                "INSERT OR REPLACE INTO advisory_db VALUES (?, ?, ?, ?, ?)",
                (fingerprint, summary.records, summary.skipped, summary.first_skip, time.time()),
            )

    # Ownership and publisher baseline

    def ownership(self, project: str) -> OwnershipBaseline | None:
        """The recorded ownership of ``project``, or None before the first observation."""
        connection = self._connection()
        row = connection.execute(
            "SELECT organization, first_seen, last_seen FROM project_baseline WHERE project = ?",
            (project,),
        ).fetchone()
        roles = connection.execute(
            "SELECT user, role, first_seen, last_seen FROM project_role "
            "WHERE project = ? ORDER BY user, role",
            (project,),
        ).fetchall()
        if row is None:
            return None
        return OwnershipBaseline(
            organization=row[0],
            roles=tuple(RoleRecord(*role) for role in roles),
            first_seen=row[1],
            last_seen=row[2],
        )

    def record_ownership(
        self,
        project: str,
        organization: str | None,
        roles: frozenset[tuple[str, str]],
        now: float,
    ) -> None:
        """Make (``organization``, ``roles``) the baseline of ``project``, as seen at ``now``.

        Pairs seen before keep their first-seen time; pairs no longer present are removed.
        """
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO project_baseline VALUES (?, ?, ?, ?) ON CONFLICT(project) DO UPDATE "
                "SET organization = excluded.organization, last_seen = excluded.last_seen",
                (project, organization, now, now),
            )
            known = {
                (user, role)
                for user, role in connection.execute(
                    "SELECT user, role FROM project_role WHERE project = ?", (project,)
                )
            }
            for user, role in known - roles:
                connection.execute(
                    "DELETE FROM project_role WHERE project = ? AND user = ? AND role = ?",
                    (project, user, role),
                )
            for user, role in roles:
                connection.execute(
                    "INSERT INTO project_role VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(project, user, role) DO UPDATE SET last_seen = excluded.last_seen",
                    (project, user, role, now, now),
                )

    def publishers(self, project: str) -> dict[str, frozenset[str]]:
        """Publisher identities recorded per version of ``project``."""
        rows = (
            self._connection()
            .execute(
                "SELECT version, identity FROM release_publisher WHERE project = ?", (project,)
            )
            .fetchall()
        )
        result: dict[str, set[str]] = {}
        for version, identity in rows:
            result.setdefault(version, set()).add(identity)
        return {version: frozenset(ids) for version, ids in result.items()}

    def record_publishers(
        self, project: str, version: str, identities: frozenset[str], now: float
    ) -> None:
        """Record the verified publisher identities of one release."""
        with self._transaction() as connection:
            for identity in identities:
                connection.execute(
                    "INSERT INTO release_publisher VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(project, version, identity) "
                    "DO UPDATE SET last_seen = excluded.last_seen",
                    (project, version, identity, now, now),
                )


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
