"""Real applications nobody here wrote: what their own tests run, and what we decide about it.

Each application in ``APPS`` is installed from PyPI with pinned, partly outdated dependencies
(``bench/data/real_apps/APP.txt``, wheels only) into a private virtual environment. Its own test
suite, taken from its sdist, then runs under ``sys.setprofile`` (never during analysis): every
module of a dependency that was imported and every dependency function that ran is recorded,
and those called directly from the application's code are marked; so is every function of the
application's own package that its own code or a dependency called (``own_ran``). That
ground truth is committed as ``bench/data/real_apps/APP.json``.

The comparison analyzes the installed application (its package, without its tests) as a user
would, with ``sbom-enrich enrich --project --python --advisory-db`` against the PyPA advisory
snapshot, and prints per application: the advisories and their verdicts, the noise cut, how
many advisories of packages that never ran are ``not-reachable``, the false ``not-reachable``
(advisories whose package, or whose curated function, ran), and through the library which of
the functions that ran, and which of those the application calls directly, are reachable, and
that none of the application's own functions that ran is ``not-reachable``.

    python bench/real_apps.py trace [APP ...]    # record the ground truth (a few minutes each)
    python bench/real_apps.py [APP ...]          # compare with it
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench" / "data" / "real_apps"
SNAPSHOT = REPO / "tests" / "fixtures" / "advisories" / "pypa-advisory-database-3ccb612.zip"


@dataclass(frozen=True)
class App:
    """An application: its distribution and package, and how its own tests run."""

    distribution: str
    version: str
    package: str
    test_requirements: tuple[str, ...]
    test_command: tuple[str, ...]
    """Arguments of ``python -m`` in the extracted sdist (its tests import the installed code)."""
    tests_inside_package: bool = False


APPS = {
    "httpbin": App(
        "httpbin",
        "0.10.1",
        "httpbin",
        ("pytest==7.4.4",),
        ("pytest", "-q", "-p", "no:cacheprovider", "tests"),
    ),
    "cookiecutter": App(
        "cookiecutter",
        "2.1.1",
        "cookiecutter",
        ("pytest==7.4.4", "pytest-mock==3.11.1", "freezegun==1.2.2"),
        ("pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"),  # no --cov
    ),
    "mkdocs": App(
        "mkdocs",
        "1.4.2",
        "mkdocs",
        (),
        ("unittest", "discover", "-p", "*tests.py", "mkdocs", "--top-level-directory", "."),
        tests_inside_package=True,
    ),
}

TRACER = r"""
import json, runpy, sys, sysconfig, threading
out, app = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[3:]
stdlib = sysconfig.get_paths()["stdlib"]
ran, direct, imported, callers = set(), set(), set(), {}

def is_app(module):
    return (module == app or module.startswith(app + ".")) and ".tests" not in module

def profile(frame, event, arg):
    if event != "call":
        return
    code = frame.f_code
    if code.co_filename.startswith(stdlib) and "-packages" not in code.co_filename:
        return
    module = frame.f_globals.get("__name__") or ""
    if code.co_name == "<module>":
        imported.add(module)
        return
    qualname = code.co_qualname.replace("<locals>.", "")
    if "<" in qualname or not code.co_flags & 1:
        return  # lambdas, comprehensions, class bodies
    name = module + "." + qualname
    ran.add(name)
    caller = frame.f_back
    caller_module = (caller.f_globals.get("__name__") or "") if caller is not None else ""
    if is_app(caller_module):
        direct.add(name)
    if is_app(module):
        callers.setdefault(name, set()).add(caller_module)

threading.setprofile(profile)
sys.setprofile(profile)
status = 0
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
except SystemExit as stop:
    status = int(stop.code) if isinstance(stop.code, (int, bool)) else 1
finally:
    sys.setprofile(None)
    threading.setprofile(None)
with open(out, "w") as handle:
    json.dump({"status": status, "ran": sorted(ran), "direct": sorted(direct),
               "imported": sorted(imported),
               "callers": {name: sorted(found) for name, found in callers.items()}}, handle)
