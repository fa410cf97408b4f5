"""Read CycloneDX XML safely and turn it into the JSON tree the rest of sbom-enrich works on.

The XML is parsed with defusedxml and any DTD is refused, so external entities and entity
expansion bombs never reach a parser that would act on them. It is then validated against the
XSD with cyclonedx-python-lib and converted to JSON through cyclonedx-python-lib's model. That
conversion keeps everything the model knows; XML extension elements from other namespaces are
not carried over (the lossless guarantee is for JSON input).
"""

from __future__ import annotations

import json
import warnings
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from cyclonedx.model.bom import Bom
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation.xml import XmlValidator
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sbom_enrich.cyclonedx.spec import parse_spec_version
from sbom_enrich.errors import (
    MalformedInputError,
    NotABomError,
    SchemaValidationError,
    UnreadableInputError,
    UnsafeXmlError,
)

__all__ = ["read_xml"]

_NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"


def read_xml(data: bytes, *, source: str) -> tuple[dict[str, Any], SchemaVersion]:
    """Parse, validate and convert CycloneDX XML; return the JSON tree and the spec version."""
    root = _parse(data, source=source)
    version = _spec_version(root, source=source)
    _validate(data, version, source=source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the library warns about incomplete dependency graphs
            bom = Bom.from_xml(root)  # type: ignore[attr-defined]
            text = make_outputter(bom, OutputFormat.JSON, version).output_as_string()
    except Exception as err:  # the library raises a wide variety on odd but schema-valid input
        raise NotABomError(
            f"{source}: cyclonedx-python-lib could not read this XML BOM: {err}"
        ) from err
    tree: dict[str, Any] = json.loads(text)
    return tree, version


def _parse(data: bytes, *, source: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as err:
        raise UnsafeXmlError(
            f"{source}: XML declares a DTD or entities ({type(err).__name__}); refused for safety"
        ) from err
    except ParseError as err:
        line, column = err.position
        raise MalformedInputError(
            f"{source}: not well-formed XML at line {line} column {column + 1}"
        ) from err
    except UnicodeDecodeError as err:
        raise UnreadableInputError(f"{source}: XML is not in the encoding it declares") from err


def _spec_version(root: Element, *, source: str) -> SchemaVersion:
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if local != "bom" or not namespace.startswith(_NAMESPACE_PREFIX):
        raise NotABomError(
            f"{source}: not a CycloneDX BOM: the XML root element is {root.tag!r}, expected "
            f"'bom' in the namespace {_NAMESPACE_PREFIX}<version>"
        )
    return parse_spec_version(namespace.removeprefix(_NAMESPACE_PREFIX), where="XML namespace")


def _validate(data: bytes, version: SchemaVersion, *, source: str) -> None:
    from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

    try:
        error = XmlValidator(version).validate_str(data.decode("utf-8", errors="replace"))
    except XMLSyntaxError as err:  # libxml2's own limits, e.g. elements nested past 2,048
        raise MalformedInputError(
            f"{source}: XML the schema validator refuses: {' '.join(str(err).split())[:200]}"
        ) from err
    if error is not None:
        entry: Any = error.data
        line = getattr(entry, "line", "?")
        message = " ".join(str(getattr(entry, "message", error)).split())
        raise SchemaValidationError(
            f"{source}: line {line}: {message} (CycloneDX {version.to_version()} XSD)",
            path=f"line {line}",
        )
