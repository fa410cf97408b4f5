"""Shared by the benchmarks: install the demo application's pinned dependencies privately."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "samples" / "app"


def install_app_environment(directory: Path) -> str:
    """Create a virtual environment in ``directory`` with samples/app's requirements (wheels
    only) and return its interpreter."""
    venv.create(directory, with_pip=True)
    python = str(directory / "bin" / "python")
    requirements = str(APP / "requirements.txt")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--only-binary=:all:", "-r", requirements],
        check=True,
    )
    return python
