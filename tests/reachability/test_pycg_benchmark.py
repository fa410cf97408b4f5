"""The engine on the field's standard call-graph benchmark (PyCG's micro-benchmark).

The benchmark lives outside this repository (``../shared/benchmarks/pycg-micro``, or where
``SBOM_ENRICH_PYCG_BENCHMARK`` points) and is never copied here. Graphs are made in this process
with ``--format pycg``'s exporter and scored by the benchmark's own ``score.py``; the test fails
below the targets of docs/reachability.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sbom_enrich.reachability.analysis import analyze, to_pycg
from sbom_enrich.reachability.index import IndexOptions

BENCHMARK = Path(
    os.environ.get(
        "SBOM_ENRICH_PYCG_BENCHMARK",
        Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "pycg-micro",
    )
)

pytestmark = pytest.mark.skipif(
    not (BENCHMARK / "score.py").is_file(), reason=f"no PyCG benchmark at {BENCHMARK}"
)


def test_the_engine_beats_the_targets_on_the_pycg_micro_benchmark(tmp_path: Path) -> None:
    snippets = BENCHMARK / "snippets"
    cases = sorted(path.parent for path in snippets.glob("*/*/callgraph.json"))
    assert len(cases) == 119
    for case in cases:
        graph = to_pycg(analyze([case], options=IndexOptions(jobs=1)))
        out = tmp_path / "graphs" / case.parent.name / f"{case.name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(graph))
    summary = tmp_path / "score.json"
    command = [sys.executable, str(BENCHMARK / "score.py"), str(snippets)]
    command += ["--precomputed", str(tmp_path / "graphs"), "--json", str(summary)]
    subprocess.run(command, check=True, capture_output=True)
    total = json.loads(summary.read_text())["overall"]
    print(json.dumps(total))
    assert total["precision"] >= 0.98
    assert total["recall"] >= 0.96
    assert total["exact"] >= 110
