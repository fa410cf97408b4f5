"""Compare sbom-enrich's advisories with pip-audit's, on the same environment and the same data.

    python bench/compare_pip_audit.py [--python ENV_PYTHON] [--advisory-db ZIP]

1. Takes a real environment (``--python``; default: a venv of the sample application's pinned
   requirements, made once under ``.bench-env/``, wheels only) and makes its SBOM with
   ``cyclonedx-py environment``.
2. Serves the advisory database on loopback as an OSV-compatible ``/v1/query`` endpoint, and
   runs ``pip-audit --vulnerability-service osv --osv-url ...`` on the environment. The server
   answers like OSV's API does: a record matches when the queried version is in an
   ``affected[].versions`` list (OSV's enumerated versions), so it does not share our range code.
3. Runs ``sbom-enrich enrich SBOM --advisory-db ZIP --no-pypi-advisories --offline``.
4. Prints both advisory sets, the difference (matched through aliases) and both timings; then
   the same for bench/data/requirements-320.txt (pip-audit ``-r --no-deps``) against the
   320-component SBOM, and the warm-index lookup time for those 320 components.

Needs pip-audit and cyclonedx-bom on PATH or in this interpreter's environment; no network
except to build the default environment.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO / "tests" / "fixtures" / "advisories" / "pypa-advisory-database-3ccb612.zip"
BENCH_SBOM = REPO / "bench" / "data" / "bench-320.cdx.json"
BENCH_REQUIREMENTS = REPO / "bench" / "data" / "requirements-320.txt"


def load_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    by_project: dict[str, list[dict[str, Any]]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".yaml", ".json")):
                raw = archive.read(name)
                record = json.loads(raw) if name.endswith(".json") else yaml.safe_load(raw)
                record = json.loads(json.dumps(record, default=_rfc3339))
                for affected in record.get("affected") or ():
                    package = affected.get("package") or {}
                    if package.get("ecosystem") == "PyPI":
                        key = canonicalize_name(package["name"])
                        by_project.setdefault(key, []).append(record)
    return by_project


def _rfc3339(value: object) -> str:
    """YAML timestamps as OSV's API writes them (``2023-08-03T19:36:12Z``)."""
    if isinstance(value, datetime):
        utc = value.astimezone(timezone.utc) if value.tzinfo else value
        fraction = f".{utc.microsecond:06d}" if utc.microsecond else ""
        return utc.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"
    return str(value)


@contextmanager
def osv_server(records: dict[str, list[dict[str, Any]]]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = canonicalize_name(query["package"]["name"])
            version = query["version"]
            vulns = [
                r
                for r in records.get(name, ())
                if not r.get("withdrawn")
                and any(
                    canonicalize_name(a["package"]["name"]) == name
                    and version in [str(v) for v in a.get("versions") or ()]
                    for a in r.get("affected") or ()
                )
            ]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        sys.exit(
            f"{name} not found: pip install {'cyclonedx-bom' if 'cyclonedx' in name else name}"
        )
    return found


def default_environment() -> str:
    env = REPO / ".bench-env"
    python = env / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--only-binary=:all:",
                "-r",
                str(REPO / "samples" / "app" / "requirements.txt"),
            ],
            check=True,
        )
    return str(python)


def pip_audit(
    args: list[str], osv_url: str, cache: Path
) -> tuple[dict[str, set[frozenset[str]]], float]:
    command = [
        tool("pip-audit"),
        *args,
        "--vulnerability-service",
        "osv",
        "--osv-url",
        osv_url,
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--cache-dir",
        str(cache),
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1) or not result.stdout.strip():
        sys.exit(f"pip-audit failed ({result.returncode}): {result.stderr[-2000:]}")
    found: dict[str, set[frozenset[str]]] = {}
    for dependency in json.loads(result.stdout)["dependencies"]:
        for vuln in dependency.get("vulns", []):
            key = f"{canonicalize_name(dependency['name'])} {dependency['version']}"
            found.setdefault(key, set()).add(frozenset([vuln["id"], *vuln.get("aliases", [])]))
    return found, elapsed


