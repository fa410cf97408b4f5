"""Serialize an enriched tree as CycloneDX JSON or XML."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any, Literal

from cyclonedx.schema import SchemaVersion

from sbom_enrich.errors import IncompatibleSpecVersionError

__all__ = ["OutputKind", "serialize"]

OutputKind = Literal["json", "xml"]


def serialize(tree: Mapping[str, Any], kind: OutputKind, version: SchemaVersion) -> bytes:
    """Encode ``tree`` as UTF-8 bytes.

    JSON keeps the tree exactly (key order, Unicode unescaped, 2-space indent). XML goes through
    cyclonedx-python-lib's model, which writes what the model knows and drops unknown keys.
    """
    if kind == "json":
        return (json.dumps(tree, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return _to_xml(tree, version).encode("utf-8")


def _to_xml(tree: Mapping[str, Any], version: SchemaVersion) -> str:
    # imported here: only XML needs the library's model (60 ms of a JSON run's start-up)
    from cyclonedx.model.bom import Bom
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the library warns about incomplete dependency graphs
            bom = Bom.from_json(dict(tree))  # type: ignore[attr-defined]
            return make_outputter(bom, OutputFormat.XML, version).output_as_string(indent=2)
    except Exception as err:  # the library raises a wide variety on content it cannot model
        raise IncompatibleSpecVersionError(
            f"cannot express this BOM as CycloneDX {version.to_version()} XML: {err}"
        ) from err
