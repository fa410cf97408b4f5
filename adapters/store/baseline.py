"""The ownership and publisher baseline: what was seen of each project before.

Tables ``project_baseline``, ``project_role`` and ``release_publisher``.
The baseline is what we saw last time, per project: owners and maintainers with the role each
holds, the organisation, and the publisher identity of each release, each with first-seen and
last-seen times. PyPI only ever shows the current ownership, so a change can only be noticed by
comparing with this record.
"""

from __future__ import annotations

from sbom_enrich.adapters.store.connection import StateFile
from sbom_enrich.model.baseline import OwnershipBaseline, RoleRecord

__all__ = ["BaselineTables"]


class BaselineTables(StateFile):
    """What was seen of each project's ownership and of each release's publishers."""

    def ownership(self, project: str) -> OwnershipBaseline | None:
        """The recorded ownership of ``project``, or None before the first observation."""
        connection = self._connection()
        row = connection.execute(
            "SELECT organization, first_seen, last_seen FROM project_baseline WHERE project = ?",
            (project,),
        ).fetchone()
        roles = connection.execute(
            'SELECT "user", role, first_seen, last_seen FROM project_role '
            'WHERE project = ? ORDER BY "user", role',
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
                    'SELECT "user", role FROM project_role WHERE project = ?', (project,)
                )
            }
            for user, role in known - roles:
                connection.execute(
                    'DELETE FROM project_role WHERE project = ? AND "user" = ? AND role = ?',
                    (project, user, role),
                )
            for user, role in roles:
                connection.execute(
                    'INSERT INTO project_role VALUES (?, ?, ?, ?, ?) ON CONFLICT(project, "user", '
                    "role) DO UPDATE SET last_seen = excluded.last_seen",
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
