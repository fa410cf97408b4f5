"""Trust signals: each a small function that reads the facts and may return one finding.

A signal says what changed or what is wrong, how severe it is, and why, in one sentence. The
functions only read :class:`SignalContext`; they make no requests and keep no state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from urllib.parse import urlsplit

from sbom_enrich.model.baseline import OwnershipBaseline
from sbom_enrich.model.facts import FileAttestation, PackageFacts, PublisherIdentity
from sbom_enrich.model.index import IndexStatus, NotFound, ProjectMetadata, ReleaseInfo
from sbom_enrich.trust.lookalike import find_lookalike

__all__ = [
    "SIGNAL_KINDS",
    "SIGNAL_RULES",
    "Severity",
    "Signal",
    "SignalContext",
    "attestation_status",
    "declared_repositories",
    "detect_signals",
    "normalize_repository",
]


class Severity(str, Enum):
    """How much a signal matters, highest first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for critical up to 3 for low."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Signal:
    """One trust finding about a component: ``kind`` is a stable id (``ownership-changed``)."""

    kind: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class SignalContext:
    """What the signal rules read: the facts, the summary, the baseline and the clock."""

    facts: PackageFacts
    attestation_status: str
    publisher: PublisherIdentity | None
    ownership_baseline: OwnershipBaseline | None
    recorded_publishers: Mapping[str, frozenset[str]]
    sbom_sha256: str | None
    now: datetime
    cooldown: timedelta
    pinned_identities: tuple[Mapping[str, str], ...] = ()
    """The publishers a lockfile pins for this release (PEP 751 ``attestation-identities``)."""


SignalRule = Callable[[SignalContext], Iterable[Signal]]

SIGNAL_KINDS = (
    "project-quarantined",
    "attestation-invalid",
    "hash-mismatch",
    "ownership-changed",
    "organization-changed",
    "publisher-changed",
    "attestation-lost",
    "repository-mismatch",
    "not-on-index",
    "release-yanked",
    "project-archived",
    "project-deprecated",
    "release-too-new",
    "no-wheel",
    "no-environment",
    "name-lookalike",
    "identity-mismatch",
)
"""Every signal kind, as properties and reports name them (``sbom-enrich:signal:<kind>``)."""


def _ownership_changed(context: SignalContext) -> Iterable[Signal]:
    metadata = context.facts.metadata
    baseline = context.ownership_baseline
    if not isinstance(metadata, ProjectMetadata) or metadata.ownership is None or not baseline:
        return
    before = {(r.user, r.role): r for r in baseline.roles}
    now = metadata.ownership.roles
    added = sorted(now - before.keys())
    removed = sorted(before.keys() - now)
    if added or removed:
        parts = [f"added {user} ({role})" for user, role in added]
        parts += [
            f"removed {user} ({role}, first seen {_day(before[(user, role)].first_seen)})"
            for user, role in removed
        ]
        yield Signal(
            "ownership-changed",
            Severity.HIGH,
            f"PyPI roles changed since {_day(baseline.last_seen)}: " + "; ".join(parts),
        )
    if metadata.ownership.organization != baseline.organization:
        yield Signal(
            "organization-changed",
            Severity.HIGH,
            f"organization changed from {baseline.organization or 'none'} to "
            f"{metadata.ownership.organization or 'none'} since {_day(baseline.last_seen)}",
        )


def _publisher_changed(context: SignalContext) -> Iterable[Signal]:
    current = context.publisher
    if current is None:
        return
    earlier = context.facts.earlier_attested
    if earlier and earlier.publisher and earlier.publisher.key != current.key:
        yield Signal(
            "publisher-changed",
            Severity.HIGH,
            f"published by {current.describe()}, but {earlier.version} was published by "
            f"{earlier.publisher.describe()}",
        )
        return
    others = {
        identity
        for version, identities in context.recorded_publishers.items()
        if version != context.facts.version
        for identity in identities
    }
    if others and current.key not in others:
        yield Signal(
            "publisher-changed",
            Severity.HIGH,
            f"published by {current.describe()}; earlier runs saw only "
            + ", ".join(sorted(others)),
        )


def _attestation_lost(context: SignalContext) -> Iterable[Signal]:
    if context.attestation_status != "absent":
        return
    earlier = context.facts.earlier_attested
    if earlier is not None:
        yield Signal(
            "attestation-lost",
            Severity.HIGH,
            f"no file of {context.facts.version} has provenance, but "
            f"{context.facts.earlier_releases_with_provenance} earlier releases do "
            f"(latest {earlier.version})",
        )
    elif any(v != context.facts.version for v in context.recorded_publishers):
        yield Signal(
            "attestation-lost",
            Severity.HIGH,
            f"no file of {context.facts.version} has provenance, but earlier runs verified "
            "attestations of other releases",
        )


