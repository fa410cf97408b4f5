"""What the state store needs of a database, whichever one it is: SQLite or PostgreSQL.

The table modules write portable SQL (``?`` placeholders, ``INSERT ... ON CONFLICT ... DO
UPDATE``, quoted identifiers that are keywords elsewhere) against :class:`Connection`; a
:class:`Backend` opens connections, keeps the schema version, serializes migrations and names
the column types that differ.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from sbom_enrich.adapters.errors import AdapterError

__all__ = ["Backend", "Connection", "StoreError", "StoreUnreachableError"]


class StoreError(AdapterError):
    """The state store cannot be opened or reached, or is newer than this sbom-enrich."""


class StoreUnreachableError(StoreError):
    """A database server that did not answer: a run may go on without its baseline."""


class Connection(Protocol):
    """The part of a DB-API connection the tables use (``sqlite3.Connection`` has it)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        """Run one statement; the result iterates over rows and has ``fetchone``/``fetchall``."""

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        """Run one statement for each parameter tuple."""

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection."""

    def close(self) -> None:
        """Give the connection back."""


class Backend(Protocol):
    """One kind of database behind the state store."""

    location: str
    """Where the store is, for messages: a file path, or a URL without its password."""

    failures: tuple[type[Exception], ...]
    """What its driver raises for a failed statement or a lost connection."""

    column_types: dict[str, str]
    """The names of the column types that differ: ``blob`` and ``real`` (a float64)."""

    def connect(self) -> Connection:
        """A new connection, in autocommit mode: transactions are begun explicitly."""

    def begin(self, connection: Connection) -> None:
        """Begin a transaction that writes (taking the write lock where there is one)."""

    def lock(self, connection: Connection, key: str) -> None:
        """Inside a writing transaction: wait for other writers of ``key`` to commit."""

    def migration_lock(self, connection: Connection) -> AbstractContextManager[None]:
        """Held around the migrating transaction: no other process migrates meanwhile."""

    def schema_version(self, connection: Connection) -> int:
        """The number of migrations applied to the store."""

    def set_schema_version(self, connection: Connection, version: int) -> None:
        """Record that ``version`` migrations are applied (inside the migrating transaction)."""

    def close(self) -> None:
        """Release what the backend holds (a pool of connections)."""
