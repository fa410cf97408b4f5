"""Benchmark: time and peak memory to build call graphs, cold and warm cache.

(a) the demo application in samples/app with its pinned dependencies, installed into a private
    virtual environment (wheels only) so that the dependencies' real code is analyzed;
(b) Django's own source tree (a large real codebase from the package index, unpacked, never
    installed or imported), analyzed as an application. Its solving passes the solver's limit
    on values (``IndexOptions.max_values``) and stops: the report says INCOMPLETE then, and
    its times are those of a graph that is not whole.

Each run is a fresh interpreter (the library, not the CLI start-up), so peak memory (max RSS of
the process and of its parse workers) is its own. When pycg is installable, it is run on (a) too.

    python bench/callgraph.py [--jobs N] [--django-version V] [--skip-django] [--skip-pycg]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path
from typing import Any

from _app_env import APP, install_app_environment


def _child(sources: list[str], python: str | None, cache: str | None, jobs: int) -> None:
    from sbom_enrich.reachability.analysis import analyze
    from sbom_enrich.reachability.environment import from_python
    from sbom_enrich.reachability.index import IndexOptions

    started = time.perf_counter()
    environment = from_python(python) if python else None
    analysis = analyze(
        sources,
        environment,
        options=IndexOptions(jobs=jobs, cache_dir=Path(cache) if cache else None),
    )
    seconds = time.perf_counter() - started
    lines = sum(r.facts.lines for r in analysis.files if r.facts is not None)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "lines": lines,
                "files": len(analysis.files),
                "edges": analysis.graph.number_of_edges(),
                "incomplete": analysis.reachability.incomplete,
                "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def _measure(
    sources: list[str], python: str | None, cache: str | None, jobs: int
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", json.dumps([sources, python, cache, jobs])]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _report(label: str, cold: dict[str, Any], warm: dict[str, Any], jobs: int) -> None:
    if cold["incomplete"]:  # solving stopped at its limit: the times are not a whole graph's
        print(f"{label}: {int(cold['lines'])} lines; INCOMPLETE: {cold['incomplete']}")
    per_core = cold["lines"] / cold["seconds"] / jobs
    print(
        f"{label}: {int(cold['files'])} files, {int(cold['lines'])} lines, "
        f"{int(cold['edges'])} edges\n"
        f"  cold {cold['seconds']:.1f} s ({cold['lines'] / cold['seconds']:.0f} lines/s, "
        f"{per_core:.0f} lines/s per core with {jobs} jobs), peak {cold['self_mb']:.0f} MB "
        f"+ workers {cold['workers_mb']:.0f} MB\n"
        f"  warm {warm['seconds']:.2f} s, peak {warm['self_mb']:.0f} MB; "
        f"warm is {cold['seconds'] / warm['seconds']:.1f}x faster"
    )


def _django_tree(work: Path, version: str) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(work / "dl"),
            f"django=={version}",
        ],
        check=True,
    )
    wheel = next((work / "dl").glob("*.whl"))
    target = work / "django-src"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target / "django"


def _purelib(python: str) -> str:
    """The site-packages directory of the interpreter ``python``."""
    return subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _pycg(work: Path, python: str) -> None:
    """Run pycg on (a): the application alone, then with its dependencies' files as entries.

    pycg 0.0.8 on the package index installs its package as ``PyCG`` but imports ``pycg``; a
    directory with a ``pycg`` symlink on PYTHONPATH makes it run.
    """
    pycg_venv = work / "pycg-venv"
    venv.create(pycg_venv, with_pip=True)
    pycg_python = str(pycg_venv / "bin" / "python")
    install = subprocess.run(
        [pycg_python, "-m", "pip", "install", "-q", "pycg"], capture_output=True
    )
    if install.returncode != 0:
        print("pycg: could not be installed")
        return
    site = _purelib(pycg_python)
    shim = work / "pycg-shim"
    shim.mkdir()
    (shim / "pycg").symlink_to(Path(site) / "PyCG")
    app_site = _purelib(python)
    app_files = [str(p) for p in (APP / "src").rglob("*.py")]
    dep_files = [
        str(p)
        for p in Path(app_site).rglob("*.py")
        if not any(
            part in ("pip", "setuptools", "_distutils_hack", "pkg_resources") for part in p.parts
        )
    ]
    for label, package, files in (
        ("application only", str(APP / "src"), app_files),
        ("application + dependency files", app_site, app_files + dep_files),
    ):
        started = time.perf_counter()
        try:
            result = subprocess.run(
                [
                    pycg_python,
                    "-m",
                    "pycg",
                    "--package",
                    package,
                    *files,
                    "-o",
                    str(work / "pycg.json"),
                ],
                capture_output=True,
                text=True,
                timeout=600,
                env={**os.environ, "PYTHONPATH": str(shim)},
            )
        except subprocess.TimeoutExpired:
            print(f"pycg on (a), {label}: did not finish in 600 s")
            continue
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            last = result.stderr.strip().splitlines()[-1:] or ["no message"]
            print(f"pycg on (a), {label}: failed after {seconds:.1f} s: {last[0]}")
            continue
        graph = json.loads((work / "pycg.json").read_text())
        edges = sum(len(v) for v in graph.values())
        print(f"pycg on (a), {label}: {seconds:.1f} s, {len(graph)} nodes, {edges} edges")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--django-version", default="5.1.4")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-django", action="store_true")
    parser.add_argument("--skip-pycg", action="store_true", help="do not install and run pycg")
    args = parser.parse_args()
    if args.child:
        _child(*json.loads(args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        python = install_app_environment(work / "app-venv")
        cache = str(work / "cache-a")
        cold = _measure([str(APP)], python, cache, args.jobs)
        warm = _measure([str(APP)], python, cache, args.jobs)
        _report("(a) samples/app + dependencies", cold, warm, args.jobs)
        serial = _measure([str(APP)], python, None, 1)
        print(f"  serial (1 job, no cache): {serial['seconds']:.1f} s")
        if not args.skip_pycg:
            _pycg(work, python)
        if not args.skip_django:
            tree = _django_tree(work, args.django_version)
            cache = str(work / "cache-b")
            cold = _measure([str(tree)], None, cache, args.jobs)
            warm = _measure([str(tree)], None, cache, args.jobs)
            _report(f"(b) django {args.django_version} sources", cold, warm, args.jobs)


if __name__ == "__main__":
    main()
