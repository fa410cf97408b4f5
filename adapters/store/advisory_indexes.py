"""The ``advisory_db`` and ``advisory_index`` tables: offline advisory databases, indexed once."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from sbom_enrich.adapters.advisories.database import DatabaseSummary
from sbom_enrich.adapters.store.connection import StateFile

__all__ = ["AdvisoryIndexTable"]


class AdvisoryIndexTable(StateFile):
    """Per-project OSV records of each database, by the database's fingerprint."""

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
                "INSERT INTO advisory_index VALUES (?, ?, ?) ON CONFLICT (fingerprint, project) "
                "DO UPDATE SET records = excluded.records",
                ((fingerprint, project, json.dumps(records)) for project, records in index.items()),
            )
            connection.execute(
                "INSERT INTO advisory_db VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) "
                "DO UPDATE SET records = excluded.records, skipped = excluded.skipped, "
                "first_skip = excluded.first_skip, built_at = excluded.built_at",
                (fingerprint, summary.records, summary.skipped, summary.first_skip, time.time()),
            )
