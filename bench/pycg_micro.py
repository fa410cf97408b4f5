"""Benchmark: the call-graph engine on the PyCG micro-benchmark, through the real command.

Runs the benchmark's own ``score.py`` (``../shared/benchmarks/pycg-micro``, or the directory
given) with ``sbom-enrich callgraph {dir} --no-cache --format pycg -o {out}``, one process per
case as any user would run it, and prints its table: edge precision and recall, exact, sound and
complete cases per category, and the time taken (start-up included).

    python bench/pycg_micro.py [BENCHMARK_DIR] [--jobs N] [--show-diffs]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "benchmarks" / "pycg-micro"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--show-diffs", action="store_true")
    args = parser.parse_args()
    executable = shutil.which("sbom-enrich", path=str(Path(sys.executable).parent))
    if executable is None:
        sys.exit("sbom-enrich is not installed beside this interpreter")
    command = [
        sys.executable,
        str(args.benchmark / "score.py"),
        str(args.benchmark / "snippets"),
        "--cmd",
        f"{executable} callgraph {{dir}} --no-cache --format pycg -o {{out}}",
        "--jobs",
        str(args.jobs),
    ]
    if args.show_diffs:
        command.append("--show-diffs")
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