"""


def install(app: App, directory: Path) -> str:
    """A virtual environment with the application's pinned requirements; its interpreter."""
    venv.create(directory, with_pip=True)
    python = str(directory / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--only-binary=:all:"]
    subprocess.run([*pip, "-r", str(DATA / f"{app.distribution}.txt")], check=True)
    return python


def installed(python: str) -> dict[str, str]:
    """Distribution name -> version in the environment of ``python``."""
    report = subprocess.run(
        [python, "-m", "pip", "inspect"], capture_output=True, text=True, check=True
    )
    return {
        entry["metadata"]["name"]: entry["metadata"]["version"]
        for entry in json.loads(report.stdout)["installed"]
    }


def site_packages(python: str) -> Path:
    found = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip())


def trace(name: str, work: Path) -> None:
    """Run the application's tests under the tracer and write its ground truth."""
    app = APPS[name]
    python = install(app, work / "env")
    versions = installed(python)
    if app.test_requirements:
        pip = [python, "-m", "pip", "install", "-q", "--only-binary=:all:"]
        subprocess.run([*pip, *app.test_requirements], check=True)
    test_only = set(installed(python)) - set(versions)
    download = [python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:"]
    subprocess.run([*download, f"{app.distribution}=={app.version}", "-d", str(work)], check=True)
    sdist = next(work.glob(f"{app.distribution}-{app.version}.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(work, filter="data")
    source = work / f"{app.distribution}-{app.version}"
    if not app.tests_inside_package:
        shutil.rmtree(source / app.package)  # the tests import the installed package
    observed = work / "observed.json"
    tracer = work / "tracer.py"
    tracer.write_text(TRACER)
    subprocess.run([python, str(tracer), str(observed), app.package, *app.test_command], cwd=source)
    result = json.loads(observed.read_text())
    owners = _module_owners(site_packages(python))

    def own(module: str) -> bool:
        inside = module == app.package or module.startswith(f"{app.package}.")
        return inside and ".tests" not in module

    def dependency(dotted: str) -> bool:
        owner = owners.get(dotted.partition(".")[0])
        return owner is not None and owner != app.distribution and owner not in test_only

    truth = {
        "application": f"{app.distribution}=={app.version}",
        "python": sys.version.split()[0],
        "installed": dict(sorted(versions.items())),
        "tests": {"command": " ".join(app.test_command), "status": result["status"]},
        "imported": [m for m in result["imported"] if dependency(m)],
        "ran": [f for f in result["ran"] if dependency(f)],
        "direct": [f for f in result["direct"] if dependency(f)],
        # the application's own functions that its own code or a dependency called (not only
        # its tests: a helper only they use is rightly not reachable from the application)
        "own_ran": sorted(
            function
            for function, modules in result["callers"].items()
            if ".tests." not in function and any(own(m) or dependency(m) for m in modules)
        ),
    }
    path = DATA / f"{name}.json"
    path.write_text(json.dumps(truth, indent=1) + "\n")
    print(
        f"{name}: tests exit {result['status']}; {len(truth['imported'])} dependency modules "
        f"imported, {len(truth['ran'])} functions ran, {len(truth['direct'])} called directly"
        f" -> {path.relative_to(REPO)}"
    )


def _module_owners(site: Path) -> dict[str, str]:
    """Top-level module -> the distribution that installed it (from RECORD files)."""
    owners: dict[str, str] = {}
    for record in site.glob("*.dist-info/RECORD"):
        distribution = record.parent.name.rsplit("-", 1)[0]
        metadata = (record.parent / "METADATA").read_text(errors="replace")
        found = re.search(r"^Name: (.+)$", metadata, re.MULTILINE)
        distribution = found.group(1).strip() if found else distribution
        for line in record.read_text().splitlines():
            top = line.split(",")[0].split("/")[0]
            if top.endswith(".py"):
                top = top[:-3]
            if top and ".dist-info" not in top and not top.startswith("__"):
                owners.setdefault(top, distribution)
    return owners


def compare(name: str, work: Path) -> dict[str, int]:
    """Analyze and enrich the installed application; print its figures against the truth."""
    from sbom_enrich.cli.common import callgraph_cache
    from sbom_enrich.reachability.analysis import analyze
    from sbom_enrich.reachability.environment import from_python
    from sbom_enrich.reachability.index import IndexOptions

    app = APPS[name]
    truth = json.loads((DATA / f"{name}.json").read_text())
    python = install(app, work / "env")
    project = work / "project"
    shutil.copytree(
        site_packages(python) / app.package,
        project / app.package,
        ignore=shutil.ignore_patterns("tests", "__pycache__"),
    )
    sbom = work / "sbom.cdx.json"
    sbom.write_text(json.dumps(_sbom(app, installed(python))))
    report = work / "report.json"
    enrich = [
        sys.executable,
        "-m",
        "sbom_enrich",
        "enrich",
        str(sbom),
        "-o",
        str(work / "out.json"),
    ]
    enrich += ["--offline", "--state", str(work / "state.sqlite3"), "-q"]
    enrich += ["--advisory-db", str(SNAPSHOT), "--no-pypi-advisories"]
    enrich += ["--project", str(project), "--python", python, "--report", f"json:{report}"]
    subprocess.run(enrich, check=True)
    findings = [
        f for f in json.loads(report.read_text())["findings"] if f["kind"] == "vulnerability"
    ]
    imported = set(truth["imported"])
    ran = set(truth["ran"])
    owners = _module_owners(site_packages(python))
    ran_packages = {owners.get(module.partition(".")[0]) for module in imported}
    counts = dict.fromkeys(("reachable", "imported", "not-reachable", "unknown"), 0)
    never_ran = decided = wrong = 0
    print(f"== {name} ({truth['application']}, tests exit {truth['tests']['status']})")
    for finding in findings:
        component = finding["component"]["name"]
        verdict = finding["reachability"]
        counts[verdict["verdict"]] += 1
        package_ran = component in ran_packages
        symbols = set(re.findall(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+", verdict["reason"]))
        false = verdict["verdict"] == "not-reachable" and (
            (verdict["granularity"] != "function" and package_ran) or bool(symbols & ran)
        )
        never_ran += not package_ran
        decided += not package_ran and verdict["verdict"] == "not-reachable"
        wrong += false
        mark = "FALSE not-reachable" if false else ("ran" if package_ran else "never ran")
        print(
            f"  {finding['id']:<17} {component:<12} {verdict['verdict']:<13} "
            f"[{mark}] {verdict['reason'][:110]}"
        )
    total = len(findings)
    print(
        f"  advisories {total}: "
        + ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
        + f"; noise cut {counts['not-reachable']}/{total}"
        + f" ({100 * counts['not-reachable'] / max(1, total):.0f}%)"
    )
    print(
        f"  of {never_ran} advisories whose package never ran, {decided} are not-reachable "
        f"({100 * decided / max(1, never_ran):.0f}%); false not-reachable: {wrong}"
    )
    # the same files as enrich just solved: the solution comes from its cache
    options = IndexOptions(cache_dir=callgraph_cache())
    reach = analyze([project], from_python(python), options=options).reachability
    false_functions = 0
    groups = (("direct", "direct", "dependency"), ("ran", "ran", "dependency"))
    for label, key, whose in (*groups, ("application", "own_ran", "of its own")):
        names = truth.get(key, [])
        found = sum(1 for function in names if reach.is_reachable(function))
        false = [f for f in names if reach.verdict(f).verdict == "not-reachable"]
        false_functions += 0 if key == "direct" else len(false)  # direct calls ran too
        print(
            f"  {label}: {found}/{len(names)} {whose} functions reachable "
            f"({100 * found / max(1, len(names)):.1f}%), {len(false)} called not-reachable"
        )
        for function in false[:10]:
            print(f"    NOT-REACHABLE but ran: {function}: {reach.verdict(function).reason}")
    missed = [f for f in truth["direct"] if not reach.is_reachable(f)]
    for function in missed[:10]:
        print(f"    direct miss: {function}: {reach.verdict(function).reason[:120]}")
    return {"false": wrong + false_functions, "misses": len(missed)}


def _sbom(app: App, versions: dict[str, str]) -> dict[str, object]:
    """A CycloneDX 1.6 document listing the environment's distributions (pip, setuptools too)."""
    components = [
        {
            "type": "library",
            "bom-ref": f"pkg:pypi/{name.lower()}@{version}",
            "name": name,
            "version": version,
            "purl": f"pkg:pypi/{name.lower()}@{version}",
        }
        for name, version in sorted(versions.items())
        if name != app.distribution
    ]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "component": {
                "type": "application",
                "bom-ref": app.distribution,
                "name": app.distribution,
                "version": app.version,
            }
        },
        "components": components,
    }


def main() -> None:
    arguments = sys.argv[1:]
    recording = bool(arguments) and arguments[0] == "trace"
    names = (arguments[1:] if recording else arguments) or list(APPS)
    failed = 0
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            if recording:
                trace(name, Path(tmp))
            else:
                outcome = compare(name, Path(tmp))
                failed += outcome["false"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
