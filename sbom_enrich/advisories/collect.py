"""Known vulnerabilities per component: every source asked, advisories merged, fixes advised.

One issue is one finding: advisories from all sources are merged when their ids or aliases
overlap (PYSEC, GHSA, CVE, ...). Each component says which sources answered and which were
unavailable, so "no known vulnerabilities" is only said when every source answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from packaging.version import Version

from sbom_enrich.model.advisory import Advisory, Match, Partial, Rating
from sbom_enrich.model.bom import Component
from sbom_enrich.model.facts import PackageFacts
from sbom_enrich.model.index import Unavailable, parse_version
from sbom_enrich.model.scales import worst_severity
from sbom_enrich.ports import AdvisorySource

__all__ = [
    "ComponentAdvisories",
    "Fix",
    "MergedAdvisory",
    "SourceAnswer",
    "advise_fix",
    "look_up_advisories",
    "merge_advisories",
]

_ID_PREFERENCE = ("MAL-", "PYSEC-", "GHSA-")
_MATCH_STRENGTH: tuple[Match, ...] = ("hash", "version", "name")


@dataclass(frozen=True)
class SourceAnswer:
    """What one source said for one component: ``count`` advisories, or unavailable."""

    source: str
    count: int
    unavailable: str | None = None
    gaps: tuple[str, ...] = ()
    """What the source holds but could not apply (unreadable records, a non-PEP 440 version)."""


@dataclass(frozen=True)
class MergedAdvisory:
    """One issue, as every source that knows it describes it."""

    id: str
    aliases: frozenset[str]
    sources: tuple[str, ...]
    summary: str | None
    details: str | None
    fixed_in: tuple[str, ...]
    ratings: tuple[Rating, ...]
    references: tuple[str, ...]
    published: str | None
    modified: str | None
    malicious: bool
    ecosystem_specific: tuple[object, ...]
    match: Match = "version"
    """How the component was matched; for malicious records the strongest of the group's."""

    @property
    def ids(self) -> frozenset[str]:
        """The id and every alias."""
        return self.aliases | {self.id}

    @property
    def score(self) -> float | None:
        """The highest CVSS base score any rating gives, if any."""
        scores = [r.score for r in self.ratings if r.score is not None]
        return max(scores) if scores else None

    @property
    def severity(self) -> str:
        """``critical`` for malicious packages, else the worst rated severity, else ``unknown``."""
        if self.malicious:
            return "critical"
        return worst_severity(r.severity for r in self.ratings if r.severity)


@dataclass(frozen=True)
class Fix:
    """Fix advice: the version to move to, or None with the reason."""

    version: str | None
    note: str


@dataclass(frozen=True)
class ComponentAdvisories:
    """The advisories of one component, with what each source answered."""

    component: Component
    facts: PackageFacts
    answers: tuple[SourceAnswer, ...]
    advisories: tuple[MergedAdvisory, ...]

    @property
    def status(self) -> str:
        """``affected``, ``none-known``, ``partial`` or ``unavailable``.

        ``none-known`` needs every source to have answered in full.
        """
        if self.advisories:
            return "affected"
        answered = [a for a in self.answers if a.unavailable is None]
        if not answered:
            return "unavailable"
        complete = len(answered) == len(self.answers) and not any(a.gaps for a in answered)
        return "none-known" if complete else "partial"

    def fix(self, advisory: MergedAdvisory) -> Fix:
        """The fix advice for one of this component's advisories."""
        return advise_fix(self.facts, advisory)


def look_up_advisories(
    results: Sequence[tuple[Component, PackageFacts]],
    sources: Sequence[AdvisorySource],
    *,
    concurrency: int = 8,
    on_component: Callable[[Component], None] | None = None,
) -> tuple[ComponentAdvisories, ...]:
    """Ask every source about every component (concurrently) and merge the answers."""

    def one(item: tuple[Component, PackageFacts]) -> ComponentAdvisories:
        component, facts = item
        answers = []
        found: list[Advisory] = []
        for source in sources:
            answer = source.advisories(facts)
            if isinstance(answer, Unavailable):
                answers.append(SourceAnswer(source.name, 0, answer.reason))
            elif isinstance(answer, Partial):
                answers.append(SourceAnswer(source.name, len(answer.advisories), gaps=answer.gaps))
                found += answer.advisories
            else:
                answers.append(SourceAnswer(source.name, len(answer)))
                found += answer
        if on_component is not None:
            on_component(component)
        return ComponentAdvisories(component, facts, tuple(answers), merge_advisories(found))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return tuple(pool.map(one, results))


