"""The ownership and publisher baseline: what was seen of each project before.

Tables ``project_baseline``, ``project_role`` and ``release_publisher``, and ``trust_change``:
every change of them the store has seen, once each, with when and by which SBOM's run it was
first seen (the feed ``sbom-enrich state changes`` prints). Updates of one project are
serialized (PostgreSQL: an advisory lock per project), so runners committing at once each
record what they saw, and a change is recorded once however many of them see it.
The baseline is what we saw last time, per project: owners and maintainers with the role each
holds, the organisation, and the publisher identity of each release, each with first-seen and
last-seen times. PyPI only ever shows the current ownership, so a change can only be noticed by
comparing with this record.
"""

from __future__ import annotations

from sbom_enrich.adapters.store.backend import Connection
from sbom_enrich.adapters.store.connection import StateFile
from sbom_enrich.model.baseline import OwnershipBaseline, RoleRecord, TrustChange

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
            self._open_backend().lock(connection, f"baseline:{project}")
            before = connection.execute(
                "SELECT organization FROM project_baseline WHERE project = ?", (project,)
            ).fetchone()
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
            if before is not None:  # a first observation is no change
                changes = [("owner-added", f"{u} ({r})") for u, r in sorted(roles - known)]
                changes += [("owner-removed", f"{u} ({r})") for u, r in sorted(known - roles)]
                if before[0] != organization:
                    changes.append(
                        (
                            "organization-changed",
                            f"{before[0] or 'none'} -> {organization or 'none'}",
                        )
                    )
                self._record_changes(connection, project, changes, now)
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
            self._open_backend().lock(connection, f"baseline:{project}")
            earlier = {
                identity
                for (identity,) in connection.execute(
                    "SELECT identity FROM release_publisher WHERE project = ?", (project,)
                )
            }
            if earlier:
                new = sorted(identities - earlier)
                changes = [("publisher-added", f"{version}: {identity}") for identity in new]
                self._record_changes(connection, project, changes, now)
            for identity in identities:
                connection.execute(
                    "INSERT INTO release_publisher VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(project, version, identity) "
                    "DO UPDATE SET last_seen = excluded.last_seen",
                    (project, version, identity, now, now),
                )

    def _record_changes(
        self, connection: Connection, project: str, changes: list[tuple[str, str]], now: float
    ) -> None:
        """Add each change once; one seen again only moves its last-seen time."""
        for kind, detail in changes:
            connection.execute(
                "INSERT INTO trust_change VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(project, kind, detail) DO UPDATE SET last_seen = excluded.last_seen",
                (project, kind, detail, now, now, self.observer),
            )

    def changes(self, since: float) -> list[TrustChange]:
        """Every change last seen at ``since`` or later, across all projects, newest first."""
        rows = (
            self._connection()
            .execute(
                "SELECT project, kind, detail, first_seen, last_seen, seen_by FROM trust_change "
                "WHERE last_seen >= ? ORDER BY last_seen DESC, first_seen DESC, project, kind, "
                "detail",
                (since,),
            )
            .fetchall()
        )
        return [TrustChange(*row) for row in rows]
