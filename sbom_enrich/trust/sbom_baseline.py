"""An SBOM enriched by an earlier run, used as the baseline of "what changed since".

CI runners are usually ephemeral, so the state store's baseline is often empty there. The
enriched SBOM a pipeline kept from its last run (``enrich --baseline PREVIOUS``) carries what
that run saw: the ``sbom-enrich:maintainers`` and ``sbom-enrich:organization`` properties
(ownership) and the ``sbom-enrich:publisher:*`` properties (the verified Trusted Publisher of
that release). This module reads them back as a read-only
:class:`~sbom_enrich.ports.Baseline`.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path

from sbom_enrich.cyclonedx.additions import PROPERTY_NAMESPACE
from sbom_enrich.errors import BaselineError
from sbom_enrich.model.baseline import OwnershipBaseline, RoleRecord
from sbom_enrich.model.bom import BomDocument, Component
from sbom_enrich.model.facts import PublisherIdentity
from sbom_enrich.trust.assess import project_name

__all__ = ["SbomBaseline", "baseline_from_sbom"]

_HOLDER = re.compile(r"(?P<user>[^\s,()]+) \((?P<role>[^()]+)\)")


class SbomBaseline:
    """Ownership and publishers as an earlier enriched SBOM recorded them; never written."""

    def __init__(
        self,
        ownership: dict[str, OwnershipBaseline],
        publishers: dict[str, dict[str, frozenset[str]]],
    ) -> None:
        self._ownership = ownership
        self._publishers = publishers

    def ownership(self, project: str) -> OwnershipBaseline | None:
        """The ownership the earlier SBOM recorded for ``project``."""
        return self._ownership.get(project)

    def publishers(self, project: str) -> dict[str, frozenset[str]]:
        """The verified publisher identity per version the earlier SBOM recorded."""
        return self._publishers.get(project, {})

    def record_ownership(
        self, project: str, organization: str | None, roles: frozenset[tuple[str, str]], now: float
    ) -> None:
        """Nothing: the earlier SBOM is read, never changed."""

    def record_publishers(
        self, project: str, version: str, identities: frozenset[str], now: float
    ) -> None:
        """Nothing: the earlier SBOM is read, never changed."""

    def atomically(self) -> AbstractContextManager[None]:
        """Nothing to group: nothing is written."""
        return nullcontext()


def baseline_from_sbom(document: BomDocument) -> SbomBaseline:
    """Read the baseline from ``document``, an SBOM that ``sbom-enrich enrich`` wrote.

    Its time is the document's ``metadata.timestamp`` (else the file's modification time).
    Raises :class:`BaselineError` when no component has our ownership properties.
    """
    seen = _seen_at(document)
    ownership: dict[str, OwnershipBaseline] = {}
    publishers: dict[str, dict[str, frozenset[str]]] = {}
    for component in document.components:
        if not (component.purl or "").startswith("pkg:pypi/"):
            continue
        project = project_name(component)
        recorded = _ownership(component, seen)
        if recorded is not None:
            ownership[project] = recorded
        identity = _publisher_key(component)
        if identity is not None and component.version:
            publishers.setdefault(project, {})[component.version] = frozenset({identity})
    if not ownership:
        raise BaselineError(
            f"{document.source}: not an SBOM enriched by sbom-enrich: no component has a "
            f"'{PROPERTY_NAMESPACE}maintainers' property to compare with"
        )
    return SbomBaseline(ownership, publishers)


def _value(component: Component, name: str) -> str | None:
    values = component.property_values(PROPERTY_NAMESPACE + name)
    return values[0] if values else None


def _ownership(component: Component, seen: float) -> OwnershipBaseline | None:
    holders = _value(component, "maintainers")
    organization = _value(component, "organization")
    if holders in (None, "unavailable") or organization in (None, "unavailable"):
        return None
    roles = tuple(
        RoleRecord(match["user"], match["role"], seen, seen)
        for match in _HOLDER.finditer(holders or "")
    )
    return OwnershipBaseline(None if organization == "none" else organization, roles, seen, seen)


def _publisher_key(component: Component) -> str | None:
    kind = _value(component, "publisher:kind")
    if kind is None:
        return None
    return PublisherIdentity(
        kind,
        repository=_value(component, "publisher:repository"),
        workflow=_value(component, "publisher:workflow"),
        email=_value(component, "publisher:email"),
    ).key


def _seen_at(document: BomDocument) -> float:
    stamp = document.tree.get("metadata", {}).get("timestamp")
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    path = Path(document.source)
    return path.stat().st_mtime if path.is_file() else 0.0
