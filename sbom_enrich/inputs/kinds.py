"""What kind of input a path is: a CycloneDX SBOM, a lockfile, or a requirements file.

Lockfiles are known by their standard names (``pylock.toml`` and ``pylock.<name>.toml`` from
PEP 751, ``uv.lock``, ``poetry.lock``), requirements files by ``.txt``/``.in`` names containing
``requirements`` or ``constraints``; anything else is read as CycloneDX (JSON or XML), which
says what it is not when it is not one. ``--input-kind`` overrides the guess.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

__all__ = ["INPUT_KINDS", "InputFileKind", "input_kind", "inputs_in"]

InputFileKind = Literal["cyclonedx", "pylock", "uv-lock", "poetry-lock", "requirements"]

INPUT_KINDS: tuple[InputFileKind, ...] = (
    "cyclonedx",
    "pylock",
    "uv-lock",
    "poetry-lock",
    "requirements",
)

_PYLOCK = re.compile(r"^pylock(\.[^.]+)?\.toml$")
_REQUIREMENTS = re.compile(r"(requirements|constraints).*\.(txt|in)$")


def input_kind(path: Path) -> InputFileKind:
    """The kind a file's name says it is."""
    name = path.name.lower()
    if _PYLOCK.match(name):
        return "pylock"
    if name == "uv.lock":
        return "uv-lock"
    if name == "poetry.lock":
        return "poetry-lock"
    if _REQUIREMENTS.search(name):
        return "requirements"
    return "cyclonedx"


def inputs_in(directory: Path) -> list[str]:
    """The files in ``directory`` that could be an input, for the hint when one is given."""
    try:
        names = sorted(p.name for p in directory.iterdir() if p.is_file())
    except OSError:
        return []
    return [n for n in names if input_kind(Path(n)) != "cyclonedx" or n.endswith(".cdx.json")]
