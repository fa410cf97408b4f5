"""Benchmark ``sbom-enrich enrich`` on a real 320-component SBOM against live PyPI, and pip-audit.

    python bench/enrich.py [--pip-audit PATH] [--runs 3]

Prints, for 320 components (bench/data/bench-320.cdx.json, made by cyclonedx-py from
bench/data/requirements-320.txt):
- cold: a fresh state file each run, so every response comes from the index (median of --runs);
- warm: --offline on the cold run's state, so everything comes from the cache;
- pip-audit on the same requirements (one JSON request per package, sequentially), when a
  pip-audit executable is given or found on PATH;
- the peak resident memory of each sbom-enrich run (the largest child process).
Needs network access to pypi.org (or --index-url's index).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SBOM = DATA / "bench-320.cdx.json"
REQUIREMENTS = DATA / "requirements-320.txt"


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of this child, and its standard error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, max(peak, before) / 1024, result.stderr


def enrich(state: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sbom_enrich",
        "enrich",
        str(SBOM),
        "-o",
        "/dev/null",
        "-q",
        "--state",
        str(state),
        *extra,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pip-audit", default=shutil.which("pip-audit"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cold, peaks = [], []
        for run in range(args.runs):
            state = Path(scratch) / f"cold-{run}.sqlite"
            seconds, peak, _ = timed(enrich(state))
            cold.append(seconds)
            peaks.append(peak)
            print(f"cold run {run + 1}: {seconds:.2f} s")
        warm = []
        for run in range(args.runs):
            seconds, peak, _ = timed(enrich(Path(scratch) / "cold-0.sqlite", "--offline"))
            warm.append(seconds)
            peaks.append(peak)
            print(f"warm run {run + 1}: {seconds:.2f} s")
        in_process = warm_in_process(Path(scratch) / "cold-0.sqlite")
        print("components: 320")
        print(
            f"sbom-enrich cold (live index), median of {args.runs}: {statistics.median(cold):.2f} s"
        )
        print(
            f"sbom-enrich warm (--offline, cache only), median: {statistics.median(warm):.2f} s "
            f"(enrichment alone, in process: {in_process:.2f} s)"
        )
        print(f"peak memory (largest run): {max(peaks):.0f} MB")
        if args.pip_audit:
            audits = []
            for run in range(args.runs):
                cache = Path(scratch) / f"pip-audit-{run}"
                seconds, _, stderr = timed(
                    [
                        args.pip_audit,
                        "-r",
                        str(REQUIREMENTS),
                        "--no-deps",
                        "--disable-pip",
                        "--progress-spinner",
                        "off",
                        "--cache-dir",
                        str(cache),
                    ]
                )
                audits.append(seconds)
                print(f"pip-audit run {run + 1}: {seconds:.2f} s")
            ratio = statistics.median(audits) / statistics.median(cold)
            print(
                f"pip-audit (cold cache), median: {statistics.median(audits):.2f} s; "
                f"sbom-enrich cold is {ratio:.1f}x faster"
            )
            print(f"pip-audit's last lines: {stderr.strip().splitlines()[-1:]}")
        else:
            print("pip-audit: not found (pass --pip-audit PATH)")


def warm_in_process(state: Path) -> float:
    """Load + assess + render with everything cached, timed inside one process."""
    from sbom_enrich import LookupOptions, assess_components, load_bom, open_lookup, render_enriched

    document = load_bom(SBOM)
    start = time.perf_counter()
    with open_lookup(LookupOptions(state=state, offline=True)) as lookup:
        trust = assess_components(document.components, lookup.facts, lookup.store)
        render_enriched(document, trust=trust)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
