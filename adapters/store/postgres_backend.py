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

from sbom_enrich.adapters.store.backend import Connection, StoreError

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


class _PooledConnection:
    """A pooled psycopg connection with the ``sqlite3``-like surface the tables use."""

    def __init__(self, pool: ConnectionPool[psycopg.Connection[Any]]) -> None:
        self._pool = pool
        self._connection = pool.getconn()
        self._connection.autocommit = True

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self._connection.execute(sql.replace("?", "%s"), parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        with self._connection.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), parameters)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._connection.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._pool.putconn(self._connection)


class PostgresBackend:
    """A PostgreSQL database, named by a ``postgresql://`` URL."""

    def __init__(self, url: str) -> None:
        self.column_types = {"blob": "BYTEA", "real": "DOUBLE PRECISION"}
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.location = without_password(url)
        self.failures: tuple[type[Exception], ...] = (psycopg.Error,)
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
            raise StoreError(
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
