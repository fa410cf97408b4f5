"""Trust assessment of every PyPI component: facts in, levels, signals and gaps out.

Components are grouped by project and looked up concurrently through a :class:`FactSource`.
The ownership/publisher baseline is read before the run and only written by
:meth:`TrustRun.commit`, which callers invoke after the output is safely written: a run that is
interrupted leaves the baseline as it was, so the next run reports the same changes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from sbom_enrich.inputs.locked import PINNED_IDENTITY
from sbom_enrich.model.baseline import OwnershipBaseline
from sbom_enrich.model.bom import Component
from sbom_enrich.model.facts import PackageFacts, PublisherIdentity
from sbom_enrich.model.index import ProjectMetadata, ReleaseInfo, Unavailable
from sbom_enrich.ports import Baseline, FactSource
from sbom_enrich.trust.levels import TrustLevel, TrustView, place
from sbom_enrich.trust.signals import Signal, SignalContext, attestation_status, detect_signals

__all__ = [
    "DEFAULT_COOLDOWN",
    "BaselineUpdate",
    "ComponentTrust",
    "SourceGap",
    "TrustRun",
    "assess_components",
    "project_name",
]

DEFAULT_COOLDOWN = timedelta(days=3)


@dataclass(frozen=True)
class SourceGap:
    """A source that did not answer for a component.

    ``failure`` is True for network or HTTP failures, False for known limits of the index (for
    example, an index that does not serve provenance).
    """

    source: str
    reason: str
    failure: bool


@dataclass(frozen=True)
class ComponentTrust:
    """The trust assessment of one component."""

    component: Component
    project: str
    facts: PackageFacts
    attestation_status: str
    attestation_reason: str | None
    publisher: PublisherIdentity | None
    level: TrustLevel
    level_reasons: tuple[str, ...]
    signals: tuple[Signal, ...]
    gaps: tuple[SourceGap, ...]

    @property
    def unavailable(self) -> bool:
        """True when a source failed (network, HTTP), as opposed to answering "none"."""
        return any(gap.failure for gap in self.gaps)


@dataclass(frozen=True)
class BaselineUpdate:
    """What to remember about one project once the run's output is written."""

    project: str
    organization: str | None
    roles: frozenset[tuple[str, str]] | None
    publishers: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class TrustRun:
    """The result of :func:`assess_components`."""

    results: tuple[ComponentTrust, ...]
    updates: tuple[BaselineUpdate, ...]
    now: datetime

    def commit(self, baseline: Baseline | None) -> None:
        """Write the observed ownership and publishers to ``baseline``, all as one unit.

        Called once the outputs are written: a run killed before or during the commit leaves
        the earlier baseline as it was, so the next run reports the same changes again.
        None (no store, as when recording) writes nothing.
        """
        if baseline is None:
            return
        timestamp = self.now.timestamp()
        with baseline.atomically():
            # one order for every runner: concurrent commits to a shared store then lock
            # projects in the same order and cannot deadlock
            for update in sorted(self.updates, key=lambda update: update.project):
                if update.roles is not None:
                    baseline.record_ownership(
                        update.project, update.organization, update.roles, timestamp
                    )
                for version, identities in update.publishers.items():
                    baseline.record_publishers(update.project, version, identities, timestamp)


def pinned_identities(component: Component) -> tuple[Mapping[str, str], ...]:
    """The attestation identities a lockfile pinned for ``component`` (its properties)."""
    found = []
    for name, value in component.properties:
        if name == PINNED_IDENTITY:
            try:
                identity = json.loads(value)
            except ValueError:
                continue
            if isinstance(identity, dict):
                found.append({str(k): str(v) for k, v in identity.items()})
    return tuple(found)


def project_name(component: Component) -> str:
    """The PEP 503 normalized project name of a pkg:pypi component."""
    assert component.purl is not None
    return canonicalize_name(PackageURL.from_string(component.purl).name)


def _release_key(component: Component) -> tuple[str, str, str | None]:
    """(normalized project name, version, the SBOM's SHA-256 or None) of a pkg:pypi component.

    Its purl is parsed once: parsing took a tenth of an offline run's assessment.
    """
    assert component.purl is not None
    purl = PackageURL.from_string(component.purl)
    assert purl.version is not None
    sha256 = (component.hash_value("SHA-256") or "").lower() or None
    return canonicalize_name(purl.name), purl.version, sha256


