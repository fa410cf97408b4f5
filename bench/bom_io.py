"""Benchmark: load + validate + lossless write of a 5,000-component SBOM.

The SBOM is made from the real sample (cyclonedx-py over the demo application's environment) by
replicating its components with fresh bom-refs and purls, dependencies included. Each measurement
runs in a fresh interpreter so that peak memory (max RSS) is its own.

    python bench/bom_io.py [--components N]

Targets (issue 3): ours under 3 s and 400 MB, and within 2x of cyclonedx-python-lib's own
load + serialize of the same file.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sbom" / "linkcheck.env.cdx-1.6.json"


def make_sbom(count: int, target: Path) -> None:
    tree = json.loads(SAMPLE.read_text())
    originals = tree["components"]
    components = []
    dependencies = []
    by_ref = {d["ref"]: d.get("dependsOn", []) for d in tree["dependencies"]}
    for copy_index in range(count // len(originals) + 1):
        for original in originals:
            if len(components) == count:
                break
            component = copy.deepcopy(original)
            suffix = f"-{copy_index}"
            component["bom-ref"] = original["bom-ref"] + suffix
            component["name"] = original["name"] + suffix
            component["purl"] = original["purl"].replace("@", f"{suffix}@", 1)
            components.append(component)
            dependencies.append(
                {
                    "ref": component["bom-ref"],
                    "dependsOn": [r + suffix for r in by_ref.get(original["bom-ref"], [])],
                }
            )
    names = {c["bom-ref"] for c in components}
    for entry in dependencies:
        entry["dependsOn"] = [r for r in entry["dependsOn"] if r in names]
    tree["components"] = components
    tree["dependencies"] = dependencies
    target.write_text(json.dumps(tree, indent=2))


def measure_ours(path: Path, out: Path) -> float:
    from sbom_enrich import load_bom, render_enriched, write_atomically

    started = time.perf_counter()
    document = load_bom(path)
    write_atomically(out, render_enriched(document))
    return time.perf_counter() - started


def measure_library(path: Path, out: Path) -> float:
    from cyclonedx.model.bom import Bom
    from cyclonedx.output.json import JsonV1Dot6

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bom = Bom.from_json(json.loads(path.read_text()))  # type: ignore[attr-defined]
        out.write_text(JsonV1Dot6(bom).output_as_string(indent=2))
    return time.perf_counter() - started


def _child(kind: str, path: Path, out: Path) -> None:
    seconds = (measure_ours if kind == "ours" else measure_library)(path, out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "workers_mb": workers_mb}))


def _run(kind: str, path: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=5000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.cdx.json"
        make_sbom(args.components, source)
        size_mb = source.stat().st_size / 1e6
        print(f"input: {args.components} components, {size_mb:.1f} MB, from {SAMPLE.name}")
        ours = _run("ours", source, Path(tmp) / "ours.json")
        library = _run("lib", source, Path(tmp) / "lib.json")
        print(
            f"sbom-enrich load+validate+write: {ours['seconds']:.2f} s, "
            f"peak {ours['peak_mb']:.0f} MB (largest validation worker {ours['workers_mb']:.0f} MB)"
        )
        print(
            f"cyclonedx-python-lib load+serialize (no validation): {library['seconds']:.2f} s, "
            f"peak {library['peak_mb']:.0f} MB"
        )
        print(f"ratio ours/library: {ours['seconds'] / library['seconds']:.2f}")


if __name__ == "__main__":
    main()
