"""sbom-enrich and pip-audit side by side on the same 320 pinned requirements, in one run.

    python bench/speed_vs_pip_audit.py [--runs 5] [--sbom-enrich PATH] [--pip-audit PATH]

pip-audit reads the requirements as pinned (``--no-deps --disable-pip``, no resolution); both
tools get the same advisories: the PyPA snapshot, read by sbom-enrich with
``--advisory-db`` and served to pip-audit (``-s osv --osv-url``) by the loopback OSV stand-in of
``compare_pip_audit.py``. sbom-enrich also looks up every component's trust facts on the live
index (pip-audit's mode here makes no index request). Each round runs, interleaved:

- cold: a fresh sbom-enrich state and a fresh pip-audit cache directory;
- warm: the same again with the state / cache the cold run left (within the 10 minutes an
  answer without cache headers stays fresh);
- sbom-enrich ``--offline`` on that state, against the same warm pip-audit run (pip-audit has
  no offline mode).

Prints the median wall time and the median peak resident memory of each, and the ratios.
Run it with a sbom-enrich installed without the test extras (``pip install .``): those add
packages that change start-up time. Needs network access to the index and pip-audit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bytecode import WITH_BYTECODE
from compare_pip_audit import BENCH_REQUIREMENTS, BENCH_SBOM, DEFAULT_DB, load_records, osv_server


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of ``command`` (its own process only)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=WITH_BYTECODE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({process.returncode}): {errors.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def executable(given: str | None, name: str) -> str:
    found = given or shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        sys.exit(f"{name} not found: give --{name} PATH")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sbom-enrich", dest="ours")
    parser.add_argument("--pip-audit", dest="theirs")
    args = parser.parse_args()
    ours, theirs = executable(args.ours, "sbom-enrich"), executable(args.theirs, "pip-audit")
    times: dict[str, list[float]] = {}
    peaks: dict[str, list[float]] = {}

    def record(label: str, command: list[str]) -> None:
        elapsed, peak = measured(command)
        times.setdefault(label, []).append(elapsed)
        peaks.setdefault(label, []).append(peak)

    with osv_server(load_records(DEFAULT_DB)) as osv_url, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            state, cache = Path(tmp) / f"state{run}.sqlite", Path(tmp) / f"cache{run}"
            enrich = [ours, "enrich", str(BENCH_SBOM), "-q", "-o", str(Path(tmp) / "out.json")]
            enrich += ["--advisory-db", str(DEFAULT_DB), "--no-pypi-advisories"]
            enrich += ["--state", str(state)]
            audit = [theirs, "-r", str(BENCH_REQUIREMENTS), "--no-deps", "--disable-pip"]
            audit += ["-s", "osv"]
            audit += ["--osv-url", osv_url, "--progress-spinner", "off", "-f", "json"]
            audit += ["--cache-dir", str(cache)]
            record("pip-audit cold", audit)
            record("sbom-enrich cold", enrich)
            record("sbom-enrich warm", enrich)
            record("pip-audit warm", audit)
            record("sbom-enrich --offline", [*enrich, "--offline"])
            print(f"round {run + 1} of {args.runs} done", file=sys.stderr)
    median = {label: statistics.median(values) for label, values in times.items()}
    peak = {label: statistics.median(values) for label, values in peaks.items()}
    pins = [line for line in BENCH_REQUIREMENTS.read_text().splitlines() if "==" in line]
    print(f"{len(pins)} pinned requirements, {args.runs} rounds, medians")
    print(f"{'run':<24}{'wall s':>8}{'peak MB':>9}")
    for label in median:
        print(f"{label:<24}{median[label]:>8.2f}{peak[label]:>9.0f}")
    for mode, against in (("cold", "cold"), ("warm", "warm"), ("--offline", "warm")):
        ratio = median[f"sbom-enrich {mode}"] / median[f"pip-audit {against}"]
        print(f"sbom-enrich {mode} / pip-audit {against}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
