"""A finding's call path as steps a person reads top to bottom, each with file:line.

Paths inside the working directory are shown relative to it (the application's own frames);
others, in site-packages, are shown from the package directory on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sbom_enrich.model.reach import Reach

__all__ = ["CallStep", "application_path", "call_steps", "path_under"]

_PACKAGE_DIRS = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class CallStep:
    """``caller`` calls ``callee`` at ``where`` (``file:line``)."""

    caller: str
    callee: str
    where: str


def call_steps(reach: Reach) -> list[CallStep]:
    """The steps of ``reach``'s call path, from the application's root to the package."""
    steps = []
    for caller, callee, path, line in reach.path:
        steps.append(CallStep(caller, callee, f"{_shown(path)}:{line}"))
    return steps


def path_under(path: str, root: Path) -> str | None:
    """``path`` (absolute, or relative to the working directory) relative to ``root``, if in it."""
    absolute = Path(path) if os.path.isabs(path) else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def application_path(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` when it is the application's own file there.

    ``None`` outside ``root`` and for installed packages under it (a virtual environment in
    the repository is not the repository's code).
    """
    inside = path_under(path, root) if path else None
    if inside is None or any(marker in inside.split("/") for marker in _PACKAGE_DIRS):
        return None
    return inside


def _shown(path: str) -> str:
    if not path:
        return "?"
    inside = path_under(path, Path.cwd())
    if inside is not None:
        return inside
    absolute = Path(path) if os.path.isabs(path) else Path.cwd() / path
    for marker in _PACKAGE_DIRS:
        if marker in absolute.parts:
            return "/".join(absolute.parts[absolute.parts.index(marker) + 1 :])
    return absolute.as_posix()