def assess_components(
    components: Iterable[Component],
    source: FactSource,
    baseline: Baseline | None,
    *,
    now: datetime | None = None,
    cooldown: timedelta = DEFAULT_COOLDOWN,
    concurrency: int = 16,
    on_component: Callable[[Component], None] | None = None,
    baseline_unavailable: str | None = None,
) -> TrustRun:
    """Assess ``components`` (all pkg:pypi with a version), ``concurrency`` lookups at a time.

    ``baseline_unavailable``: why there is no baseline (its store did not answer); each
    component then carries it as a failed source, so nothing reads as "no change".
    """
    moment = now or datetime.now(timezone.utc)
    components = tuple(components)
    keys = [_release_key(component) for component in components]
    projects = {key[0] for key in keys}
    ownership = {p: baseline.ownership(p) if baseline else None for p in sorted(projects)}
    publishers = {p: baseline.publishers(p) if baseline else {} for p in sorted(projects)}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {key: pool.submit(source.facts, *key) for key in sorted(set(keys), key=str)}
        results = []
        for component, key in zip(components, keys, strict=True):
            facts = futures[key].result()
            results.append(
                _assess(
                    component,
                    facts,
                    ownership[key[0]],
                    publishers[key[0]],
                    key[2],
                    moment,
                    cooldown,
                    baseline_unavailable,
                )
            )
            if on_component is not None:
                on_component(component)
    return TrustRun(tuple(results), _updates(results), moment)


def _assess(
    component: Component,
    facts: PackageFacts,
    ownership: OwnershipBaseline | None,
    recorded_publishers: Mapping[str, frozenset[str]],
    sbom_sha256: str | None,
    now: datetime,
    cooldown: timedelta,
    baseline_unavailable: str | None = None,
) -> ComponentTrust:
    status, reason = attestation_status(facts.attestations, facts.attestation_unavailable)
    verified = {r.publisher.key: r.publisher for r in facts.attestations if r.publisher}
    publisher = next(iter(verified.values())) if len(verified) == 1 else None
    context = SignalContext(
        facts=facts,
        attestation_status=status,
        publisher=publisher,
        ownership_baseline=ownership,
        recorded_publishers=recorded_publishers,
        sbom_sha256=sbom_sha256,
        now=now,
        cooldown=cooldown,
        pinned_identities=pinned_identities(component),
    )
    signals = detect_signals(context)
    level, reasons = place(TrustView(status, reason, publisher, signals))
    return ComponentTrust(
        component=component,
        project=facts.project,
        facts=facts,
        attestation_status=status,
        attestation_reason=reason,
        publisher=publisher,
        level=level,
        level_reasons=reasons,
        signals=signals,
        gaps=_gaps(facts)
        + ((SourceGap("baseline", baseline_unavailable, True),) if baseline_unavailable else ()),
    )


def _gaps(facts: PackageFacts) -> tuple[SourceGap, ...]:
    gaps = []
    for source, value in (
        ("pypi-json", facts.metadata),
        ("pypi-release", facts.release),
        ("pypi-simple", facts.index),
    ):
        if isinstance(value, Unavailable):
            gaps.append(SourceGap(source, value.reason, True))
    if isinstance(facts.metadata, ProjectMetadata) and facts.metadata.ownership is None:
        gaps.append(SourceGap("ownership", "the JSON API response has no ownership", False))
    if facts.attestation_unavailable is not None:
        failure = isinstance(facts.index, Unavailable)
        gaps.append(SourceGap("provenance", facts.attestation_unavailable, failure))
    for result in facts.attestations:
        if result.status == "unavailable":
            gaps.append(SourceGap("provenance", f"{result.filename}: {result.reason}", True))
    return tuple(gaps)


def _updates(results: Iterable[ComponentTrust]) -> tuple[BaselineUpdate, ...]:
    by_project: dict[str, tuple[ProjectMetadata | None, dict[str, frozenset[str]]]] = {}
    for result in results:
        metadata = result.facts.metadata
        current, seen = by_project.get(result.project, (None, {}))
        if isinstance(metadata, ProjectMetadata) and metadata.ownership is not None:
            current = metadata
        if result.publisher is not None:
            seen[result.facts.version] = frozenset({result.publisher.key})
        earlier = result.facts.earlier_attested
        if earlier is not None and earlier.publisher is not None:
            seen[earlier.version] = frozenset({earlier.publisher.key})
        by_project[result.project] = (current, seen)
    updates = []
    for project, (latest, seen) in sorted(by_project.items()):
        ownership = latest.ownership if latest else None
        updates.append(
            BaselineUpdate(
                project,
                ownership.organization if ownership else None,
                ownership.roles if ownership else None,
                seen,
            )
        )
    return tuple(updates)


def describes_latest(facts: PackageFacts) -> str | None:
    """The latest version when the core metadata describes it instead of the pinned one."""
    release = facts.release
    if (
        isinstance(release, ReleaseInfo)
        and release.from_project_route
        and release.metadata_version != facts.version
    ):
        return release.metadata_version
    return None
