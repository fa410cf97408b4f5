"""sbom-enrich: which Python dependencies of a CycloneDX SBOM really put you at risk.

Library use, the same steps the ``sbom-enrich enrich`` command takes::

    import sbom_enrich

    document = sbom_enrich.load_bom("samples/sbom/linkcheck.env.cdx-1.6.json")
    for component in document.components:          # the pkg:pypi components
        print(component.name, component.version, component.purl)
    for skipped in document.skipped:               # everything else, passed through untouched
        print("skipped", skipped.component.name, skipped.reason)
    data = sbom_enrich.render_enriched(document)   # bytes of the enriched CycloneDX JSON
    sbom_enrich.write_atomically("enriched.cdx.json", data)

Errors are :class:`SbomEnrichError` subclasses; each names the problem in one line and carries
the CLI's ``exit_code``.
"""

from sbom_enrich.additions import PROPERTY_NAMESPACE, Additions, Property, apply_additions
from sbom_enrich.atomic import write_atomically
from sbom_enrich.bom import load_bom, parse_bom
from sbom_enrich.enrich import base_additions
from sbom_enrich.errors import (
    DuplicateBomRefError,
    IncompatibleSpecVersionError,
    InputError,
    MalformedInputError,
    NotABomError,
    OutputError,
    SbomEnrichError,
    SchemaValidationError,
    UnreadableInputError,
    UnsafeXmlError,
    UnsupportedSpecVersionError,
    UpstreamError,
)
from sbom_enrich.model import BomDocument, Component, Hash, SkippedComponent
from sbom_enrich.pipeline import render_enriched
from sbom_enrich.spec import SUPPORTED_SPEC_VERSIONS
from sbom_enrich.version import __version__

__all__ = [
    "Additions",
    "BomDocument",
    "Component",
    "DuplicateBomRefError",
    "Hash",
    "IncompatibleSpecVersionError",
    "InputError",
    "MalformedInputError",
    "NotABomError",
    "OutputError",
    "PROPERTY_NAMESPACE",
    "Property",
    "SUPPORTED_SPEC_VERSIONS",
    "SbomEnrichError",
    "SchemaValidationError",
    "SkippedComponent",
    "UnreadableInputError",
    "UnsafeXmlError",
    "UnsupportedSpecVersionError",
    "UpstreamError",
    "__version__",
    "apply_additions",
    "base_additions",
    "load_bom",
    "parse_bom",
    "render_enriched",
    "write_atomically",
]
