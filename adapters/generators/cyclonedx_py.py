"""CycloneDX's own generator for Python (cyclonedx-py, the ``cyclonedx-bom`` distribution).

It reads an environment's installed distributions or a requirements file and writes CycloneDX
1.6 JSON. It runs in a child process of this interpreter (its library interface is internal).
For an environment, cyclonedx-py would start the target interpreter *with* ``site``, which
runs the environment's ``.pth`` files; instead the search path is found the way the call-graph
engine finds it (:func:`sbom_enrich.reachability.environment.from_python`: the interpreter
runs isolated and without ``site``, and ``.pth`` path lines are read, never run), and
cyclonedx-py reads the distributions on that path from inside our own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.reachability.environment import UnreadableEnvironmentError, from_python

__all__ = ["GeneratorError", "environment_sbom", "requirements_sbom"]

_TIMEOUT = 300.0

# cyclonedx-py's environment builder reads ``sys.path`` when given no interpreter: load it,
# then point the path at the target's directories (and our standard library) and run it.
_ON_PATH = """
import json, sys
from cyclonedx_py._internal.cli import run
import cyclonedx_py._internal.environment
target, stdlib, arguments = json.loads(sys.argv[1])
sys.path[:] = [*target, *stdlib]
sys.exit(run(argv=arguments, prog="cyclonedx-py"))
"""


class GeneratorError(AdapterError):
    """cyclonedx-py could not turn the input into CycloneDX; the message says why."""


def environment_sbom(python: Path) -> bytes:
    """The CycloneDX JSON of the environment whose interpreter is ``python``."""
    try:
        environment = from_python(str(python))
    except UnreadableEnvironmentError as err:
        raise GeneratorError(str(err)) from err
    target = [str(p) for p in (*environment.site_packages, *environment.pth_paths)]
    stdlib = sorted({sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")})
    arguments = ["environment", *_OUTPUT]
    script = [sys.executable, "-c", _ON_PATH, json.dumps([target, stdlib, arguments])]
    return _run(script, str(python))


def requirements_sbom(path: Path) -> bytes:
    """The CycloneDX JSON of a requirements file (pinned versions and hashes are kept)."""
    if not path.is_file():
        raise GeneratorError(f"{path}: no such file")
    command = [sys.executable, "-m", "cyclonedx_py", "requirements", str(path), *_OUTPUT]
    return _run(command, str(path))


_OUTPUT = ["--sv", "1.6", "--of", "JSON", "-o", "-", "--no-validate"]


def _run(command: list[str], what: str) -> bytes:
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GeneratorError(f"{what}: cyclonedx-py did not run: {err}") from err
    if result.returncode != 0 or not result.stdout.strip():
        lines = result.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit code {result.returncode}"
        reason = reason.rpartition("CDX > ")[2].replace("|n", ": ")
        raise GeneratorError(f"{what}: cyclonedx-py could not read it: {reason}")
    return result.stdout
