"""Poetry's ``poetry.lock``: each ``[[package]]`` with its ``markers``, files and dependencies.

Every group is read (the lock does not say which groups a deployment installs); packages whose
``markers`` exclude this machine are left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.inputs.locked import LockedPackage, LockedProject, marker_holds, sha256_of
from sbom_enrich.inputs.tables import array, read_toml, tables

__all__ = ["read_poetry_lock"]


def read_poetry_lock(data: bytes, source: str) -> LockedProject:
    """The packages ``source`` (a ``poetry.lock``) pins for this machine."""
    document = read_toml(data, source)
    if "metadata" not in document:
        raise MalformedInputError(f"{source}: not a poetry.lock (no [metadata])")
    packages, excluded = [], []
    for raw in tables(document.get("package"), f"{source}: package"):
        name, version = str(raw.get("name", "")), str(raw.get("version", ""))
        markers = raw.get("markers")
        if isinstance(markers, Mapping):  # Poetry 1.x: markers per group
            markers = " or ".join(f"({m})" for m in markers.values()) or None
        if not marker_holds(markers, source):
            excluded.append(name)
            continue
        files = [f.get("hash") for f in array(raw.get("files")) if isinstance(f, Mapping)]
        dependencies = raw.get("dependencies")
        names = tuple(dependencies) if isinstance(dependencies, Mapping) else ()
        packages.append(LockedPackage(name, version, sha256_of(files), names))
    return LockedProject("poetry.lock", tuple(packages), excluded=tuple(excluded))
