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

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from sbom_enrich.api import OutputFormat, Result, enrich, render
    from sbom_enrich.atomic import write_atomically
    from sbom_enrich.cyclonedx.additions import (
        PROPERTY_NAMESPACE,
        Additions,
        Property,
        apply_additions,
    )
    from sbom_enrich.cyclonedx.read import load_bom, parse_bom
    from sbom_enrich.cyclonedx.spec import SUPPORTED_SPEC_VERSIONS
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
    from sbom_enrich.model.bom import BomDocument, Component, Hash, SkippedComponent
    from sbom_enrich.model.reach import Reach
    from sbom_enrich.ports import Ports
    from sbom_enrich.rank.prioritize import WEIGHTS, Finding, prioritize
    from sbom_enrich.run import render_enriched
    from sbom_enrich.trust.assess import (
        ComponentTrust,
        SourceGap,
        TrustRun,
        assess_components,
    )
    from sbom_enrich.trust.levels import TrustLevel
    from sbom_enrich.trust.signals import Severity, Signal
    from sbom_enrich.version import __version__
    from sbom_enrich.wiring import Lookup, LookupOptions, open_lookup
    from sbom_enrich.writeback.additions import build_additions

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
    "Ports",
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


_EXPORTS = {
    "PROPERTY_NAMESPACE": "sbom_enrich.cyclonedx.additions",
    "Additions": "sbom_enrich.cyclonedx.additions",
    "Property": "sbom_enrich.cyclonedx.additions",
    "apply_additions": "sbom_enrich.cyclonedx.additions",
    "OutputFormat": "sbom_enrich.api",
    "Ports": "sbom_enrich.ports",
    "Result": "sbom_enrich.api",
    "enrich": "sbom_enrich.api",
    "render": "sbom_enrich.api",
    "ComponentTrust": "sbom_enrich.trust.assess",
    "SourceGap": "sbom_enrich.trust.assess",
    "TrustRun": "sbom_enrich.trust.assess",
    "assess_components": "sbom_enrich.trust.assess",
    "write_atomically": "sbom_enrich.atomic",
    "load_bom": "sbom_enrich.cyclonedx.read",
    "parse_bom": "sbom_enrich.cyclonedx.read",
    "build_additions": "sbom_enrich.writeback.additions",
    "DuplicateBomRefError": "sbom_enrich.errors",
    "IncompatibleSpecVersionError": "sbom_enrich.errors",
    "InputError": "sbom_enrich.errors",
    "MalformedInputError": "sbom_enrich.errors",
    "NotABomError": "sbom_enrich.errors",
    "OutputError": "sbom_enrich.errors",
    "ReplayError": "sbom_enrich.errors",
    "SbomEnrichError": "sbom_enrich.errors",
    "SchemaValidationError": "sbom_enrich.errors",
    "StateError": "sbom_enrich.errors",
    "UnreadableInputError": "sbom_enrich.errors",
    "UnsafeXmlError": "sbom_enrich.errors",
    "UnsupportedSpecVersionError": "sbom_enrich.errors",
    "UpstreamError": "sbom_enrich.errors",
    "Lookup": "sbom_enrich.wiring",
    "LookupOptions": "sbom_enrich.wiring",
    "open_lookup": "sbom_enrich.wiring",
    "BomDocument": "sbom_enrich.model.bom",
    "Component": "sbom_enrich.model.bom",
    "Hash": "sbom_enrich.model.bom",
    "SkippedComponent": "sbom_enrich.model.bom",
    "render_enriched": "sbom_enrich.run",
    "WEIGHTS": "sbom_enrich.rank.prioritize",
    "Finding": "sbom_enrich.rank.prioritize",
    "Reach": "sbom_enrich.model.reach",
    "prioritize": "sbom_enrich.rank.prioritize",
    "Severity": "sbom_enrich.trust.signals",
    "Signal": "sbom_enrich.trust.signals",
    "SUPPORTED_SPEC_VERSIONS": "sbom_enrich.cyclonedx.spec",
    "TrustLevel": "sbom_enrich.trust.levels",
    "__version__": "sbom_enrich.version",
}
"""Public name -> the module that defines it; imported on first use, so that a program using one
part (the command line's ``--version``, one command) does not load them all."""


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value