def merge_advisories(advisories: Iterable[Advisory]) -> tuple[MergedAdvisory, ...]:
    """Group advisories whose ids or aliases overlap; one group is one issue."""
    groups: list[list[Advisory]] = []
    for advisory in advisories:
        overlapping = [g for g in groups if any(a.ids & advisory.ids for a in g)]
        merged = [advisory] + [a for g in overlapping for a in g]
        groups = [g for g in groups if g not in overlapping] + [merged]
    return tuple(sorted((_merge(g) for g in groups), key=lambda m: m.id))


def _preferred(ids: Iterable[str]) -> str:
    def rank(identifier: str) -> tuple[int, str]:
        for position, prefix in enumerate(_ID_PREFERENCE):
            if identifier.startswith(prefix):
                return position, identifier
        return (len(_ID_PREFERENCE) + (1 if identifier.startswith("CVE-") else 0), identifier)

    return min(ids, key=rank)


def _merge(group: Sequence[Advisory]) -> MergedAdvisory:
    primary_ids = {a.id for a in group}
    all_ids = frozenset().union(*(a.ids for a in group))
    chosen = _preferred(primary_ids)
    first = next(a for a in group if a.id == chosen)
    fixed = {v for a in group for v in a.fixed_in}
    return MergedAdvisory(
        id=chosen,
        aliases=all_ids - {chosen},
        sources=tuple(sorted({a.source for a in group})),
        summary=first.summary or next((a.summary for a in group if a.summary), None),
        details=first.details or next((a.details for a in group if a.details), None),
        fixed_in=tuple(sorted(fixed, key=_version_key)),
        ratings=tuple(dict.fromkeys(r for a in group for r in a.ratings)),
        references=tuple(dict.fromkeys(ref for a in group for ref in a.references)),
        published=first.published,
        modified=first.modified,
        malicious=any(a.malicious for a in group),
        ecosystem_specific=tuple(e for a in group for e in a.ecosystem_specific),
        match=min((a.match for a in group), key=_MATCH_STRENGTH.index),
    )


def _version_key(text: str) -> tuple[int, Version, str]:
    parsed = parse_version(text)
    return (0, parsed, text) if parsed is not None else (1, Version("0"), text)


def _final_of(
    candidate: Version, released: Mapping[Version, tuple[str, bool]], pinned: Version
) -> str | None:
    """The final release of a pre-release fix (``24.7.0`` for ``24.7.0rc1``), if released.

    Only for a pinned version that is itself final: a final release of the same version
    comes after its pre-releases on the same branch, so it carries the fix.
    """
    if not candidate.is_prerelease or pinned.is_prerelease:
        return None
    final = Version(candidate.base_version)
    entry = released.get(final)
    return entry[0] if entry is not None and not entry[1] else None


def advise_fix(facts: PackageFacts, advisory: MergedAdvisory) -> Fix:
    """The smallest fixed version after the pinned one that is on the index and not yanked.

    A pre-release fix gives way to its final release where that is out (and the pinned
    version is not a pre-release itself).

    If every such fixed version was yanked, the first release after the highest fix that is not
    yanked (a release between two branches' fixes may be affected again, so it is not offered).
    """
    if advisory.malicious:
        return Fix(None, "malicious package: remove it")
    pinned = parse_version(facts.version)
    if pinned is None:
        return Fix(None, f"cannot compare versions: {facts.version!r} is not a PEP 440 version")
    fixed = sorted(
        v for v in (parse_version(f) for f in advisory.fixed_in) if v is not None and v > pinned
    )
    if not fixed:
        return Fix(None, "no fix released")
    if facts.later_releases is None:
        return Fix(str(fixed[0]), f"upgrade to {fixed[0]} (the release list was unavailable)")
    released = {}
    for version, yanked in facts.later_releases:
        parsed = parse_version(version)
        if parsed is not None:
            released[parsed] = (version, yanked)
    for candidate in fixed:
        final = _final_of(candidate, released, pinned)
        if final is not None:
            return Fix(final, f"upgrade to {final}")
        if candidate in released and not released[candidate][1]:
            return Fix(released[candidate][0], f"upgrade to {released[candidate][0]}")
    after = [v for v in sorted(released) if v >= fixed[-1] and not released[v][1]]
    if after:
        version = released[after[0]][0]
        return Fix(version, f"upgrade to {version} (the fixed release {fixed[-1]} was yanked)")
    return Fix(None, f"no fix released: {fixed[0]} is not on the index or was yanked")
