"""What was seen of a project's ownership before: what ownership drift is measured against."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OwnershipBaseline", "RoleRecord", "TrustChange"]


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


@dataclass(frozen=True)
class TrustChange:
    """One change of a project's ownership or publishers, as the state store first saw it.

    ``kind`` is ``owner-added``, ``owner-removed``, ``organization-changed`` or
    ``publisher-added``; ``seen_by`` names the SBOM whose run first recorded it, and
    ``last_seen`` the latest run that saw the same change again.
    """

    project: str
    kind: str
    detail: str
    first_seen: float
    last_seen: float
    seen_by: str
