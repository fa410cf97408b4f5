"""Where the analyzed code and its installed dependencies live, read without running them.

``--python PATH`` is asked for its search path with ``-I -S`` (isolated, no ``site``), so no
``.pth`` file of the analyzed environment is executed; we read the ``.pth`` files ourselves and
take only their path lines (``import`` lines are recorded, not run).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sbom_enrich.reachability.files import UnreadableFile, read_bounded

__all__ = ["Environment", "UnreadableEnvironmentError", "from_python", "from_site_packages"]

_MAX_PTH_BYTES = 1_000_000

# Without ``site`` a virtual environment's prefix is not applied, so the probe finds the
# environment's directory from ``pyvenv.cfg`` beside the interpreter's directory itself.
_PROBE = """
import json, os, sys, sysconfig
home = os.path.dirname(os.path.dirname(os.path.abspath(sys.argv[1])))
env = {"base": home, "platbase": home} if os.path.exists(os.path.join(home, "pyvenv.cfg")) else {}
print(json.dumps({"path": sys.path, "purelib": sysconfig.get_path("purelib", vars=env),
                  "platlib": sysconfig.get_path("platlib", vars=env)}))
"""


class UnreadableEnvironmentError(Exception):
    """The environment cannot be read (no such interpreter, or it failed)."""


@dataclass(frozen=True)
class Environment:
    """Where installed dependencies live: site-packages and the directories ``.pth`` files add.

    ``base_path`` is the interpreter's own search path (the standard library), which is not
    analyzed.
    """

    site_packages: tuple[Path, ...]
    pth_paths: tuple[Path, ...] = ()
    base_path: tuple[Path, ...] = ()
    pth_imports: tuple[str, ...] = ()
    """``import`` lines of ``.pth`` files, which Python would run and we do not."""

    @property
    def dependency_path(self) -> tuple[Path, ...]:
        """Where dependency modules are looked up, in import order."""
        return (*self.site_packages, *self.pth_paths)


def from_python(python: str) -> Environment:
    """The environment of the interpreter ``python``."""
    try:
        result = subprocess.run(
            [python, "-I", "-S", "-c", _PROBE, python], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UnreadableEnvironmentError(f"{python}: cannot run this interpreter: {err}") from err
    if result.returncode != 0:
        raise UnreadableEnvironmentError(
            f"{python}: interpreter failed: {result.stderr.strip()[:200]}"
        )
    probe = json.loads(result.stdout)
    site = tuple(dict.fromkeys(Path(p) for p in (probe["purelib"], probe["platlib"])))
    base = tuple(Path(p) for p in probe["path"] if p)
    return _with_pth(site, base)


def from_site_packages(directory: str | Path) -> Environment:
    """An environment made of one site-packages directory (and its ``.pth`` paths)."""
    path = Path(directory)
    if not path.is_dir():
        raise UnreadableEnvironmentError(f"{directory}: not a directory")
    return _with_pth((path,), ())


def _with_pth(site: tuple[Path, ...], base: tuple[Path, ...]) -> Environment:
    extra: list[Path] = []
    imports: list[str] = []
    for directory in site:
        for pth in sorted(directory.glob("*.pth")):
            try:
                text = read_bounded(pth, _MAX_PTH_BYTES).decode("utf-8", errors="replace")
            except UnreadableFile:
                continue  # a FIFO or device named .pth, or a huge one: Python would not get far
            for line in text.splitlines():
                stripped = line.strip()
                if not stripped or stripped.startswith("#"):
                    continue
                if stripped.startswith(("import ", "import\t")):
                    imports.append(f"{pth.name}: {stripped}")
                    continue
                candidate = Path(os.path.realpath(directory / stripped))
                if candidate.is_dir():
                    extra.append(candidate)
    return Environment(
        site_packages=site,
        pth_paths=tuple(dict.fromkeys(extra)),
        base_path=base,
        pth_imports=tuple(imports),
    )
