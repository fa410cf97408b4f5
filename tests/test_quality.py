"""The lint and type gate: ruff check, ruff format --check and mypy --strict on our packages.

mypy cannot follow setuptools' ``package-dir`` mapping, so it checks a view of the installed
layout (:mod:`installed_layout`). Messages name the repository's paths again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO
from installed_layout import build_view, repository_paths


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True)


def test_ruff_check() -> None:
    result = _run(["ruff", "check", "."], REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(["ruff", "format", "--check", "."], REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_installed_layout(tmp_path: Path) -> None:
    build_view(tmp_path)
    result = _run(
        ["mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"), "sbom_enrich"], tmp_path
    )
    assert result.returncode == 0, repository_paths(result.stdout + result.stderr)
