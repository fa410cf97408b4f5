"""Undo what sbom-enrich adds to a document, written independently of our own code."""

from __future__ import annotations

import copy
from typing import Any

OUR_PREFIX = "sbom-enrich:"
OUR_TOOL = "sbom-enrich"


def strip_additions(output: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """Remove our properties and tool entry, and the containers we created for them."""
    result = copy.deepcopy(output)
    _strip_components(result.get("components"), original.get("components"))
    _strip_tool(result, original)
    return result


def count_our_properties(tree: dict[str, Any]) -> int:
    total = 0
    stack = list(tree.get("components", []))
    while stack:
        node = stack.pop()
        total += sum(1 for p in node.get("properties", []) if p["name"].startswith(OUR_PREFIX))
        stack.extend(node.get("components", []))
    return total


def _strip_components(nodes: list[dict[str, Any]] | None, originals: list[Any] | None) -> None:
    for node, original in zip(nodes or [], originals or [], strict=True):
        if "properties" in node:
            node["properties"] = [
                p for p in node["properties"] if not p["name"].startswith(OUR_PREFIX)
            ]
            if not node["properties"] and "properties" not in original:
                del node["properties"]
        _strip_components(node.get("components"), original.get("components"))


def _strip_tool(result: dict[str, Any], original: dict[str, Any]) -> None:
    metadata = result.get("metadata")
    if metadata is None:
        return
    original_metadata = original.get("metadata", {})
    tools = metadata.get("tools")
    if isinstance(tools, list):
        metadata["tools"] = [t for t in tools if t.get("name") != OUR_TOOL]
    elif isinstance(tools, dict):
        components = [c for c in tools.get("components", []) if c.get("name") != OUR_TOOL]
        if components or "components" in original_metadata.get("tools", {}):
            tools["components"] = components
        else:
            del tools["components"]
    if not metadata.get("tools") and "tools" not in original_metadata:
        del metadata["tools"]
    if not metadata and "metadata" not in original:
        del result["metadata"]
