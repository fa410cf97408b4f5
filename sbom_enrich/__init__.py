"""sbom-enrich: which Python dependencies of a CycloneDX SBOM really put you at risk.

Library use, the same steps the ``sbom-enrich enrich`` command takes::

    from pathlib import Path
    import sbom_enrich

    document = sbom_enrich.load_bom("samples/sbom/linkcheck.env.cdx-1.6.json")
    options = sbom_enrich.LookupOptions(replay=Path("samples/pypi-recording"))  # or live PyPI
    with sbom_enrich.open_lookup(options) as lookup:
        trust = sbom_enrich.assess_components(document.components, lookup.facts, lookup.store)
        data = sbom_enrich.render_enriched(document, trust=trust)  # enriched CycloneDX JSON
        sbom_enrich.write_atomically("enriched.cdx.json", data)
        trust.commit(lookup.store)  # remember owners and publishers for the next run
    for result in trust.results:
        print(result.project, result.level.label, [s.kind for s in result.signals])

Errors are :class:`SbomEnrichError` subclasses; each names the problem in one line and carries
the CLI's ``exit_code``.
"""

from sbom_enrich.additions import PROPERTY_NAMESPACE, Additions, Property, apply_additions
from sbom_enrich.assess import (
    ComponentTrust,
    SourceGap,
    TrustRun,
    assess_components,
)
from sbom_enrich.atomic import write_atomically
from sbom_enrich.bom import load_bom, parse_bom
from sbom_enrich.enrich import build_additions
from sbom_enrich.errors import (
    DuplicateBomRefError,
    IncompatibleSpecVersionError,
    InputError,
    MalformedInputError,
    NotABomError,
    OutputError,
    ReplayError,
    SbomEnrichError,
    SchemaValidationError,
    StateError,
    UnreadableInputError,
    UnsafeXmlError,
    UnsupportedSpecVersionError,
    UpstreamError,
)
from sbom_enrich.lookup import Lookup, LookupOptions, open_lookup
from sbom_enrich.model import BomDocument, Component, Hash, SkippedComponent
from sbom_enrich.pipeline import render_enriched
from sbom_enrich.signals import Severity, Signal
from sbom_enrich.spec import SUPPORTED_SPEC_VERSIONS
from sbom_enrich.trust import TrustLevel
from sbom_enrich.version import __version__

__all__ = [
    "Additions",
    "BomDocument",
    "Component",
    "ComponentTrust",
    "DuplicateBomRefError",
    "Hash",
    "IncompatibleSpecVersionError",
    "InputError",
    "Lookup",
    "LookupOptions",
    "MalformedInputError",
    "NotABomError",
    "OutputError",
    "PROPERTY_NAMESPACE",
    "Property",
    "ReplayError",
    "SUPPORTED_SPEC_VERSIONS",
    "SbomEnrichError",
    "SchemaValidationError",
    "Severity",
    "Signal",
    "SkippedComponent",
    "SourceGap",
    "StateError",
    "TrustLevel",
    "TrustRun",
    "UnreadableInputError",
    "UnsafeXmlError",
    "UnsupportedSpecVersionError",
    "UpstreamError",
    "__version__",
    "apply_additions",
    "assess_components",
    "build_additions",
    "load_bom",
    "open_lookup",
    "parse_bom",
    "render_enriched",
    "write_atomically",
]
