"""The lint and type gate: ruff check, ruff format --check and mypy --strict on our packages."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

PACKAGES = ["sbom_enrich", "reachability", "adapters"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", "--strict", *PACKAGES],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_gate(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
