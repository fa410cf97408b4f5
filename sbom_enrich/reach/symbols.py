"""Vulnerable symbols: which functions an advisory is about, and where that knowledge came from.

Sources, strongest first (see ``docs/vulnerable-symbols.md``):

- ``published``: ``affected[].ecosystem_specific`` (``imports``/``affected_functions``) of the
  OSV record, kept only where the vulnerable release really defines the symbol;
- ``advisory-text``: identifiers the advisory's summary and details name (backticked, dotted,
  ``snake_case``, ``CamelCase``, ``call()``), kept where the vulnerable release defines them;
- ``fix-diff``: what changed between the last vulnerable and the first fixed release of each
  fixed branch (:mod:`sbom_enrich.reachability.diff`), ranked by the identifiers the text names, and
  intersected across branches.

Curated symbols (checked by hand against the fix) are shipped in ``data/symbols.toml`` and read
by :mod:`sbom_enrich.reach.curated`; none of the sources here is strong enough to support
``not_affected`` on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from packaging.utils import canonicalize_name
from packaging.version import Version

from sbom_enrich.errors import InputError, UpstreamError
from sbom_enrich.model.affected import fixed_versions, is_affected
from sbom_enrich.model.bom import Component
from sbom_enrich.model.index import Unavailable, parse_version
from sbom_enrich.ports import AdvisoryRecords, DiffStore, ReleaseSources
from sbom_enrich.reachability.diff import DIFF_VERSION, SymbolChange, changed_symbols, public_names

__all__ = [
    "AdvisorySymbols",
    "DiffCache",
    "derive_for_advisory",
    "derive_for_components",
    "SymbolCandidate",
    "derive_symbols",
    "release_pairs",
    "text_identifiers",
]

SymbolSource = Literal["curated", "published", "advisory-text", "fix-diff"]
_KIND_WEIGHT = {
    "function": 1.0,
    "attribute-reader": 0.8,
    "helper-caller": 0.8,
    "registration": 0.6,
    "attribute": 0.5,
}


@dataclass(frozen=True)
class SymbolCandidate:
    """One symbol an advisory may be about, with why we think so."""

    symbol: str
    source: SymbolSource
    confidence: Literal["high", "medium", "low"]
    evidence: str
    release_pair: tuple[str, str] | None = None
    score: float = 0.0


@dataclass(frozen=True)
class AdvisorySymbols:
    """The ranked candidates for one advisory of one package."""

    advisory: str
    package: str
    candidates: tuple[SymbolCandidate, ...]
    release_pairs: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    changed_modules: tuple[str, ...] = ()
    """The Python modules whose code the fix changed, in any release pair."""

    @property
    def granularity(self) -> Literal["function", "module", "package"]:
        """``function`` with candidates; ``module`` when only changed modules are known."""
        if self.candidates:
            return "function"
        return "module" if self.changed_modules else "package"


def release_pairs(
    record: Mapping[str, Any], project: str, releases: Sequence[str]
) -> list[tuple[str, str]]:
    """(last vulnerable release, first fixed release) per fixed branch of ``record``.

    The fixed release must be on the index (``releases``); the vulnerable one is the highest
    release below it that the record says is affected.
    """
    versions = sorted({v for v in (parse_version(r) for r in releases) if v is not None})
    pairs = []
    for fixed in _fixed_versions(record, project):
        if fixed not in versions:
            continue
        below = [v for v in versions if v < fixed and is_affected(record, project, str(v))]
        if below:
            pairs.append((str(below[-1]), str(fixed)))
    return pairs


def _fixed_versions(record: Mapping[str, Any], project: str) -> list[Version]:
    return [v for v in (parse_version(f) for f in fixed_versions(record, project)) if v is not None]


_IDENTIFIER = re.compile(
    r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)|"
    r"\b([a-z]+_[a-z0-9_]+|[A-Z][a-z]+[A-Z][A-Za-z]*)\b|\b([A-Za-z_]\w*)\("
)


def text_identifiers(text: str) -> set[str]:
    """Code-like names in advisory text: the full dotted name and each of its parts."""
    found: set[str] = set()
    for match in _IDENTIFIER.finditer(text):
        for group in match.groups():
            if not group:
                continue
            name = group.strip().rstrip("()").strip()
            if not name or " " in name:
                continue
            found.add(name)
            found.update(part for part in name.split(".") if part)
    return found


@dataclass(frozen=True)
class DiffCache:
    """Diffs of release pairs, kept per (index, project, pair); released files never change."""

    store: DiffStore
    index_url: str

    def key(self, project: str, pair: tuple[str, str]) -> str:
        """The store key of one pair (the diff format's version included)."""
        return f"{DIFF_VERSION} {self.index_url} {project} {pair[0]} {pair[1]}"


@dataclass(frozen=True)
class _PairDiff:
    changes: tuple[SymbolChange, ...]
    modules: tuple[str, ...]
    native_changed: bool
    defined: frozenset[str]
    exports: Mapping[str, str]

    def to_json(self) -> str:
        return json.dumps(
            {
                "changes": [[c.symbol, c.kind, c.change, c.evidence] for c in self.changes],
                "modules": list(self.modules),
                "native_changed": self.native_changed,
                "defined": sorted(self.defined),
                "exports": dict(self.exports),
            }
        )

    @classmethod
    def from_json(cls, body: str) -> _PairDiff:
        data = json.loads(body)
        return cls(
            tuple(SymbolChange(*entry) for entry in data["changes"]),
            tuple(data["modules"]),
            bool(data["native_changed"]),
            frozenset(data["defined"]),
            dict(data["exports"]),
        )


def derive_symbols(
    record: Mapping[str, Any],
    project: str,
    releases: Sequence[str],
    fetcher: ReleaseSources,
    cache: DiffCache | None = None,
) -> AdvisorySymbols:
    """Candidates for ``record`` in ``project`` from every source, best first.

    With ``cache``, each release pair is downloaded and compared once; later advisories of the
    same pair (and later runs) reuse the result.
    """
    identifier = str(record.get("id", ""))
    text = f"{record.get('summary') or ''}\n{record.get('details') or ''}"
    names = text_identifiers(text)
    pairs = release_pairs(record, project, releases)
    notes: list[str] = []
    if not pairs:
        notes.append("no release pair: no fixed release on the index has an affected one below")
    per_pair: list[tuple[tuple[str, str], list[SymbolChange]]] = []
    defined: set[str] = set()
    exports: dict[str, str] = {}
    changed_modules: dict[str, None] = {}
    for vulnerable, fixed in pairs:
        diff = _pair_diff(project, (vulnerable, fixed), fetcher, cache)
        if isinstance(diff, Unavailable):
            notes.append(f"{vulnerable}..{fixed}: sources unavailable ({diff.reason})")
            continue
        defined |= diff.defined
        exports.update(diff.exports)
        if not diff.changes:
            notes.append(
                f"{vulnerable}..{fixed}: the fix changed "
                + ("only native code" if diff.native_changed else "no Python code we can see")
            )
        elif diff.modules:
            notes.append(f"modules changed in {vulnerable}..{fixed}: " + ", ".join(diff.modules))
            changed_modules.update(dict.fromkeys(diff.modules))
        per_pair.append(((vulnerable, fixed), list(diff.changes)))
    candidates = _published(record, project, defined, exports) + _from_text(names, defined)
    candidates += _from_diffs(per_pair, names, _text_words(text, project))
    ranked = sorted(
        _dedupe(candidates), key=lambda c: (-_source_rank(c.source), -c.score, c.symbol)
    )
    return AdvisorySymbols(
        identifier, project, tuple(ranked), tuple(pairs), tuple(notes), tuple(changed_modules)
    )


def _pair_diff(
    project: str, pair: tuple[str, str], fetcher: ReleaseSources, cache: DiffCache | None
) -> _PairDiff | Unavailable:
    key = cache.key(project, pair) if cache is not None else ""
    body = cache.store.cached_release_diff(key) if cache is not None else None
    if body is not None:
        try:
            return _PairDiff.from_json(body)
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable entry is computed again
    old = fetcher.sources(project, pair[0])
    if isinstance(old, Unavailable):
        return old
    new = fetcher.sources(project, pair[1])
    if isinstance(new, Unavailable):
        return new
    diff = changed_symbols(old.modules, new.modules)
    defined, exports = _public(old.modules)
    result = _PairDiff(
        diff.changes, diff.modules, old.other_files != new.other_files, frozenset(defined), exports
    )
    if cache is not None:
        cache.store.store_release_diff(key, result.to_json())
    return result


def _source_rank(source: SymbolSource) -> int:
    return {"curated": 3, "published": 2, "advisory-text": 1, "fix-diff": 0}[source]


def _dedupe(candidates: list[SymbolCandidate]) -> list[SymbolCandidate]:
    best: dict[str, SymbolCandidate] = {}
    for candidate in candidates:
        held = best.get(candidate.symbol)
        if held is None or (_source_rank(candidate.source), candidate.score) > (
            _source_rank(held.source),
            held.score,
        ):
            best[candidate.symbol] = candidate
    return list(best.values())


def _public(modules: Mapping[str, str]) -> tuple[set[str], dict[str, str]]:
    """Every function and method qualname the release defines, and its re-exports."""
    defined: set[str] = set()
    exports: dict[str, str] = {}
    packages = {module.rpartition(".")[0] for module in modules}
    for module, text in modules.items():
        functions, exported = public_names(module, text, is_package=module in packages)
        defined |= functions
        exports.update(exported)
    return defined, exports


def _published(
    record: Mapping[str, Any], project: str, defined: set[str], exports: Mapping[str, str]
) -> list[SymbolCandidate]:
    found = []
    for affected in record.get("affected") or ():
        specific = affected.get("ecosystem_specific") or {}
        names = list(specific.get("affected_functions") or ())
        for entry in specific.get("imports") or ():
            path = entry.get("path", "")
            names += [f"{path}.{symbol}" for symbol in entry.get("symbols") or ()]
        for name in names:
            if not defined:
                evidence = "named in the record's ecosystem_specific (not validated)"
                found.append(SymbolCandidate(name, "published", "medium", evidence))
                continue
            for symbol in _resolve(name, defined, exports):
                evidence = "named in the record's ecosystem_specific" + (
                    f" as {name}" if symbol != name else ""
                )
                found.append(SymbolCandidate(symbol, "published", "medium", evidence))
    return found


def _resolve(name: str, defined: set[str], exports: Mapping[str, str]) -> list[str]:
    """The functions of the release that ``name`` stands for; [] when it has no such thing.

    Re-exports are followed (``pkg.Class`` to ``pkg.module.Class``); a class means its
    ``__init__``, else its own methods.
    """
    for _ in range(8):  # a chain of re-exports, never a cycle
        parts = name.split(".")
        prefixes = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
        exported = next((p for p in prefixes if p in exports and p not in defined), None)
        if exported is None:
            break
        name = exports[exported] + name[len(exported) :]
    if name in defined:
        return [name]
    if f"{name}.__init__" in defined:
        return [f"{name}.__init__"]
    prefix = name + "."
    return sorted(d for d in defined if d.startswith(prefix) and "." not in d[len(prefix) :])


def _from_text(names: set[str], defined: set[str]) -> list[SymbolCandidate]:
    found = []
    for symbol in sorted(defined):
        parts = symbol.split(".")
        tail = ".".join(parts[-2:])
        if tail in names or (parts[-1] in names and len(parts[-1]) > 3 and "_" in parts[-1]):
            found.append(
                SymbolCandidate(
                    symbol,
                    "advisory-text",
                    "medium",
                    f"the advisory names {tail if tail in names else parts[-1]}",
                    score=2.0 if tail in names else 1.0,
                )
            )
    return found


def _from_diffs(
    per_pair: list[tuple[tuple[str, str], list[SymbolChange]]],
    names: set[str],
    words: set[str],
) -> list[SymbolCandidate]:
    """One candidate per changed symbol and pair, scored by every way the fix touched it.

    The kinds of change add up (a function whose body changed and that reads data the fix
    changed scores both), identifiers the advisory names add 2 each, plain words of the text
    that the symbol's name shares add 0.5 each (at most 1), and changing in every fixed branch
    adds 1.
    """
    symbols_per_pair = [{c.symbol for c in changes} for _, changes in per_pair]
    everywhere = set.intersection(*symbols_per_pair) if symbols_per_pair else set()
    found = []
    for pair, changes in per_pair:
        by_symbol: dict[str, list[SymbolChange]] = {}
        for change in changes:
            by_symbol.setdefault(change.symbol, []).append(change)
        for symbol, own in by_symbol.items():
            parts = [p for p in symbol.split(".") if not p.startswith("<")][-2:]
            mentions = sum(1 for p in parts if p in names)
            score = sum(_KIND_WEIGHT[kind] for kind in {c.kind for c in own})
            score += 2 * mentions + _word_overlap(parts, words)
            if len(per_pair) > 1 and symbol in everywhere:
                score += 1  # changed in every fixed branch
            confidence: Literal["medium", "low"] = "medium" if mentions else "low"
            evidence = "; ".join(dict.fromkeys(c.evidence for c in own))
            found.append(SymbolCandidate(symbol, "fix-diff", confidence, evidence, pair, score))
    return found


_WORD = re.compile(r"[A-Za-z]{4,}")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_COMMON_WORDS = frozenset(  # words of advisory prose, not of code
    """
    about after allow allows also attack attacker before being cause causes certain code could
    does function functions from have into issue make malicious module package remote send sends
    should such that their there these this through used user users using version versions
    when where which while with would python library vulnerability vulnerable fixed affected
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _text_words(text: str, project: str) -> set[str]:
    """The plain words of advisory text worth comparing with symbol names (lowercase)."""
    words = {word.lower() for word in _WORD.findall(text)}
    return words - _COMMON_WORDS - {project.lower()}


def _name_words(part: str) -> set[str]:
    pieces = {p.lower() for chunk in part.split("_") for p in _CAMEL.findall(chunk)}
    joined = part.replace("_", "").lower()
    return {p for p in pieces if len(p) >= 4} | ({joined} if len(joined) >= 5 else set())


def _related(piece: str, word: str) -> bool:
    shorter, longer = sorted((piece, word), key=len)
    return longer.startswith(shorter) or (len(word) >= 6 and word in piece)


def _word_overlap(parts: list[str], words: set[str]) -> float:
    """0.5 per piece of the symbol's name that a word of the advisory text shares, at most 1."""
    pieces = {piece for part in parts for piece in _name_words(part)}
    matched = sum(1 for piece in pieces if any(_related(piece, word) for word in words))
    return 0.5 * min(matched, 2)


def derive_for_advisory(
    database: AdvisoryRecords,
    fetcher: ReleaseSources,
    project: str,
    advisory_id: str,
    *,
    cache: DiffCache | None = None,
    database_name: str = "the advisory database",
) -> AdvisorySymbols:
    """Derive the symbols of one advisory of ``project``; raise when it or the index is missing."""
    record = database.record(project, advisory_id)
    if record is None:
        raise InputError(f"{database_name}: no advisory {advisory_id} for {project}")
    releases = fetcher.releases(project)
    if not isinstance(releases, tuple):
        raise UpstreamError(f"{project}: the index's release list is unavailable")
    return derive_symbols(record, project, list(releases), fetcher, cache)


def derive_for_components(
    components: Sequence[Component],
    database: AdvisoryRecords,
    fetcher: ReleaseSources,
    *,
    cache: DiffCache | None = None,
    on_component: Callable[[Component], None] | None = None,
) -> list[AdvisorySymbols]:
    """Derive the symbols of every advisory in ``database`` affecting one of ``components``."""
    results: list[AdvisorySymbols] = []
    for component in components:
        project = canonicalize_name(component.name)
        listed = fetcher.releases(project)
        if isinstance(listed, tuple):
            releases = list(listed)
            for advisory in database.advisories(project, component.version or ""):
                record = database.record(project, advisory.id)
                if record is not None:
                    results.append(derive_symbols(record, project, releases, fetcher, cache))
        if on_component is not None:
            on_component(component)
    return results
