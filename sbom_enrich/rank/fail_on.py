"""``--fail-on``: which findings make ``enrich`` exit with code 1.

A rule is one of::

    any                     every finding that is not suppressed
    malicious               malicious-package records
    kev                     vulnerabilities a known-exploited catalog (--kev) lists
    kev:VERDICT             ... whose reachability is at least VERDICT (kev:reachable)
    SEVERITY                vulnerabilities of at least that severity (critical, high, medium, low)
    VERDICT:SEVERITY        ... whose reachability is at least VERDICT (reachable > imported >
                            unknown > not-reachable), for example reachable:high, imported:medium
    VERDICT:any             ... of any severity, unrated ones included (reachable:any)
    signal:KIND             a trust signal of that kind (signal:ownership-changed), or signal:any
    trust:at-risk           a component whose trust level is at-risk

Suppressed findings never match. A severity threshold never matches a finding whose severity
no source rates (``unknown``): use ``VERDICT:any`` or ``any`` to include those.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbom_enrich.model.scales import THRESHOLD_SEVERITIES, VERDICTS
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.trust.signals import SIGNAL_KINDS

__all__ = ["FailOnRule", "FailOnError", "parse_fail_on"]

_SEVERITIES = THRESHOLD_SEVERITIES


class FailOnError(ValueError):
    """The rule text is not one of the forms in the module docstring."""


@dataclass(frozen=True)
class FailOnRule:
    """A parsed ``--fail-on`` value; :meth:`matches` decides one finding."""

    text: str
    kind: str
    severity: str | None = None
    verdict: str | None = None
    signal: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether ``finding`` (not suppressed) falls under this rule."""
        if finding.suppressed:
            return False
        if self.kind == "any":
            return True
        if self.kind == "malicious":
            return finding.kind == "malicious"
        if self.kind == "kev":
            listed = finding.vulnerability is not None and finding.vulnerability.exploited
            return bool(listed) and (
                self.verdict is None or _at_least(finding.reach.verdict, self.verdict, VERDICTS)
            )
        if self.kind == "signal":
            return finding.kind == "trust" and self.signal in ("any", finding.title)
        if self.kind == "trust":
            return finding.trust_level == "at-risk"
        if finding.kind not in ("vulnerability", "malicious"):
            return False
        if (
            finding.kind == "vulnerability"
            and self.severity != "any"
            and not _at_least(finding.severity, self.severity or "low", _SEVERITIES)
        ):
            return False
        return self.verdict is None or _at_least(finding.reach.verdict, self.verdict, VERDICTS)


def _at_least(value: str, threshold: str, order: tuple[str, ...]) -> bool:
    return value in order and order.index(value) <= order.index(threshold)


def parse_fail_on(text: str) -> FailOnRule:
    """Parse one ``--fail-on`` value, or raise :class:`FailOnError` saying what is allowed."""
    value = text.strip().lower()
    if value in ("any", "malicious", "kev"):
        return FailOnRule(text, value)
    if value in _SEVERITIES:
        return FailOnRule(text, "severity", severity=value)
    head, _, tail = value.partition(":")
    if head == "signal" and (tail == "any" or tail in SIGNAL_KINDS):
        return FailOnRule(text, "signal", signal=tail)
    if head == "kev" and tail in VERDICTS:
        return FailOnRule(text, "kev", verdict=tail)
    if head == "trust" and tail == "at-risk":
        return FailOnRule(text, "trust")
    if head in VERDICTS and (tail in _SEVERITIES or tail == "any"):
        return FailOnRule(text, "severity", severity=tail, verdict=head)
    raise FailOnError(
        f"--fail-on {text!r}: expected any, malicious, kev, kev:VERDICT, a severity "
        f"({', '.join(_SEVERITIES)}), VERDICT:SEVERITY or VERDICT:any (for example "
        "reachable:high), signal:KIND or trust:at-risk"
    )