def ours(sbom: Path, database: Path, scratch: Path) -> tuple[dict[str, set[frozenset[str]]], float]:
    out = scratch / "enriched.json"
    command = [
        sys.executable,
        "-m",
        "sbom_enrich",
        "enrich",
        str(sbom),
        "-o",
        str(out),
        "-q",
        "--offline",
        "--no-pypi-advisories",
        "--advisory-db",
        str(database),
        "--state",
        str(scratch / "state.sqlite"),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    elapsed = time.perf_counter() - start
    tree = json.loads(out.read_text())
    refs = {c.get("bom-ref"): c for c in _components(tree)}
    found: dict[str, set[frozenset[str]]] = {}
    for vuln in tree.get("vulnerabilities", []):
        component = refs[vuln["affects"][0]["ref"]]
        key = f"{canonicalize_name(component['name'])} {component['version']}"
        ids = {vuln["id"], *(r["id"] for r in vuln.get("references", []))}
        found.setdefault(key, set()).add(frozenset(ids))
    return found, elapsed


def _components(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = list(tree.get("components", []))
    while stack:
        component = stack.pop()
        yield component
        stack.extend(component.get("components", []))


def compare(
    label: str, theirs: dict[str, set[frozenset[str]]], mine: dict[str, set[frozenset[str]]]
) -> int:
    missing = extra = 0
    print(f"\n== {label}")
    for key in sorted(set(theirs) | set(mine)):
        for group in sorted(theirs.get(key, ()), key=sorted):
            hit = any(group & other for other in mine.get(key, ()))
            missing += not hit
            print(f"  {'both     ' if hit else 'MISSED   '} {key}: {min(group)}")
        for group in sorted(mine.get(key, ()), key=sorted):
            if not any(group & other for other in theirs.get(key, ())):
                extra += 1
                print(f"  only ours {key}: {min(group)}")
    total_theirs = sum(len(v) for v in theirs.values())
    total_mine = sum(len(v) for v in mine.values())
    print(
        f"  pip-audit: {total_theirs}, sbom-enrich: {total_mine}; "
        f"missed by sbom-enrich: {missing}; found only by sbom-enrich: {extra}"
    )
    return missing


def warm_lookup(database: Path, scratch: Path) -> float:
    from sbom_enrich import load_bom
    from sbom_enrich.adapters.advisories.database import AdvisoryDatabase
    from sbom_enrich.adapters.store.state import StateStore

    document = load_bom(BENCH_SBOM)
    pins = [(canonicalize_name(c.name), c.version or "") for c in document.components]
    with StateStore(scratch / "lookup.sqlite") as store:
        AdvisoryDatabase(database, store)  # build the index (cold)
        start = time.perf_counter()
        warm = AdvisoryDatabase(database, store)
        for project, version in pins:
            warm.advisories(project, version)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", help="interpreter of the environment to audit")
    parser.add_argument("--advisory-db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()
    python = args.python or default_environment()
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    records = load_records(args.advisory_db)
    missed = 0
    with tempfile.TemporaryDirectory() as scratch_dir, osv_server(records) as url:
        scratch = Path(scratch_dir)
        sbom = scratch / "env.cdx.json"
        subprocess.run(
            [tool("cyclonedx-py"), "environment", "--sv", "1.6", "-o", str(sbom), python],
            check=True,
            capture_output=True,
        )
        theirs, audit_time = pip_audit(["--path", purelib], url, scratch / "cache-env")
        mine, our_time = ours(sbom, args.advisory_db, scratch / "env")
        missed += compare(f"environment {python}", theirs, mine)
        print(f"  time: pip-audit {audit_time:.2f} s, sbom-enrich {our_time:.2f} s (whole run)")
        theirs, audit_time = pip_audit(
            ["-r", str(BENCH_REQUIREMENTS), "--no-deps", "--disable-pip"],
            url,
            scratch / "cache-320",
        )
        (scratch / "320").mkdir()
        mine, our_time = ours(BENCH_SBOM, args.advisory_db, scratch / "320")
        missed += compare("bench/data/requirements-320.txt", theirs, mine)
        print(f"  time: pip-audit {audit_time:.2f} s, sbom-enrich {our_time:.2f} s (whole run)")
        lookup = warm_lookup(args.advisory_db, scratch)
        print(f"\nadvisory lookup, 320 components, warm index: {lookup * 1000:.0f} ms")
    print(f"advisories pip-audit reports that sbom-enrich missed: {missed}")


if __name__ == "__main__":
    main()
