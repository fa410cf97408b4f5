"""What sbom-enrich adds to an SBOM, and how it is applied without touching anything else.

The input tree is never modified. :func:`apply_additions` returns a new tree in which only the
dicts and lists on the way to an addition are copied; every input key keeps its place and value,
and new keys come after the existing ones. Properties from an earlier sbom-enrich run (names in
our ``sbom-enrich:`` namespace) and our earlier tool entry are replaced, so enriching twice does
not pile up stale values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cyclonedx.schema import SchemaVersion

from sbom_enrich.cyclonedx.spec import has_properties, has_tools_object, schema_url
from sbom_enrich.version import __version__

__all__ = [
    "PROPERTY_NAMESPACE",
    "REFERENCE_COMMENT_PREFIX",
    "TOOL_NAME",
    "Additions",
    "ExternalReference",
    "Property",
    "apply_additions",
]

PROPERTY_NAMESPACE = "sbom-enrich:"
"""Prefix of every property name we write (``cdx:`` is reserved for CycloneDX itself)."""

TOOL_NAME = "sbom-enrich"


@dataclass(frozen=True)
class Property:
    """A CycloneDX property in our namespace; ``name`` is given without the prefix."""

    name: str
    value: str

    def to_json(self) -> dict[str, str]:
        """The CycloneDX JSON form, with the ``sbom-enrich:`` prefix."""
        return {"name": PROPERTY_NAMESPACE + self.name, "value": self.value}


@dataclass(frozen=True)
class ExternalReference:
    """An ``externalReferences`` entry we add; its comment is marked as ours.

    The ``sbom-enrich:`` prefix of the comment is how a later run finds and replaces it.
    """

    type: str
    url: str
    comment: str

    def to_json(self) -> dict[str, str]:
        """The CycloneDX JSON form."""
        return {
            "url": self.url,
            "comment": REFERENCE_COMMENT_PREFIX + self.comment,
            "type": self.type,
        }


REFERENCE_COMMENT_PREFIX = "sbom-enrich: "


@dataclass(frozen=True)
class Additions:
    """Everything to add to one document: per component (keyed by JSON path), and findings."""

    component_properties: Mapping[str, Sequence[Property]] = field(default_factory=dict)
    component_references: Mapping[str, Sequence[ExternalReference]] = field(default_factory=dict)
    vulnerabilities: Sequence[Mapping[str, Any]] = ()
    """Top-level ``vulnerabilities[]`` entries (CycloneDX 1.4 and later)."""
    component_evidence: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """``evidence`` keys per component (``callstack``, ``occurrences``); a key the component's
    evidence already has is left as it is."""


def apply_additions(
    tree: Mapping[str, Any],
    additions: Additions,
    *,
    source_version: SchemaVersion,
    target_version: SchemaVersion,
    tool_version: str = __version__,
) -> dict[str, Any]:
    """Return a copy of ``tree`` carrying ``additions`` and our tool entry.

    Additions that ``target_version`` cannot express (properties before 1.3) are left out.
    When the versions differ, ``specVersion`` and an existing ``$schema`` are updated.
    """
    result = dict(tree)
    if target_version != source_version:
        result["specVersion"] = target_version.to_version()
        if "$schema" in result:
            result["$schema"] = schema_url(target_version)
    if has_properties(target_version) and "components" in result:
        result["components"] = _with_additions(result["components"], "$.components", additions)
    if target_version >= SchemaVersion.V1_4 and (
        additions.vulnerabilities
        or any(_is_our_vulnerability(v) for v in tree.get("vulnerabilities") or ())
    ):
        kept = [v for v in tree.get("vulnerabilities") or () if not _is_our_vulnerability(v)]
        result["vulnerabilities"] = kept + [dict(v) for v in additions.vulnerabilities]
    result["metadata"] = _with_tool(result.get("metadata", {}), target_version, tool_version)
    return result


def _is_our_vulnerability(entry: object) -> bool:
    return isinstance(entry, dict) and any(
        str(p.get("name", "")).startswith(PROPERTY_NAMESPACE) for p in entry.get("properties") or ()
    )


def _with_additions(
    nodes: list[dict[str, Any]], path: str, additions: Additions
) -> list[dict[str, Any]]:
    copied: list[dict[str, Any]] = []
    for index, node in enumerate(nodes):
        node_path = f"{path}[{index}]"
        new = dict(node)
        references = additions.component_references.get(node_path)
        if references or _has_our_references(node):
            merged = _merge_references(node.get("externalReferences"), references or ())
            if merged or "externalReferences" in node:
                new["externalReferences"] = merged
        if node_path in additions.component_evidence:
            existing = node.get("evidence")
            evidence = dict(existing) if isinstance(existing, dict) else {}
            for key, value in additions.component_evidence[node_path].items():
                evidence.setdefault(key, value)
            new["evidence"] = evidence
        if node_path in additions.component_properties:
            new["properties"] = _merge_properties(
                node.get("properties"), additions.component_properties[node_path]
            )
        if "components" in node:
            new["components"] = _with_additions(
                node["components"], f"{node_path}.components", additions
            )
        copied.append(new)
    return copied


def _is_our_reference(reference: object) -> bool:
    return isinstance(reference, dict) and str(reference.get("comment", "")).startswith(
        REFERENCE_COMMENT_PREFIX
    )


def _has_our_references(node: Mapping[str, Any]) -> bool:
    return any(_is_our_reference(r) for r in node.get("externalReferences") or ())


def _merge_references(
    existing: list[dict[str, Any]] | None, ours: Sequence[ExternalReference]
) -> list[dict[str, Any]]:
    kept = [r for r in existing or () if not _is_our_reference(r)]
    return kept + [reference.to_json() for reference in ours]


def _merge_properties(
    existing: list[dict[str, Any]] | None, ours: Sequence[Property]
) -> list[dict[str, Any]]:
    kept = [p for p in existing or () if not str(p.get("name", "")).startswith(PROPERTY_NAMESPACE)]
    return kept + [prop.to_json() for prop in ours]


def _with_tool(
    metadata: Mapping[str, Any], version: SchemaVersion, tool_version: str
) -> dict[str, Any]:
    result = dict(metadata)
    tools = metadata.get("tools")
    if isinstance(tools, dict) or (tools is None and has_tools_object(version)):
        tools_object = dict(tools or {})
        components = [c for c in tools_object.get("components", ()) if not _is_ours(c)]
        components.append({"type": "application", "name": TOOL_NAME, "version": tool_version})
        tools_object["components"] = components
        result["tools"] = tools_object
    else:
        legacy = [t for t in tools or () if not _is_ours(t)]
        legacy.append({"vendor": TOOL_NAME, "name": TOOL_NAME, "version": tool_version})
        result["tools"] = legacy
    return result


def _is_ours(tool: Mapping[str, Any]) -> bool:
    return tool.get("name") == TOOL_NAME