def _attestation_invalid(context: SignalContext) -> Iterable[Signal]:
    for result in context.facts.attestations:
        if result.status == "invalid":
            yield Signal(
                "attestation-invalid",
                Severity.CRITICAL,
                f"provenance of {result.filename} does not verify: {result.reason}",
            )


def _repository_mismatch(context: SignalContext) -> Iterable[Signal]:
    publisher = context.publisher
    metadata = context.facts.metadata
    if publisher is None or publisher.repository_url is None:
        return
    if not isinstance(metadata, ProjectMetadata):
        return
    declared = declared_repositories(metadata.project_urls)
    if declared and normalize_repository(publisher.repository_url) not in declared:
        yield Signal(
            "repository-mismatch",
            Severity.HIGH,
            f"attested repository {publisher.repository_url} is not the declared source "
            + ", ".join(sorted(declared)),
        )


def _no_environment(context: SignalContext) -> Iterable[Signal]:
    publisher = context.publisher
    if (
        publisher is not None
        and publisher.kind in {"GitHub", "GitLab"}
        and not publisher.environment_verified
    ):
        missing = (
            f"a verified deployment environment (the provenance claims "
            f"{publisher.environment!r}, the signing certificate does not carry it)"
            if publisher.environment
            else "a deployment environment"
        )
        yield Signal(
            "no-environment",
            Severity.LOW,
            f"Trusted Publishing from {publisher.repository} without {missing}: "
            "anyone who can run that workflow can publish",
        )


def _identity_mismatch(context: SignalContext) -> Iterable[Signal]:
    pinned = context.pinned_identities
    if not pinned:
        return
    expected = " or ".join(_describe_pinned(i) for i in pinned)
    publisher = context.publisher
    if context.attestation_status == "verified" and publisher is not None:
        if not any(_pinned_matches(i, publisher) for i in pinned):
            yield Signal(
                "identity-mismatch",
                Severity.HIGH,
                f"published by {publisher.describe()}, but the lockfile pins {expected}",
            )
    elif context.attestation_status in ("absent", "invalid"):
        yield Signal(
            "identity-mismatch",
            Severity.HIGH,
            f"the lockfile pins {expected}, but no attestation of this release verifies "
            f"({context.attestation_status})",
        )


def _pinned_matches(pinned: Mapping[str, str], publisher: PublisherIdentity) -> bool:
    """Whether the verified ``publisher`` is the identity a lock pinned (keys it names only)."""
    wanted = {key: value.lower() for key, value in pinned.items()}
    actual = {
        "kind": publisher.kind.lower(),
        "repository": (publisher.repository or "").lower(),
        "workflow": (publisher.workflow or "").rpartition("/")[2].lower(),
        "environment": (publisher.environment or "").lower()
        if publisher.environment_verified
        else "",
    }
    wanted["workflow"] = wanted.get("workflow", actual["workflow"]).rpartition("/")[2]
    return all(actual.get(key, value) == value for key, value in wanted.items() if key in actual)


def _describe_pinned(pinned: Mapping[str, str]) -> str:
    parts = [pinned.get(k) for k in ("kind", "repository", "workflow")]
    text = " ".join(p for p in parts if p)
    return text + (f" (environment {pinned['environment']})" if "environment" in pinned else "")


def _name_lookalike(context: SignalContext) -> Iterable[Signal]:
    found = find_lookalike(context.facts.project)
    if found is None:
        return
    own = (
        f"{found.own_downloads:,} downloads"
        if found.own_downloads is not None
        else "not among the 15,000 most downloaded projects"
    )
    yield Signal(
        "name-lookalike",
        Severity.MEDIUM,
        f"the name looks like {found.popular} ({found.popular_downloads:,} downloads in 30 days; "
        f"this project: {own}) with {found.how}: check that {found.popular} was not meant",
    )


_STATUS_SEVERITY = {
    "quarantined": Severity.CRITICAL,
    "archived": Severity.MEDIUM,
    "deprecated": Severity.MEDIUM,
}


def _project_status(context: SignalContext) -> Iterable[Signal]:
    index = context.facts.index
    if isinstance(index, IndexStatus) and index.status in _STATUS_SEVERITY:
        reason = f": {index.status_reason}" if index.status_reason else ""
        yield Signal(
            f"project-{index.status}",
            _STATUS_SEVERITY[index.status],
            f"the index marks {context.facts.project} as {index.status}{reason}",
        )


def _yanked(context: SignalContext) -> Iterable[Signal]:
    release = context.facts.release
    if isinstance(release, ReleaseInfo) and release.yanked:
        reason = f": {release.yanked_reason}" if release.yanked_reason else ""
        yield Signal("release-yanked", Severity.HIGH, f"{release.version} was yanked{reason}")


