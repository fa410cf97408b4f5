"""Verify PEP 740 provenance with pypi-attestations, and say what identity it proves.

Verification is delegated entirely to pypi-attestations (and through it sigstore). What we add
is what the library leaves to its callers:

- The publisher we report is the one a successful ``verify`` proved, never the JSON alone. A
  failed bundle's publisher is kept only as ``claimed``.
- ``verify(bundle.publisher)`` proves consistency with the publisher the provenance itself
  names; comparing that identity with the repository the project declares is the caller's job
  (see :mod:`sbom_enrich.trust.levels`).
- The library does not check the ``environment``. Newer Fulcio certificates carry it (extension
  :data:`ENVIRONMENT_OID`); we read it there, refuse a provenance whose claim contradicts it, and
  otherwise report the claim as not verified.
- An online trust-root refresh that fails raises sigstore's ``TUFError``, which is not an
  ``AttestationError``: it becomes ``unavailable``, not ``invalid``.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from sbom_enrich.model.facts import AttestationStatus, FileAttestation, PublisherIdentity

if TYPE_CHECKING:  # the libraries themselves are imported when a provenance is verified
    from pypi_attestations import Attestation, Publisher

__all__ = [
    "ENVIRONMENT_OID",
    "quiet_sigstore_logs",
    "verify_provenance",
]

ENVIRONMENT_OID = "1.3.6.1.4.1.57264.1.23"
"""Fulcio's deployment-environment extension (DER UTF8String)."""


def quiet_sigstore_logs() -> None:
    """Silence sigstore's per-call "offline mode" warning (one per attestation otherwise)."""
    logging.getLogger("sigstore").setLevel(logging.ERROR)


def verify_provenance(
    provenance: bytes,
    filename: str,
    sha256: str,
    *,
    offline: bool = True,
    provenance_url: str | None = None,
) -> FileAttestation:
    """Verify every attestation of ``provenance`` against the file ``filename`` with ``sha256``.

    All attestations in all bundles must verify; the first failure decides the verdict.
    """
    from pydantic import ValidationError
    from pypi_attestations import AttestationError, Distribution, Provenance
    from sigstore.errors import TUFError

    def result(
        status: AttestationStatus,
        reason: str | None = None,
        *,
        claimed_publisher: PublisherIdentity | None = None,
        publisher: PublisherIdentity | None = None,
        predicate_types: tuple[str, ...] = (),
    ) -> FileAttestation:
        return FileAttestation(
            filename,
            status,
            reason,
            publisher=publisher,
            claimed_publisher=claimed_publisher,
            predicate_types=predicate_types,
            provenance_url=provenance_url,
        )

    try:
        parsed = Provenance.model_validate_json(provenance)
    except ValidationError as err:
        return result("invalid", f"malformed provenance: {err.error_count()} validation errors")
    try:
        distribution = Distribution(name=filename, digest=sha256)
    except ValidationError:
        return result("invalid", f"not a valid distribution file name or digest: {filename}")
    if not parsed.attestation_bundles:
        return result("invalid", "provenance holds no attestation bundles")
    publishers: list[PublisherIdentity] = []
    predicate_types: list[str] = []
    for bundle in parsed.attestation_bundles:
        claimed = _identity(bundle.publisher, None)
        if not bundle.attestations:
            return result("invalid", "an attestation bundle is empty", claimed_publisher=claimed)
        for attestation in bundle.attestations:
            try:
                predicate_type, _ = attestation.verify(
                    bundle.publisher, distribution, offline=offline
                )
            except AttestationError as err:
                return result("invalid", _readable(str(err)), claimed_publisher=claimed)
            except TUFError as err:
                return result(
                    "unavailable",
                    f"sigstore trust root refresh failed: {err}",
                    claimed_publisher=claimed,
                )
            predicate_types.append(predicate_type)
            certificate_environment = _certificate_environment(attestation)
            identity = _identity(bundle.publisher, certificate_environment)
            mismatch = _environment_mismatch(bundle.publisher, certificate_environment)
            if mismatch:
                return result("invalid", mismatch, claimed_publisher=claimed)
            publishers.append(identity)
    distinct = {p.key for p in publishers}
    if len(distinct) > 1:
        names = ", ".join(sorted(distinct))
        return result("invalid", f"bundles name different publishers: {names}")
    return result("verified", publisher=publishers[0], predicate_types=tuple(predicate_types))


def _identity(publisher: Publisher, certificate_environment: str | None) -> PublisherIdentity:
    from pypi_attestations import GitHubPublisher, GitLabPublisher, GooglePublisher

    if isinstance(publisher, GooglePublisher):
        return PublisherIdentity("Google", email=publisher.email)
    if isinstance(publisher, GitHubPublisher | GitLabPublisher):
        workflow = (
            publisher.workflow
            if isinstance(publisher, GitHubPublisher)
            else publisher.workflow_filepath
        )
        environment = certificate_environment or publisher.environment or None
        return PublisherIdentity(
            publisher.kind,
            repository=publisher.repository,
            workflow=workflow,
            environment=environment,
            environment_verified=certificate_environment is not None,
        )
    return PublisherIdentity(str(getattr(publisher, "kind", "unknown")))


def _environment_mismatch(publisher: Publisher, certificate_environment: str | None) -> str | None:
    claimed = getattr(publisher, "environment", None) or None
    if claimed and certificate_environment and claimed != certificate_environment:
        return (
            f"publisher claims environment {claimed!r} but the signing certificate says "
            f"{certificate_environment!r}"
        )
    return None


def _certificate_environment(attestation: Attestation) -> str | None:
    from cryptography import x509
    from pyasn1.codec.der import decoder
    from pyasn1.error import PyAsn1Error
    from pyasn1.type import char

    certificate = x509.load_der_x509_certificate(attestation.verification_material.certificate)
    try:
        extension = certificate.extensions.get_extension_for_oid(
            x509.ObjectIdentifier(ENVIRONMENT_OID)
        )
    except x509.ExtensionNotFound:
        return None
    raw = extension.value
    if not isinstance(raw, x509.UnrecognizedExtension):
        return None
    try:
        value, _ = decoder.decode(raw.value, asn1Spec=char.UTF8String())
    except PyAsn1Error:
        return None
    return str(value) or None


def _readable(message: str) -> str:
    """Drop the ``cryptography`` object repr some pypi-attestations messages embed."""
    return re.sub(r" \(<Extension\(.*\)>\)", "", message)
