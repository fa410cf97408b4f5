"""The state store in one SQLite file: the default, for one machine or jobs sharing a disk.

The file is opened in WAL mode with a busy timeout, so two CI jobs can share it: readers never
block, and writers wait for each other instead of failing. The schema version lives in
``PRAGMA user_version``; ``BEGIN IMMEDIATE`` takes the write lock, so a migration needs no
other lock.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import cast

from sbom_enrich.adapters.store.backend import Connection

__all__ = ["SQLiteBackend"]


class SQLiteBackend:
    """A state file on disk."""

    failures: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.column_types = {"blob": "BLOB", "real": "REAL"}
        self.path = path
        self.location = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)

    def connect(self) -> Connection:
        """A connection with WAL, a 30 s busy timeout and autocommit."""
        connection = sqlite3.connect(
            self.path, timeout=30.0, check_same_thread=False, isolation_level=None
        )
        connection.execute("PRAGMA busy_timeout = 30000")
        _enable_wal(connection)
        connection.execute("PRAGMA synchronous = NORMAL")
        return cast(Connection, connection)

    def begin(self, connection: Connection) -> None:
        """``BEGIN IMMEDIATE``: the write lock now, not at the first write."""
        connection.execute("BEGIN IMMEDIATE")

    def lock(self, connection: Connection, key: str) -> None:
        """Nothing more: a writing transaction holds the whole file's write lock."""

    def migration_lock(self, connection: Connection) -> AbstractContextManager[None]:
        """Nothing more: the migrating transaction holds the file's write lock."""
        return nullcontext()

    def schema_version(self, connection: Connection) -> int:
        """``PRAGMA user_version``."""
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        return int(version)

    def set_schema_version(self, connection: Connection, version: int) -> None:
        """Set ``PRAGMA user_version``."""
        connection.execute(f"PRAGMA user_version = {int(version)}")

    def close(self) -> None:
        """Nothing is held beyond the connections."""


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
