"""The trust level: an ordered scale, placed by small composable policies with reasons.

Each policy looks at one thing and either says nothing or places the component at a level with
a one-sentence reason. The component's level is the lowest any policy placed it at; every reason
that held it there is reported. The scale, highest first:

============== ===========================================================================
level           meaning
============== ===========================================================================
verified-pinned every file's provenance verified, from a Trusted Publisher with an environment
                that the signing certificate carries
verified        every file's provenance verified, no deployment environment
partial         some files verified, the others without provenance
unattested      no provenance (normal before late 2024 and for ActiveState uploads)
unknown         provenance could not be checked (index does not serve it, source unavailable)
at-risk         a signal that points at tampering or takeover (see :data:`AT_RISK_SIGNALS`)
============== ===========================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from sbom_enrich.model.facts import PublisherIdentity
from sbom_enrich.trust.signals import Signal

__all__ = [
    "AT_RISK_SIGNALS",
    "DEFAULT_POLICIES",
    "AtRiskSignalPolicy",
    "AttestationPolicy",
    "Placement",
    "TrustLevel",
    "TrustPolicy",
    "TrustView",
    "place",
]


class TrustLevel(IntEnum):
    """The ordered trust scale; a higher value is more trustworthy."""

    AT_RISK = 0
    UNKNOWN = 1
    UNATTESTED = 2
    PARTIAL = 3
    VERIFIED = 4
    VERIFIED_PINNED = 5

    @property
    def label(self) -> str:
        """The name used in properties and reports (``verified-pinned``)."""
        return self.name.lower().replace("_", "-")


AT_RISK_SIGNALS = frozenset(
    {
        "attestation-invalid",
        "attestation-lost",
        "publisher-changed",
        "repository-mismatch",
        "hash-mismatch",
        "identity-mismatch",
        "project-quarantined",
    }
)
"""Signals that place a component at ``at-risk`` whatever its attestations say."""


@dataclass(frozen=True)
class TrustView:
    """What the policies read."""

    attestation_status: str
    attestation_reason: str | None
    publisher: PublisherIdentity | None
    signals: Sequence[Signal]


@dataclass(frozen=True)
class Placement:
    """A policy's verdict: the level it allows at most, and why."""

    level: TrustLevel
    reason: str


class TrustPolicy(Protocol):
    """One rule of the scale."""

    def evaluate(self, view: TrustView) -> Placement | None:
        """Place the component, or return None when the rule does not apply."""


class AttestationPolicy:
    """The base level, from the release's attestation status and the verified publisher."""

    def evaluate(self, view: TrustView) -> Placement | None:
        """See the class docstring."""
        status, publisher = view.attestation_status, view.publisher
        if status == "verified" and publisher is not None:
            if publisher.environment and publisher.environment_verified:
                return Placement(
                    TrustLevel.VERIFIED_PINNED,
                    f"all files attested by {publisher.describe()}; environment verified",
                )
            # an environment only the provenance claims proves nothing: the certificate decides
            return Placement(TrustLevel.VERIFIED, f"all files attested by {publisher.describe()}")
        if status == "partial":
            return Placement(TrustLevel.PARTIAL, view.attestation_reason or "some files attested")
        if status == "absent":
            return Placement(TrustLevel.UNATTESTED, "no file of this release has provenance")
        if status == "invalid":
            return Placement(TrustLevel.AT_RISK, f"attestation invalid: {view.attestation_reason}")
        return Placement(
            TrustLevel.UNKNOWN, f"provenance unavailable: {view.attestation_reason or 'unknown'}"
        )


@dataclass(frozen=True)
class AtRiskSignalPolicy:
    """Any signal in ``kinds`` places the component at ``at-risk``."""

    kinds: frozenset[str] = AT_RISK_SIGNALS

    def evaluate(self, view: TrustView) -> Placement | None:
        """See the class docstring."""
        hits = [s for s in view.signals if s.kind in self.kinds]
        if not hits:
            return None
        return Placement(TrustLevel.AT_RISK, "; ".join(f"{s.kind}: {s.message}" for s in hits))


DEFAULT_POLICIES: tuple[TrustPolicy, ...] = (AttestationPolicy(), AtRiskSignalPolicy())


def place(
    view: TrustView, policies: Sequence[TrustPolicy] = DEFAULT_POLICIES
) -> tuple[TrustLevel, tuple[str, ...]]:
    """The lowest level any policy allows, with the reasons of the policies that set it."""
    placements = [p for p in (policy.evaluate(view) for policy in policies) if p is not None]
    if not placements:
        return TrustLevel.UNKNOWN, ("no policy applied",)
    level = min(p.level for p in placements)
    return level, tuple(p.reason for p in placements if p.level == level)
