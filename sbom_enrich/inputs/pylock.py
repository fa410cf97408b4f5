"""PEP 751 ``pylock.toml``: the standard lockfile, as pip (``pip lock``) and uv write it.

Each ``[[packages]]`` entry gives name, version, an optional ``marker``, and its files
(``wheels``, ``sdist``, ``archive``) with hashes, and may pin the publishers it expects
(``[[packages.attestation-identities]]``: ``kind``, ``repository``, ``workflow``,
``environment``), which trust then checks against the verified provenance. Entries whose
marker excludes this machine are left out (a lock may cover several platforms).
"""

from __future__ import annotations

from collections.abc import Mapping

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.inputs.locked import LockedPackage, LockedProject, marker_holds, sha256_of
from sbom_enrich.inputs.tables import array, read_toml, tables

__all__ = ["read_pylock"]


def read_pylock(data: bytes, source: str) -> LockedProject:
    """The packages ``source`` (a ``pylock.toml``) pins; bad TOML or shape is an input error."""
    document = read_toml(data, source)
    if not str(document.get("lock-version", "")).startswith("1."):
        raise MalformedInputError(f"{source}: not a PEP 751 lock (no lock-version 1.x)")
    packages, excluded = [], []
    for index, raw in enumerate(tables(document.get("packages"), f"{source}: packages")):
        name, version = raw.get("name"), raw.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            where = f"{source}: packages[{index}]"
            raise MalformedInputError(f"{where}: needs a name and a version (a pinned release)")
        if not marker_holds(raw.get("marker"), source):
            excluded.append(name)
            continue
        files = [*array(raw.get("wheels")), raw.get("sdist"), raw.get("archive")]
        hashes = [f.get("hashes") for f in files if isinstance(f, Mapping)]
        dependencies = tuple(
            str(d["name"]) for d in array(raw.get("dependencies")) if isinstance(d, Mapping)
        )
        identities = tuple(
            {str(k): str(v) for k, v in i.items()}
            for i in array(raw.get("attestation-identities"))
            if isinstance(i, Mapping) and isinstance(i.get("kind"), str)
        )
        packages.append(LockedPackage(name, version, sha256_of(hashes), dependencies, identities))
    created_by = document.get("created-by")
    tool = f"pylock.toml ({created_by})" if isinstance(created_by, str) else "pylock.toml"
    return LockedProject(tool, tuple(packages), excluded=tuple(excluded))
