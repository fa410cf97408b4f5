"""Benchmark: the call-graph engine on the PyCG micro-benchmark, through the real command.

Runs the benchmark's own ``score.py`` (``../shared/benchmarks/pycg-micro``, or the directory
given) with ``sbom-enrich callgraph {dir} --no-cache --format pycg -o {out}``, one process per
case as any user would run it, and prints its table: edge precision and recall, exact, sound and
complete cases per category, and the time taken (start-up included). With ``--pycg PYTHON`` (an
interpreter that has pycg installed), PyCG itself runs on the same cases right after, as the
benchmark's README runs it, and the two times are compared.

Both run from compiled bytecode, as installed tools do: these machines set
PYTHONDONTWRITEBYTECODE, under which an editable install of ours compiles its modules on every
run while pip compiled pycg's at install time.

    python bench/pycg_micro.py [BENCHMARK_DIR] [--jobs N] [--show-diffs] [--pycg PYTHON]

pycg 0.0.8 from the package index installs its package as ``PyCG`` but imports ``pycg``: give
``--pycg-path DIR``, a directory holding a ``pycg`` link to it, to put on its PYTHONPATH.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _bytecode import WITH_BYTECODE

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "benchmarks" / "pycg-micro"


def _score(
    benchmark: Path, template: str, jobs: int, extra: list[str], env: dict[str, str]
) -> float:
    """Run score.py with the generator ``template``; its wall time (from its own report)."""
    command = [
        sys.executable,
        str(benchmark / "score.py"),
        str(benchmark / "snippets"),
        "--cmd",
        template,
        "--jobs",
        str(jobs),
        *extra,
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    found = re.search(r"wall time ([0-9.]+)s", done.stdout)
    if done.returncode != 0 or found is None:
        sys.exit(f"score.py failed (exit {done.returncode})")
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--show-diffs", action="store_true")
    parser.add_argument("--pycg", help="an interpreter with pycg installed, to run it too")
    parser.add_argument("--pycg-path", help="PYTHONPATH for that interpreter")
    args = parser.parse_args()
    executable = shutil.which("sbom-enrich", path=str(Path(sys.executable).parent))
    if executable is None:
        sys.exit("sbom-enrich is not installed beside this interpreter")
    ours = _score(
        args.benchmark,
        f"{executable} callgraph {{dir}} --no-cache --format pycg -o {{out}}",
        args.jobs,
        ["--show-diffs"] if args.show_diffs else [],
        WITH_BYTECODE,
    )
    if args.pycg:
        env = dict(WITH_BYTECODE)
        if args.pycg_path:
            env["PYTHONPATH"] = args.pycg_path
        print("\nPyCG on the same cases:")
        theirs = _score(
            args.benchmark,
            f"{args.pycg} -m pycg --package {{dir}} {{main}} -o {{out}}",
            args.jobs,
            [],
            env,
        )
        print(f"\nsbom-enrich {ours:.1f} s, PyCG {theirs:.1f} s: {ours / theirs:.2f}x PyCG's time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
