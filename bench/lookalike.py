"""False positives and true positives of the name-lookalike signal, on real names.

Prints, at the shipped thresholds: how many components of the real SBOMs in samples/ and
bench/data/ are flagged (all are legitimate); how many of the 15,000 most-downloaded projects
are flagged against another listed one; how many of the list's least-downloaded 5,000 would be
flagged if they were not listed (a proxy for legitimate, less popular projects); and whether
the typosquats named by the malicious-package records in tests/fixtures/malicious are caught.
"""

from __future__ import annotations

import json
from pathlib import Path

from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.trust import lookalike

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print one line per measurement."""
    names: set[str] = set()
    for path in [
        *(ROOT / "samples" / "sbom").iterdir(),
        ROOT / "bench" / "data" / "bench-320.cdx.json",
    ]:
        names.update(c.name for c in load_bom(str(path)).components)
    flagged = sorted(n for n in names if lookalike.find_lookalike(n))
    print(f"real SBOM components flagged: {len(flagged)} of {len(names)} {flagged[:5]}")
    table = lookalike._popularity()
    listed = [n for n in table.downloads if lookalike.find_lookalike(n)]
    share = 100 * len(listed) / len(table.downloads)
    print(f"top-15,000 projects flagged: {len(listed)} ({share:.2f}%)")
    ranked = sorted(table.downloads, key=lambda n: -table.downloads[n])
    needed = table.minimum * lookalike.UNLISTED_RATIO
    unlisted = [
        n
        for n in ranked[10_000:]
        if any(
            m != n and table.downloads.get(m, 0) >= needed
            for m, _how in lookalike._neighbours(n, table)
        )
    ]
    print(
        f"least-downloaded 5,000, treated as unlisted: {len(unlisted)} flagged "
        f"({100 * len(unlisted) / 5000:.1f}%)"
    )
    for record in sorted((ROOT / "tests" / "fixtures" / "malicious").rglob("MAL-20*.json")):
        name = json.loads(record.read_text())["affected"][0]["package"]["name"]
        found = lookalike.find_lookalike(name)
        verdict = f"{found.popular}, {found.how}" if found else "not flagged"
        print(f"typosquat {name} ({record.stem}): {verdict}")


if __name__ == "__main__":
    main()
