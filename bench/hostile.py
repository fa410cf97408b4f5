"""The hostile-input matrix: every regression case, plus the large inputs too slow for CI.

    python bench/hostile.py            # prints tried/passed per area, then timings

Part 1 runs the hostile-input suites of tests/ (each case there is one item of the hardening
issue, built from the same kind of input) and counts the cases per area from pytest's JUnit
report. Part 2 runs what is too large or slow for a test: a 200 MB file that is not JSON, an
SBOM of 10,000 components, a dependency tree with every kind of hostile file, as a user would
(a real ``sbom-enrich`` subprocess), and prints how long each took and how much memory it
used. Exit code 1 if anything failed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITES = {
    "advisories and index answers": "tests/test_hostile_advisories.py",
    "trust and attestations": "tests/test_hostile_trust.py",
    "outputs, credentials, config, escaping": "tests/test_hostile_output.py",
    "SBOM input, state, recordings": "tests/test_hostile_input.py",
    "bad-input corpus": "tests/test_bad_input.py",
    "files under analysis": "tests/reachability/test_hostile_files.py",
    "HTTP client": "tests/test_http.py",
    "killed runs": "tests/test_store.py",
}


def run_suites() -> bool:
    """Part 1: the suites, counted per area."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "junit.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
                *SUITES.values(),
            ],
            cwd=REPO,
            check=False,
            capture_output=True,
        )
        tree = ElementTree.parse(report)
    tried: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    area_of = {path.removesuffix(".py").replace("/", "."): area for area, path in SUITES.items()}
    for case in tree.iter("testcase"):
        area = area_of.get(case.get("classname", ""), "other")
        if case.find("skipped") is not None:
            continue
        tried[area] += 1
        if case.find("failure") is None and case.find("error") is None:
            passed[area] += 1
    print(f"{'area':42} tried passed")
    for area in SUITES:
        print(f"{area:42} {tried[area]:5} {passed[area]:6}")
    total_tried, total_passed = sum(tried.values()), sum(passed.values())
    print(f"{'all':42} {total_tried:5} {total_passed:6}  failures: {total_tried - total_passed}")
    return total_tried == total_passed and total_tried > 0


def _timed(args: list[str], expect: int) -> tuple[bool, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    ok = result.returncode == expect and "Traceback" not in result.stderr
    if not ok:
        print(f"  unexpected: exit {result.returncode}: {result.stderr.strip()[:300]}")
    return ok, elapsed, peak


def run_large() -> bool:
    """Part 2: large inputs through the real command."""
    command = [sys.executable, "-m", "sbom_enrich"]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        big = root / "big.json"
        with big.open("wb") as stream:
            stream.write(b"{")
            for _ in range(200):
                stream.write(b"not json at all " * 65536)
        results.append(
            (
                "200 MB that is not JSON: exit 3",
                _timed([*command, "enrich", str(big), "--offline", "-o", str(root / "o1")], 3),
            )
        )
        components = [
            {
                "type": "library",
                "bom-ref": f"c{i}",
                "name": f"pkg{i}",
                "version": "1.0",
                "purl": f"pkg:pypi/pkg{i}@1.0",
            }
            for i in range(10_000)
        ]
        sbom = root / "10k.json"
        sbom.write_text(
            json.dumps(
                {
                    "bomFormat": "CycloneDX",
                    "specVersion": "1.6",
                    "version": 1,
                    "components": components,
                }
            )
        )
        results.append(
            (
                "10,000 components, --offline, empty cache: exit 0",
                _timed(
                    [
                        *command,
                        "enrich",
                        str(sbom),
                        "--offline",
                        "--state",
                        str(root / "state.sqlite"),
                        "-o",
                        str(root / "o2"),
                    ],
                    0,
                ),
            )
        )
        site = root / "site" / "dep"
        site.mkdir(parents=True)
        hostile = {
            "crash": "x = " + "-" * 100_000 + "1\n",
            "slow": "x = " + "+".join(["a"] * 10_000) + "\n",
            "deep": "x = " + "f(" * 1_500 + ")" * 1_500 + "\n",
        }
        for name, text in hostile.items():
            (site / f"{name}.py").write_text(text)
        os.mkfifo(site / "fifo.py")
        (site / "zero.py").symlink_to("/dev/zero")
        names = [*hostile, "fifo", "zero"]
        (site / "__init__.py").write_text("".join(f"from dep import {n}\n" for n in names))
        app = root / "app"
        app.mkdir()
        (app / "main.py").write_text("import dep\n")
        (app / "loop").symlink_to(app, target_is_directory=True)
        results.append(
            (
                "call graph over crash/hang/deep/FIFO//dev/zero/loop: exit 0",
                _timed(
                    [
                        *command,
                        "callgraph",
                        str(app),
                        "--site-packages",
                        str(root / "site"),
                        "--no-cache",
                        "-o",
                        str(root / "graph.json"),
                    ],
                    0,
                ),
            )
        )
    print(f"\n{'large input':62} {'ok':>3} {'seconds':>8} {'peak MB*':>8}")
    for label, (ok, seconds, peak) in results:
        print(f"{label:62} {'yes' if ok else 'NO':>3} {seconds:8.1f} {peak:8.0f}")
    print("* the largest resident size of any run so far (getrusage of the children)")
    return all(ok for _, (ok, _, _) in results)


if __name__ == "__main__":
    suites_ok = run_suites()
    large_ok = run_large()
    sys.exit(0 if suites_ok and large_ok else 1)
