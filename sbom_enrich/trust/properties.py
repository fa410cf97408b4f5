"""How a :class:`ComponentTrust` is written into the SBOM: properties and external references.

Every name and value is listed in ``docs/properties.md`` (a test checks it).
"""

from __future__ import annotations

from sbom_enrich.cyclonedx.additions import ExternalReference, Property
from sbom_enrich.model.index import ProjectMetadata
from sbom_enrich.trust.assess import ComponentTrust, describes_latest
from sbom_enrich.trust.signals import declared_repositories

__all__ = ["trust_properties", "trust_references"]

UNAVAILABLE = "unavailable"


def trust_properties(result: ComponentTrust) -> list[Property]:
    """The ``sbom-enrich:`` properties for one assessed component, in a stable order."""
    props = [Property("trust:level", result.level.label)]
    props += [Property("trust:reason", reason) for reason in result.level_reasons]
    props += _ownership(result)
    props += _core_metadata(result)
    props.append(Property("attestation:status", result.attestation_status))
    if result.attestation_reason:
        props.append(Property("attestation:reason", result.attestation_reason))
    for file in result.facts.attestations:
        detail = file.reason or (file.publisher.describe() if file.publisher else "")
        detail = f" ({detail})" if detail else ""
        props.append(Property("attestation:file", f"{file.filename}: {file.status}{detail}"))
    props += _publisher(result)
    props += [
        Property(f"signal:{signal.kind}", f"{signal.severity.value}: {signal.message}")
        for signal in result.signals
    ]
    props += [Property("unavailable", f"{gap.source}: {gap.reason}") for gap in result.gaps]
    return props


def _ownership(result: ComponentTrust) -> list[Property]:
    metadata = result.facts.metadata
    if not isinstance(metadata, ProjectMetadata) or metadata.ownership is None:
        return [Property("maintainers", UNAVAILABLE), Property("organization", UNAVAILABLE)]
    roles = sorted(metadata.ownership.roles, key=lambda pair: (pair[1] != "Owner", pair))
    organization = metadata.ownership.organization
    holders = ", ".join(f"{user} ({role})" for user, role in roles) or (
        # PyPI lists no individual roles for an organisation's projects: not "nobody"
        f"none listed: owned by organization {organization}" if organization else "none"
    )
    return [
        Property("maintainers", holders),
        Property("organization", organization or "none"),
    ]


def _core_metadata(result: ComponentTrust) -> list[Property]:
    metadata = result.facts.metadata
    if not isinstance(metadata, ProjectMetadata):
        return [Property("metadata:release", UNAVAILABLE)]
    props = []
    for name, value in (
        ("metadata:author", metadata.author),
        ("metadata:author-email", metadata.author_email),
        ("metadata:maintainer", metadata.maintainer),
        ("metadata:maintainer-email", metadata.maintainer_email),
    ):
        if value:
            props.append(Property(name, value))
    latest = describes_latest(result.facts)
    props.append(Property("metadata:release", latest or result.facts.version))
    props.append(Property("metadata:scope", "latest" if latest else "pinned"))
    for repository in sorted(declared_repositories(metadata.project_urls)):
        props.append(Property("source:repository", f"https://{repository}"))
    return props


def _publisher(result: ComponentTrust) -> list[Property]:
    publisher = result.publisher
    if publisher is None:
        return []
    props = [Property("publisher:kind", publisher.kind)]
    for name, value in (
        ("publisher:repository", publisher.repository),
        ("publisher:workflow", publisher.workflow),
        ("publisher:email", publisher.email),
        ("publisher:environment", publisher.environment),
    ):
        if value:
            props.append(Property(name, value))
    if publisher.environment:
        verified = "true" if publisher.environment_verified else "false"
        props.append(Property("publisher:environment-verified", verified))
    return props


def trust_references(result: ComponentTrust, *, attestations: bool) -> list[ExternalReference]:
    """``vcs`` for the verified repository; ``attestation`` per provenance (when allowed)."""
    references = []
    if result.publisher is not None and result.publisher.repository_url:
        references.append(
            ExternalReference(
                "vcs", result.publisher.repository_url, "repository proven by PEP 740 attestation"
            )
        )
    if attestations:
        for file in result.facts.attestations:
            if file.provenance_url and file.status == "verified":
                references.append(
                    ExternalReference(
                        "attestation", file.provenance_url, f"PEP 740 provenance of {file.filename}"
                    )
                )
    return references
