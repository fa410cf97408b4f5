"""The curated vulnerable symbols shipped in ``sbom_enrich/data/symbols.toml``.

Every entry was checked by reading the fix's diff; see the file's header. Curated symbols are
the only ones strong enough to make a finding ``not-reachable`` on their own.
"""

from __future__ import annotations

from importlib import resources

from sbom_enrich.reach.symbols import AdvisorySymbols, SymbolCandidate
from sbom_enrich.toml import tomllib

__all__ = ["curated_symbols"]


def curated_symbols() -> tuple[AdvisorySymbols, ...]:
    """One entry per advisory id and per alias, so that any of its names finds it."""
    text = resources.files("sbom_enrich.data").joinpath("symbols.toml").read_text(encoding="utf-8")
    entries = []
    for advisory in tomllib.loads(text)["advisory"]:
        pair = tuple(advisory["release_pair"])
        candidates = tuple(
            SymbolCandidate(
                symbol,
                "curated",
                "high",
                f"{advisory['evidence']} (checked {advisory['checked']})",
                (pair[0], pair[1]),
                10.0,
            )
            for symbol in advisory["symbols"]
        )
        for identifier in [advisory["id"], *advisory.get("aliases", [])]:
            entries.append(
                AdvisorySymbols(identifier, advisory["package"], candidates, ((pair[0], pair[1]),))
            )
    return tuple(entries)
