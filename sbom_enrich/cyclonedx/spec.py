"""CycloneDX spec versions sbom-enrich reads and writes, and what each version can express."""

from __future__ import annotations

from cyclonedx.schema import SchemaVersion

from sbom_enrich.errors import UnsupportedSpecVersionError

__all__ = [
    "SUPPORTED_SPEC_VERSIONS",
    "has_attestation_references",
    "has_properties",
    "has_tools_object",
    "parse_spec_version",
    "schema_url",
]

SUPPORTED_SPEC_VERSIONS: tuple[str, ...] = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
"""The spec versions we load and emit, oldest first (JSON exists from 1.2 on)."""


def parse_spec_version(value: object, *, where: str = "$.specVersion") -> SchemaVersion:
    """Return the :class:`SchemaVersion` for a ``specVersion`` value, or raise a clear error."""
    if not isinstance(value, str):
        raise UnsupportedSpecVersionError(
            f'{where}: specVersion must be a string such as "1.6", found {value!r}'
        )
    if value not in SUPPORTED_SPEC_VERSIONS:
        supported = ", ".join(SUPPORTED_SPEC_VERSIONS)
        raise UnsupportedSpecVersionError(
            f"{where}: unsupported CycloneDX spec version {value!r} (supported: {supported})"
        )
    return SchemaVersion.from_version(value)


def has_properties(version: SchemaVersion) -> bool:
    """Whether components and metadata have ``properties`` (CycloneDX 1.3 and later)."""
    return version >= SchemaVersion.V1_3


def has_tools_object(version: SchemaVersion) -> bool:
    """Whether ``metadata.tools`` is the ``{components, services}`` object (1.5 and later)."""
    return version >= SchemaVersion.V1_5


def schema_url(version: SchemaVersion) -> str:
    """The JSON schema URL that CycloneDX documents of this version name in ``$schema``."""
    return f"http://cyclonedx.org/schema/bom-{version.to_version()}.schema.json"


def has_attestation_references(version: SchemaVersion) -> bool:
    """Whether ``externalReferences`` accept the ``attestation`` type (CycloneDX 1.5 and later)."""
    return version >= SchemaVersion.V1_5
