"""Benchmark the state store: SQLite file vs PostgreSQL on loopback, one runner and eight.

    python bench/state_pg.py [--runs 5]

On the real 320-component SBOM (bench/data/bench-320.cdx.json): one cold run against the live
index fills each store, then prints
- warm: ``enrich --offline`` answered from the store, SQLite vs PostgreSQL (median of --runs,
  interleaved), and the ratio;
- eight runners: eight warm runs started at once against the one PostgreSQL store (and, for
  comparison, against one SQLite file): the whole batch's time, its slowest run, and the
  slowest run against one warm run alone.
The PostgreSQL server is a throwaway one started from the machine's binaries (as in the tests).
Needs network access to pypi.org for the cold runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from postgres_server import find_server_binaries, throwaway_server

SBOM = Path(__file__).resolve().parent / "data" / "bench-320.cdx.json"


def _command(state: str, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sbom_enrich",
        "enrich",
        str(SBOM),
        "-q",
        "-o",
        str(output),
        "--state",
        state,
        *extra,
    ]


def _run(state: str, output: Path, *extra: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(_command(state, output, *extra), capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"enrich failed ({result.returncode}): {result.stderr[-2000:]}")
    return time.perf_counter() - start


def _batch(state: str, work: Path, runners: int) -> tuple[float, float]:
    """Start ``runners`` warm runs at once; the batch's wall time and its slowest run."""
    start = time.perf_counter()
    processes = [
        (
            time.perf_counter(),
            subprocess.Popen(
                _command(state, work / f"batch{i}.json", "--offline"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for i in range(runners)
    ]
    slowest = 0.0
    for started, process in processes:
        _, errors = process.communicate()
        if process.returncode not in (0, 1):
            sys.exit(f"enrich failed ({process.returncode}): {errors[-2000:]}")
        slowest = max(slowest, time.perf_counter() - started)
    return time.perf_counter() - start, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binaries = find_server_binaries()
    if binaries is None:
        sys.exit("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    with tempfile.TemporaryDirectory(prefix="sbom-enrich-bench-") as tmp:
        work = Path(tmp)
        server = Path(tempfile.mkdtemp(prefix="sbom-enrich-pg-"))
        with throwaway_server(binaries, server) as admin:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute("CREATE DATABASE bench")
            stores = {
                "sqlite": str(work / "state.sqlite"),
                "postgresql": admin.replace("/postgres?", "/bench?"),
            }
            for name, state in stores.items():
                print(f"cold ({name}, live index): {_run(state, work / 'cold.json'):.2f} s")
            warm: dict[str, list[float]] = {name: [] for name in stores}
            for _ in range(args.runs):
                for name, state in stores.items():
                    warm[name].append(_run(state, work / "warm.json", "--offline"))
            medians = {name: statistics.median(times) for name, times in warm.items()}
            for name, median in medians.items():
                print(f"warm --offline ({name}): median {median:.2f} s of {args.runs}")
            print(
                f"PostgreSQL warm / SQLite warm: {medians['postgresql'] / medians['sqlite']:.2f}x"
            )
            for name, state in stores.items():
                total, slowest = _batch(state, work, 8)
                print(
                    f"8 runners at once ({name}): {total:.2f} s for all, slowest {slowest:.2f} s "
                    f"= {slowest / medians[name]:.2f}x one warm run; "
                    f"{8 * 320 / total:.0f} components/s"
                )


if __name__ == "__main__":
    main()
