"""Dynamic check: run the demo application for real and see which dependency functions ran.

The demo application (samples/app) is installed with its pinned dependencies into a private
virtual environment. A driver then runs, under ``sys.setprofile``, its CLI on a URL that refuses
connections at once (loopback, port 9) and its Flask views through Flask's test client. Every
function of a dependency that ran is recorded, and those called directly from application code
are marked. The static call graph (``reachability``, default roots) must find 100% of the
directly called ones reachable; the script prints every miss with the reason the verdict gives.

    python bench/dynamic_recall.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _app_env import APP, install_app_environment

DRIVER = r"""
import json, sys, sysconfig
sys.path.insert(0, sys.argv[1])
stdlib = sysconfig.get_paths()["stdlib"]
ran, direct = set(), set()

def module_of(frame):
    return frame.f_globals.get("__name__", "")

def profile(frame, event, arg):
    if event != "call":
        return
    code = frame.f_code
    if code.co_filename.startswith(stdlib) and "site-packages" not in code.co_filename:
        return
    module = module_of(frame)
    if module.startswith("linkcheck") or not code.co_filename.endswith(".py"):
        return
    qualname = code.co_qualname.replace("<locals>.", "")
    if "<" in qualname or not code.co_flags & 1:
        return  # lambdas, comprehensions; class and module bodies are not functions
    name = module + "." + qualname
    ran.add(name)
    caller = frame.f_back
    if caller is not None and module_of(caller).startswith("linkcheck"):
        direct.add(name)

sys.setprofile(profile)
from linkcheck.cli import main
from linkcheck.web import app
try:
    main(["http://127.0.0.1:9/"], standalone_mode=False)
except SystemExit:
    pass
client = app.test_client()
client.post("/check", json={"urls": ["http://127.0.0.1:9/"]})
client.post("/report", data={"url": ["http://127.0.0.1:9/"]})
sys.setprofile(None)
print(json.dumps({"ran": sorted(ran), "direct": sorted(direct)}))
"""


def main() -> None:
    from sbom_enrich.reachability.analysis import analyze
    from sbom_enrich.reachability.environment import from_python
    from sbom_enrich.reachability.index import IndexOptions

    with tempfile.TemporaryDirectory() as tmp:
        python = install_app_environment(Path(tmp) / "env")
        run = subprocess.run(
            [python, "-c", DRIVER, str(APP / "src")], capture_output=True, text=True, check=True
        )
        observed = json.loads(run.stdout.strip().splitlines()[-1])
        analysis = analyze([APP], from_python(python), options=IndexOptions())
    reach = analysis.reachability
    for label in ("direct", "ran"):
        names = observed[label]
        found = [name for name in names if reach.is_reachable(name)]
        print(
            f"{label}: {len(found)}/{len(names)} dependency functions found reachable "
            f"({100 * len(found) / max(1, len(names)):.1f}%)"
        )
        misses = [name for name in names if not reach.is_reachable(name)]
        wrong = [name for name in misses if reach.verdict(name).verdict == "not-reachable"]
        print(
            f"  of the {len(misses)} misses, {len(wrong)} were called not-reachable (the "
            "dangerous kind); the rest are unknown"
        )
        for name in wrong:
            print(f"  NOT-REACHABLE but ran: {name}: {reach.verdict(name).reason}")
        for name in misses[: 40 if label == "ran" else None]:
            verdict = reach.verdict(name)
            print(f"  miss: {name}: {verdict.verdict} ({verdict.reason})")
        if len(misses) > 40 and label == "ran":
            print(f"  ... and {len(misses) - 40} more")
    if len([n for n in observed["direct"] if not reach.is_reachable(n)]):
        sys.exit(1)


if __name__ == "__main__":
    main()
