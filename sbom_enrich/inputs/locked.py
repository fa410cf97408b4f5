"""What a lockfile pins, and the CycloneDX document that says the same.

Each locked package becomes a ``pkg:pypi`` component with the SHA-256 of every file the lock
lists; the lock's dependency edges become ``dependencies[]`` from the root project. Packages
whose environment marker excludes this machine (``sys_platform == 'win32'`` on Linux) are left
out and counted, as an installer here would leave them out.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.version import __version__

__all__ = [
    "PINNED_IDENTITY",
    "LockedPackage",
    "LockedProject",
    "cyclonedx_tree",
    "marker_holds",
    "sha256_of",
]

PINNED_IDENTITY = "sbom-enrich:lock:attestation-identity"
"""The property that carries one pinned attestation identity (JSON) on a component."""


@dataclass(frozen=True)
class LockedPackage:
    """One pinned package: name, version, file digests and the names it depends on."""

    name: str
    version: str
    sha256: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    identities: tuple[Mapping[str, str], ...] = ()
    """PEP 751 ``attestation-identities``: the publishers the lock expects."""


@dataclass(frozen=True)
class LockedProject:
    """What a lockfile pins: the root project (when it names one) and the packages."""

    tool: str
    packages: tuple[LockedPackage, ...]
    root: LockedPackage | None = None
    excluded: tuple[str, ...] = field(default=())
    """Packages left out because their marker excludes this machine."""


def marker_holds(marker: object, source: str) -> bool:
    """Whether an environment marker holds here; no marker always holds."""
    if marker is None or marker == "":
        return True
    try:
        return Marker(str(marker)).evaluate({"extra": ""})
    except InvalidMarker as err:
        reason = str(err).splitlines()[0]
        raise MalformedInputError(
            f"{source}: invalid environment marker {marker!r}: {reason}"
        ) from err


def _purl(package: LockedPackage) -> str:
    return f"pkg:pypi/{canonicalize_name(package.name)}@{package.version}"


def _component(package: LockedPackage, kind: str) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": kind,
        "bom-ref": _purl(package),
        "name": package.name,
        "version": package.version,
        "purl": _purl(package),
    }
    if package.sha256:
        component["hashes"] = [{"alg": "SHA-256", "content": d} for d in package.sha256]
    if package.identities:
        component["properties"] = [
            {"name": PINNED_IDENTITY, "value": json.dumps(dict(i), sort_keys=True)}
            for i in package.identities
        ]
    return component


def cyclonedx_tree(project: LockedProject, source: str) -> dict[str, Any]:
    """The CycloneDX 1.6 JSON tree of ``project``, read from ``source``."""
    by_name: dict[str, LockedPackage] = {canonicalize_name(p.name): p for p in project.packages}
    metadata: dict[str, Any] = {
        "tools": {
            "components": [
                {"type": "application", "name": "sbom-enrich", "version": __version__},
            ]
        },
        "properties": [
            {"name": "sbom-enrich:input:source", "value": source},
            {"name": "sbom-enrich:input:kind", "value": project.tool},
        ],
    }
    dependencies: list[dict[str, Any]] = []
    if project.root is not None:
        metadata["component"] = _component(project.root, "application")
        dependencies.append(_edges(project.root, by_name))
    dependencies += [_edges(package, by_name) for package in project.packages]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": metadata,
        "components": [_component(p, "library") for p in project.packages],
        "dependencies": dependencies,
    }


def _edges(package: LockedPackage, by_name: Mapping[str, LockedPackage]) -> dict[str, Any]:
    targets = [by_name[n] for n in map(canonicalize_name, package.dependencies) if n in by_name]
    return {"ref": _purl(package), "dependsOn": sorted({_purl(t) for t in targets})}


def sha256_of(hashes: Sequence[object]) -> tuple[str, ...]:
    """The distinct SHA-256 digests among ``sha256:<hex>`` strings or ``{"sha256": hex}`` maps."""
    found: list[str] = []
    for entry in hashes:
        digest = None
        if isinstance(entry, str) and entry.startswith("sha256:"):
            digest = entry.removeprefix("sha256:")
        elif isinstance(entry, Mapping) and isinstance(entry.get("sha256"), str):
            digest = entry["sha256"]
        if digest and digest.lower() not in found:
            found.append(digest.lower())
    return tuple(found)
