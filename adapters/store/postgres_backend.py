"""The state store in PostgreSQL: one memory for a fleet of CI runners.

Connections come from a psycopg pool. The schema version is the one row of
``sbom_enrich_schema``; migrations run under a transaction-scoped advisory lock, so runners
that start together migrate once. The driver is an optional dependency
(``pip install 'sbom-enrich[postgresql]'``), imported only when such a store is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from sbom_enrich.adapters.store.backend import Connection, StoreUnreachableError

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

__all__ = ["POSTGRES_SCHEMES", "PostgresBackend", "without_password"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
"""How a ``--state`` value names a PostgreSQL database instead of a file."""

_MIGRATION_LOCK = 0x5B0E_E41C
"""The advisory-lock key migrations of this schema hold (any constant of our own)."""
_CONNECT_TIMEOUT = 10.0


def without_password(url: str) -> str:
    """``url`` as it may be printed: a password in it replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class _Rows:
    """A statement's rows, read before its connection went back to the pool."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)


class _PooledConnection:
    """One thread's view of the pool, with the ``sqlite3``-like surface the tables use.

    A statement outside a transaction borrows a connection for itself and gives it back with
    its rows read; ``BEGIN`` keeps one until ``COMMIT`` or ``ROLLBACK``. So threads that
    come and go (each lookup pool's workers) never keep connections the pool cannot give out.
    """

    def __init__(self, pool: ConnectionPool[psycopg.Connection[Any]]) -> None:
        self._pool = pool
        self._held: psycopg.Connection[Any] | None = None
        self._pinned = False

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        sql = sql.replace("?", "%s")
        verb = sql.strip().upper()
        if self._held is None and verb == "BEGIN":
            self._held = self._pool.getconn()
        if self._held is not None:
            cursor = self._held.execute(sql, parameters)
            if verb in ("COMMIT", "ROLLBACK") and not self._pinned:
                self._release()
            return cursor
        with self._pool.connection() as connection:
            cursor = connection.execute(sql, parameters)
            rows = cursor.fetchall() if cursor.description else []
            return _Rows(rows, cursor.rowcount)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        if self._held is None:
            raise RuntimeError("executemany runs inside a transaction")
        with self._held.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), parameters)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        if self._held is None:
            return False
        return self._held.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Keep one connection for the block (a session-level lock lives on it)."""
        self._held = self._held or self._pool.getconn()
        self._pinned = True
        try:
            yield
        finally:
            self._pinned = False
            if not self.in_transaction:
                self._release()

    def _release(self) -> None:
        if self._held is not None:
            self._pool.putconn(self._held)
            self._held = None

    def close(self) -> None:
        self._release()


class PostgresBackend:
    """A PostgreSQL database, named by a ``postgresql://`` URL."""

    def __init__(self, url: str) -> None:
        self.column_types = {"blob": "BYTEA", "real": "DOUBLE PRECISION"}
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.location = without_password(url)
        self.failures: tuple[type[Exception], ...] = (psycopg.Error,)
        try:  # one direct attempt first: a refused connection fails now, not after retries
            psycopg.connect(url, connect_timeout=int(_CONNECT_TIMEOUT)).close()
        except psycopg.OperationalError as err:
            raise StoreUnreachableError(
                f"{self.location}: cannot reach the PostgreSQL state store: {err}"
            ) from err
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=8,
            kwargs={"autocommit": True, "connect_timeout": int(_CONNECT_TIMEOUT)},
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=_CONNECT_TIMEOUT)
        except PoolTimeout as err:
            self._pool.close()
            raise StoreUnreachableError(
                f"{self.location}: cannot reach the PostgreSQL state store in "
                f"{_CONNECT_TIMEOUT:g} s: {err}"
            ) from err

    def connect(self) -> Connection:
        """A connection from the pool; closing it gives it back."""
        return _PooledConnection(self._pool)

    def begin(self, connection: Connection) -> None:
        """``BEGIN``: rows are locked as they are written."""
        connection.execute("BEGIN")

    def lock(self, connection: Connection, key: str) -> None:
        """A transaction-scoped advisory lock on the hash of ``key``."""
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    @contextmanager
    def migration_lock(self, connection: Connection) -> Iterator[None]:
        """The migration advisory lock of this session, taken before the transaction begins.

        (Taken inside it, the transaction could still see the catalog as it was before the
        lock, and miss the tables another runner just made.)
        """
        assert isinstance(connection, _PooledConnection)
        with connection.pinned():
            connection.execute("SELECT pg_advisory_lock(?)", (_MIGRATION_LOCK,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(?)", (_MIGRATION_LOCK,))

    def schema_version(self, connection: Connection) -> int:
        """The version row, or 0 in a database we never migrated."""
        (exists,) = connection.execute(
            "SELECT to_regclass('sbom_enrich_schema') IS NOT NULL"
        ).fetchone()
        if not exists:
            return 0
        row = connection.execute("SELECT max(version) FROM sbom_enrich_schema").fetchone()
        return int(row[0] or 0)

    def set_schema_version(self, connection: Connection, version: int) -> None:
        """Write the version row (making the table in a new database)."""
        connection.execute("CREATE TABLE IF NOT EXISTS sbom_enrich_schema (version INTEGER)")
        connection.execute("DELETE FROM sbom_enrich_schema")
        connection.execute("INSERT INTO sbom_enrich_schema VALUES (?)", (version,))

    def close(self) -> None:
        """Close the pool and its connections."""
        self._pool.close()
