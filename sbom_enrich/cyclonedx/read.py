"""Load a CycloneDX SBOM (JSON 1.2-1.7 or XML) into a validated :class:`BomDocument`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from packageurl import PackageURL

from sbom_enrich.cyclonedx.decode import decode_json, sniff_kind
from sbom_enrich.cyclonedx.spec import parse_spec_version
from sbom_enrich.cyclonedx.validate import validate_tree
from sbom_enrich.errors import (
    DuplicateBomRefError,
    MalformedInputError,
    NotABomError,
    UnreadableInputError,
)
from sbom_enrich.model.bom import BomDocument, Component, Hash, InputKind, Scope, SkippedComponent

__all__ = ["load_bom", "parse_bom"]

_SNIFF_BYTES = 64
_SCOPES: frozenset[str] = frozenset({"required", "optional", "excluded"})


def load_bom(path: str | os.PathLike[str], *, assume_pypi: bool = False) -> BomDocument:
    """Read, validate and index the CycloneDX SBOM at ``path`` (``"-"`` reads standard input).

    With ``assume_pypi``, a component without a purl but with a name and a version (as
    pip-audit writes them) is taken as that PyPI release; the document itself is not changed.

    Raises an :class:`~sbom_enrich.errors.InputError` subclass with a one-line message naming the
    problem and, where known, the JSON path or line.
    """
    source = str(path)
    data = _read(source)
    return parse_bom(data, source=source, assume_pypi=assume_pypi)


def parse_bom(data: bytes, *, source: str = "<bytes>", assume_pypi: bool = False) -> BomDocument:
    """Like :func:`load_bom`, for a document already in memory; ``source`` names it in errors."""
    kind: InputKind = sniff_kind(data[:_SNIFF_BYTES], source=source)
    if kind == "xml":
        # cyclonedx-python-lib's model and lxml, which only XML needs: 70 ms of a JSON run
        from sbom_enrich.cyclonedx.xml_input import read_xml

        tree, version = read_xml(data, source=source)
    else:
        tree = decode_json(data, source=source)
        _check_is_cyclonedx(tree, source=source)
        version = parse_spec_version(tree.get("specVersion"), where=f"{source}: $.specVersion")
    try:
        report = validate_tree(tree, version, source=source)
        components = list(_walk_components(tree))
        if assume_pypi:
            components = [_as_pypi(c) for c in components]
    except RecursionError as err:
        raise MalformedInputError(
            f"{source}: nested too deeply to be a BOM (components within components, "
            "hundreds of levels down)"
        ) from err
    _check_unique_refs(tree, components, source=source)
    pypi, skipped = _partition(components)
    return BomDocument(
        source=source,
        input_kind=kind,
        spec_version=version,
        tree=tree,
        components=tuple(pypi),
        skipped=tuple(skipped),
        dependencies=_dependency_graph(tree),
        root_ref=_root_ref(tree),
        unknown_keys=report.unknown_keys,
    )


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            sniff_kind(head, source=source)  # fail fast on garbage before reading it all
            return head + handle.read()
    except IsADirectoryError as err:
        raise UnreadableInputError(f"{source}: is a directory, not an SBOM file") from err
    except FileNotFoundError as err:
        raise UnreadableInputError(f"{source}: no such file") from err
    except PermissionError as err:
        raise UnreadableInputError(f"{source}: permission denied") from err
    except OSError as err:
        raise UnreadableInputError(f"{source}: cannot read: {err.strerror or err}") from err


def _check_is_cyclonedx(tree: Mapping[str, Any], *, source: str) -> None:
    if "bomFormat" not in tree:
        raise NotABomError(f"{source}: $: not a CycloneDX BOM: no 'bomFormat' key")
    if tree["bomFormat"] != "CycloneDX":
        raise NotABomError(
            f"{source}: $.bomFormat: not a CycloneDX BOM: bomFormat is {tree['bomFormat']!r}, "
            "expected 'CycloneDX'"
        )


def _walk_components(tree: Mapping[str, Any]) -> Iterator[Component]:
    yield from _walk_list(tree.get("components"), "$.components")


def _walk_list(nodes: object, path: str) -> Iterator[Component]:
    if not isinstance(nodes, list):
        return
    for index, node in enumerate(nodes):
        node_path = f"{path}[{index}]"
        yield _component(node, node_path)
        yield from _walk_list(node.get("components"), f"{node_path}.components")


def _component(node: Mapping[str, Any], path: str) -> Component:
    scope = node.get("scope")
    return Component(
        json_path=path,
        name=node["name"],
        version=node.get("version"),
        bom_ref=node.get("bom-ref"),
        purl=node.get("purl"),
        type=node.get("type"),
        group=node.get("group"),
        scope=_as_scope(scope),
        hashes=tuple(Hash(h["alg"], h["content"]) for h in node.get("hashes", ())),
        properties=tuple(
            (str(p["name"]), str(p.get("value", ""))) for p in node.get("properties", ())
        ),
    )


def _as_pypi(component: Component) -> Component:
    if component.purl is not None or not component.version:
        return component
    purl = PackageURL(type="pypi", name=component.name, version=component.version).to_string()
    return replace(component, purl=purl)


def _as_scope(value: object) -> Scope | None:
    return cast(Scope, value) if value in _SCOPES else None


def _check_unique_refs(
    tree: Mapping[str, Any], components: list[Component], *, source: str
) -> None:
    seen: dict[str, str] = {}
    refs = [(c.bom_ref, c.json_path) for c in components]
    metadata = tree.get("metadata", {})
    root = metadata.get("component") if isinstance(metadata, dict) else None
    if isinstance(root, dict):
        refs.append((root.get("bom-ref"), "$.metadata.component"))
    refs.extend(_service_refs(tree.get("services"), "$.services"))
    for ref, path in refs:
        if ref is None:
            continue
        if ref in seen:
            raise DuplicateBomRefError(
                f"{source}: {path}: bom-ref {ref!r} is already used at {seen[ref]}"
            )
        seen[ref] = path


def _service_refs(nodes: object, path: str) -> Iterator[tuple[str | None, str]]:
    if not isinstance(nodes, list):
        return
    for index, node in enumerate(nodes):
        node_path = f"{path}[{index}]"
        yield node.get("bom-ref"), node_path
        yield from _service_refs(node.get("services"), f"{node_path}.services")


def _partition(components: list[Component]) -> tuple[list[Component], list[SkippedComponent]]:
    pypi: list[Component] = []
    skipped: list[SkippedComponent] = []
    for component in components:
        reason = _skip_reason(component)
        if reason is None:
            pypi.append(component)
        else:
            skipped.append(SkippedComponent(component, reason))
    return pypi, skipped


def _skip_reason(component: Component) -> str | None:
    if component.purl is None:
        return "no purl"
    try:
        purl = PackageURL.from_string(component.purl)
    except ValueError:
        return "invalid purl"
    if purl.type != "pypi":
        return f"not a pypi purl (pkg:{purl.type})"
    if not purl.version:
        return "pypi purl without a version"
    return None


def _dependency_graph(tree: Mapping[str, Any]) -> MappingProxyType[str, tuple[str, ...]]:
    graph = {
        entry["ref"]: tuple(entry.get("dependsOn", ())) for entry in tree.get("dependencies", ())
    }
    return MappingProxyType(graph)


def _root_ref(tree: Mapping[str, Any]) -> str | None:
    metadata = tree.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("component"), dict):
        ref = metadata["component"].get("bom-ref")
        return ref if isinstance(ref, str) else None
    return None
