"""sbom-enrich: which Python dependencies of a CycloneDX SBOM really put you at risk.

Library use, the same steps the ``sbom-enrich enrich`` command takes::

    from pathlib import Path
    import sbom_enrich

    result = sbom_enrich.enrich(
        "samples/sbom/linkcheck.env.cdx-1.6.json",
        lookup=sbom_enrich.LookupOptions(replay=Path("samples/pypi-recording")),  # or live PyPI
        advisory_dbs=[Path("samples/advisories")],
    )
    for finding in result.findings[:3]:  # ranked, with the reasons for each score
        print(finding.score, finding.title, finding.component.name, finding.reasons[0])
    Path("enriched.cdx.json").write_bytes(sbom_enrich.render(result, "cyclonedx-json"))

Errors are :class:`SbomEnrichError` subclasses; each names the problem in one line and carries
the CLI's ``exit_code``.
"""

from sbom_enrich.additions import PROPERTY_NAMESPACE, Additions, Property, apply_additions
from sbom_enrich.api import OutputFormat, Result, enrich, render
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
from sbom_enrich.prioritize import WEIGHTS, Finding, Reach, prioritize
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
    "Finding",
    "Hash",
    "IncompatibleSpecVersionError",
    "InputError",
    "Lookup",
    "LookupOptions",
    "MalformedInputError",
    "NotABomError",
    "OutputError",
    "OutputFormat",
    "PROPERTY_NAMESPACE",
    "Property",
    "Reach",
    "ReplayError",
    "Result",
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
    "WEIGHTS",
    "__version__",
    "apply_additions",
    "assess_components",
    "build_additions",
    "enrich",
    "load_bom",
    "open_lookup",
    "parse_bom",
    "prioritize",
    "render",
    "render_enriched",
    "write_atomically",
]
