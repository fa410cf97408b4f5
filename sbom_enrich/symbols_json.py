"""The JSON form of derived vulnerable symbols (``sbom-enrich symbols derive``)."""

from __future__ import annotations

from typing import Any

from sbom_enrich.symbols import AdvisorySymbols

__all__ = ["symbols_to_json"]


def symbols_to_json(result: AdvisorySymbols) -> dict[str, Any]:
    """One advisory's ranked candidates, with source, confidence, evidence and release pair."""
    return {
        "advisory": result.advisory,
        "package": result.package,
        "granularity": result.granularity,
        "releasePairs": [{"vulnerable": v, "fixed": f} for v, f in result.release_pairs],
        "notes": list(result.notes),
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
