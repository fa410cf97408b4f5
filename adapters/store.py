"""The state store: one SQLite file holding the HTTP cache and the trust baseline.

The baseline is what we saw last time, per project: owners and maintainers with the role each
holds, the organisation, and the publisher identity of each release, each with first-seen and
last-seen times. PyPI only ever shows the current ownership, so a change can only be noticed by
comparing with this record.

The file is opened in WAL mode with a busy timeout, so two CI jobs can share it: readers never
block, and writers wait for each other instead of failing. Every update is one transaction, so
a run killed half way leaves the store as it was after the last finished project. The schema
version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` brings older files forward.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MIGRATIONS",
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
)
"""Schema migrations, in order; migration ``n`` brings ``user_version`` from ``n`` to ``n + 1``."""


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
    """A thread-safe handle on the state file; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                self.path, timeout=30.0, check_same_thread=False, isolation_level=None
            )
            self._connection.execute("PRAGMA busy_timeout = 30000")
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{self.path}: cannot open the state store: {err}") from err
        self._lock = threading.Lock()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._connection.close()

    def _migrate(self) -> None:
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: state store schema {version} is newer than this sbom-enrich "
                f"understands ({len(MIGRATIONS)}); upgrade sbom-enrich or use another --state"
            )
        for number in range(version, len(MIGRATIONS)):
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                (current,) = self._connection.execute("PRAGMA user_version").fetchone()
                if current == number:
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            self._connection.execute(statement)
                    self._connection.execute(f"PRAGMA user_version = {number + 1}")
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def schema_version(self) -> int:
        """The schema version of the open file."""
        with self._lock:
            (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        return int(version)

    # HTTP cache

    def cached_response(self, method: str, url: str) -> CachedResponse | None:
        """The stored response for ``method`` ``url``, if any."""
        with self._lock:
            row = self._connection.execute(
                "SELECT status, headers, body, stored_at FROM http_cache "
                "WHERE method = ? AND url = ?",
                (method, url),
            ).fetchone()
        if row is None:
            return None
        status, headers, body, stored_at = row
        return CachedResponse(int(status), json.loads(headers), bytes(body), float(stored_at))

    def store_response(self, method: str, url: str, response: CachedResponse) -> None:
        """Store (or replace) the response for ``method`` ``url``."""
        with self._transaction() as connection:
            connection.execute(
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

    # Ownership and publisher baseline

    def ownership(self, project: str) -> OwnershipBaseline | None:
        """The recorded ownership of ``project``, or None before the first observation."""
        with self._lock:
            row = self._connection.execute(
                "SELECT organization, first_seen, last_seen FROM project_baseline "
                "WHERE project = ?",
                (project,),
            ).fetchone()
            roles = self._connection.execute(
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
        with self._lock:
            rows = self._connection.execute(
                "SELECT version, identity FROM release_publisher WHERE project = ?", (project,)
            ).fetchall()
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
