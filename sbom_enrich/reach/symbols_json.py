"""The JSON form of derived vulnerable symbols (``sbom-enrich symbols derive``)."""

from __future__ import annotations

from typing import Any

from sbom_enrich.reach.symbols import AdvisorySymbols, SymbolCandidate

__all__ = ["symbols_from_json", "symbols_to_json"]


def symbols_to_json(result: AdvisorySymbols) -> dict[str, Any]:
    """One advisory's ranked candidates, with source, confidence, evidence and release pair."""
    return {
        "advisory": result.advisory,
        "package": result.package,
        "granularity": result.granularity,
        "releasePairs": [{"vulnerable": v, "fixed": f} for v, f in result.release_pairs],
        "notes": list(result.notes),
        "changedModules": list(result.changed_modules),
        "candidates": [
            {
                "rank": rank,
                "symbol": candidate.symbol,
                "source": candidate.source,
                "confidence": candidate.confidence,
                "evidence": candidate.evidence,
                "releasePair": list(candidate.release_pair) if candidate.release_pair else None,
                "score": candidate.score,
            }
            for rank, candidate in enumerate(result.candidates, start=1)
        ],
    }


def symbols_from_json(data: Any) -> tuple[AdvisorySymbols, ...]:
    """Read what :func:`symbols_to_json` wrote: one object, or a list of them.

    Raises ``KeyError``/``TypeError``/``ValueError`` on anything else.
    """
    entries = data if isinstance(data, list) else [data]
    return tuple(
        AdvisorySymbols(
            advisory=str(entry["advisory"]),
            package=str(entry["package"]),
            candidates=tuple(
                SymbolCandidate(
                    symbol=str(c["symbol"]),
                    source=c["source"],
                    confidence=c["confidence"],
                    evidence=str(c["evidence"]),
                    release_pair=tuple(c["releasePair"]) if c.get("releasePair") else None,
                    score=float(c.get("score", 0.0)),
                )
                for c in entry["candidates"]
            ),
            release_pairs=tuple(
                (str(p["vulnerable"]), str(p["fixed"])) for p in entry.get("releasePairs", [])
            ),
            notes=tuple(str(n) for n in entry.get("notes", [])),
            changed_modules=tuple(str(m) for m in entry.get("changedModules", [])),
        )
        for entry in entries
    )