def _too_new(context: SignalContext) -> Iterable[Signal]:
    times = [f.upload_time for f in context.facts.files if f.upload_time is not None]
    if not times:
        return
    age = context.now - min(times)
    if age < context.cooldown:
        hours = max(age.total_seconds() / 3600, 0)
        yield Signal(
            "release-too-new",
            Severity.MEDIUM,
            f"{context.facts.version} was uploaded {hours:.0f} hours ago, within the "
            f"{context.cooldown.total_seconds() / 86400:g}-day cooldown",
        )


def _not_on_index(context: SignalContext) -> Iterable[Signal]:
    facts = context.facts
    if isinstance(facts.index, IndexStatus) and facts.index.status == "quarantined":
        return
    if isinstance(facts.release, NotFound):
        where = "project" if isinstance(facts.metadata, NotFound) else "version"
        yield Signal(
            "not-on-index",
            Severity.HIGH,
            f"the index has no {where} {facts.project}"
            + (f" {facts.version}" if where == "version" else ""),
        )


def _no_wheel(context: SignalContext) -> Iterable[Signal]:
    files = context.facts.files
    if files and not any(f.is_wheel for f in files):
        yield Signal(
            "no-wheel",
            Severity.LOW,
            f"{context.facts.version} has no wheel: installing it runs the package's own "
            "build code",
        )


def _hash_mismatch(context: SignalContext) -> Iterable[Signal]:
    wanted = context.sbom_sha256
    digests = {f.sha256.lower() for f in context.facts.files if f.sha256}
    if wanted and digests and wanted.lower() not in digests:
        yield Signal(
            "hash-mismatch",
            Severity.CRITICAL,
            f"the SBOM's SHA-256 {wanted[:16]}... matches none of the {len(digests)} files the "
            f"index serves for {context.facts.version}",
        )


SIGNAL_RULES: tuple[SignalRule, ...] = (
    _project_status,
    _attestation_invalid,
    _hash_mismatch,
    _ownership_changed,
    _publisher_changed,
    _attestation_lost,
    _repository_mismatch,
    _not_on_index,
    _yanked,
    _too_new,
    _no_wheel,
    _no_environment,
    _name_lookalike,
    _identity_mismatch,
)
"""Every rule, in the order their signals are listed."""


def detect_signals(context: SignalContext) -> tuple[Signal, ...]:
    """Run every rule; signals come out most severe first, then in rule order."""
    found = [signal for rule in SIGNAL_RULES for signal in rule(context)]
    return tuple(sorted(found, key=lambda s: s.severity.rank))


_REPOSITORY_HOSTS = ("github.com", "gitlab.com")


def normalize_repository(url: str) -> str | None:
    """``https://GitHub.com/Owner/Repo.git/tree/main`` → ``github.com/owner/repo``."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    if host not in _REPOSITORY_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    if host == "gitlab.com" and "-" in segments:
        segments = segments[: segments.index("-")]
    else:
        segments = segments[:2]
    return f"{host}/{'/'.join(segments).removesuffix('.git').lower()}"


_NOT_SOURCE_LABELS = ("fund", "sponsor", "donat", "tidelift", "patreon")
"""Project-URL labels that point at money, not code (``Funding``, ``Sponsor``, ``Donate``)."""
_NOT_REPOSITORY_OWNERS = frozenset({"sponsors", "orgs", "marketplace", "apps", "features"})
"""First path segments of GitHub pages that are not repositories (``github.com/sponsors/x``)."""


def declared_repositories(project_urls: Mapping[str, str]) -> frozenset[str]:
    """Repositories on GitHub/GitLab that the project's metadata URLs point at.

    Funding and sponsor links are left out: they name a person or an organisation's page, not
    the source the project declares.
    """
    found = set()
    for label, url in project_urls.items():
        if any(word in label.lower() for word in _NOT_SOURCE_LABELS):
            continue
        repository = normalize_repository(url)
        if repository is not None and repository.split("/")[1] not in _NOT_REPOSITORY_OWNERS:
            found.add(repository)
    return frozenset(found)


def _day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def attestation_status(
    results: tuple[FileAttestation, ...], unavailable: str | None
) -> tuple[str, str | None]:
    """Summarize per-file verdicts as the release's status and its reason."""
    if unavailable is not None:
        return "unavailable", unavailable
    if not results:
        return "absent", "the release has no files"
    statuses = [r.status for r in results]
    if "invalid" in statuses:
        bad = next(r for r in results if r.status == "invalid")
        return "invalid", f"{bad.filename}: {bad.reason}"
    if "unavailable" in statuses:
        missing = next(r for r in results if r.status == "unavailable")
        return "unavailable", f"{missing.filename}: {missing.reason}"
    verified = statuses.count("verified")
    if verified == len(statuses):
        return "verified", None
    if verified:
        return "partial", f"{verified} of {len(statuses)} files have verified provenance"
    return "absent", None
