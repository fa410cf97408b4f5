"""Frozen records for what sbom-enrich reads from an SBOM."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from cyclonedx.schema import SchemaVersion

__all__ = [
    "BomDocument",
    "Component",
    "Hash",
    "InputKind",
    "Scope",
    "SkippedComponent",
]

Scope = Literal["required", "optional", "excluded"]
InputKind = Literal["json", "xml"]


@dataclass(frozen=True)
class Hash:
    """One entry of a component's ``hashes``: algorithm as CycloneDX spells it (``SHA-256``)."""

    algorithm: str
    value: str


@dataclass(frozen=True)
class Component:
    """A component of the SBOM, wherever it is nested.

    ``json_path`` says where it stands in the document (``$.components[2].components[0]``) and is
    how additions find it again, including for components without a ``bom-ref``.
    """

    json_path: str
    name: str
    version: str | None
    bom_ref: str | None
    purl: str | None
    type: str | None
    group: str | None
    scope: Scope | None
    hashes: tuple[Hash, ...]
    properties: tuple[tuple[str, str], ...] = ()
    """(name, value) of each entry of ``properties``, in order."""

    def property_values(self, name: str) -> list[str]:
        """The values of every property called ``name``."""
        return [value for key, value in self.properties if key == name]

    def hash_value(self, algorithm: str) -> str | None:
        """The hex digest for ``algorithm`` (for example ``SHA-256``), if the SBOM gives one."""
        for entry in self.hashes:
            if entry.algorithm.upper() == algorithm.upper():
                return entry.value
        return None


@dataclass(frozen=True)
class SkippedComponent:
    """A component that is passed through untouched, with the reason it is not enriched."""

    component: Component
    reason: str


@dataclass(frozen=True)
class BomDocument:
    """A loaded, validated CycloneDX document.

    ``tree`` is the document as parsed from JSON (or, for XML input, as cyclonedx-python-lib
    serializes it to JSON). It is never modified: additions are applied to a copy when writing.
    ``components`` are the PyPI components to enrich; ``skipped`` the rest, with reasons.
    ``dependencies`` maps each ``ref`` of ``dependencies[]`` to its ``dependsOn`` refs;
    ``root_ref`` is the ``bom-ref`` of ``metadata.component``, the subject of the SBOM.
    """

    source: str
    input_kind: InputKind
    spec_version: SchemaVersion
    tree: dict[str, Any]
    components: tuple[Component, ...]
    skipped: tuple[SkippedComponent, ...]
    dependencies: MappingProxyType[str, tuple[str, ...]]
    root_ref: str | None
    unknown_keys: tuple[str, ...]
