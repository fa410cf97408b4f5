"""The lint and type gate: ruff check, ruff format --check and mypy --strict on our packages.

mypy cannot follow setuptools' ``package-dir`` mapping, so it checks a view of the installed
layout: ``sbom_enrich/`` with ``reachability/`` and ``adapters/`` linked in as subpackages.
Messages name the repository's paths again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

SUBPACKAGES = ("reachability", "adapters")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True)


def test_ruff_check() -> None:
    result = _run(["ruff", "check", "."], REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(["ruff", "format", "--check", "."], REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_installed_layout(tmp_path: Path) -> None:
    view = tmp_path / "sbom_enrich"
    view.mkdir()
    for entry in (REPO / "sbom_enrich").iterdir():
        if entry.name != "__pycache__":
            (view / entry.name).symlink_to(entry)
    for name in SUBPACKAGES:
        (view / name).symlink_to(REPO / name)
    result = _run(
        ["mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"), "sbom_enrich"], tmp_path
    )
    output = result.stdout + result.stderr
    for name in SUBPACKAGES:
        output = output.replace(f"sbom_enrich/{name}/", f"{name}/")
    assert result.returncode == 0, output
