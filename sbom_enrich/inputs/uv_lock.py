"""uv's ``uv.lock``: every package of a project, with the edges between them.

The root is the package whose source is the project itself (``virtual`` or ``editable``);
what is installed is what its ``dependencies`` reach, following only edges whose marker holds
on this machine (``colorama`` behind ``sys_platform == 'win32'`` is left out on Linux).
Development groups are not followed. A lock without a root lists every registry package.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from packaging.utils import canonicalize_name

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.inputs.locked import LockedPackage, LockedProject, marker_holds, sha256_of
from sbom_enrich.inputs.tables import array, read_toml, tables

__all__ = ["read_uv_lock"]

_PROJECT_SOURCES = ("virtual", "editable")


def read_uv_lock(data: bytes, source: str) -> LockedProject:
    """The packages ``source`` (a ``uv.lock``) installs here, and its root project."""
    document = read_toml(data, source)
    if "version" not in document:
        raise MalformedInputError(f"{source}: not a uv.lock (no version)")
    raw_packages = tables(document.get("package"), f"{source}: package")
    edges: dict[str, list[str]] = {}
    locked: dict[str, LockedPackage] = {}
    root = None
    for raw in raw_packages:
        name = canonicalize_name(str(raw.get("name", "")))
        followed = [
            str(d["name"])
            for d in array(raw.get("dependencies"))
            if isinstance(d, Mapping) and "name" in d and marker_holds(d.get("marker"), source)
        ]
        edges[name] = followed
        package = LockedPackage(
            str(raw.get("name")),
            str(raw.get("version", "")),
            sha256_of(_hashes(raw)),
            tuple(followed),
        )
        if _is_project(raw.get("source")):
            root = package
        else:
            locked[name] = package
    if root is None:
        return LockedProject("uv.lock", tuple(locked.values()))
    reached = _reached(canonicalize_name(root.name), edges)
    packages = tuple(p for n, p in locked.items() if n in reached)
    excluded = tuple(p.name for n, p in locked.items() if n not in reached)
    return LockedProject("uv.lock", packages, root=root, excluded=excluded)


def _is_project(value: object) -> bool:
    return isinstance(value, Mapping) and any(key in value for key in _PROJECT_SOURCES)


def _hashes(raw: Mapping[str, Any]) -> list[object]:
    files = [*array(raw.get("wheels")), raw.get("sdist")]
    return [f.get("hash") for f in files if isinstance(f, Mapping)]


def _reached(root: str, edges: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [root]
    while stack:
        for target in map(canonicalize_name, edges.get(stack.pop(), ())):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen
