"""``sbom-enrich verify``: the attestation verdict for one local file or one release."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from sbom_enrich.errors import InputError
from sbom_enrich.model.facts import FileAttestation, PublisherIdentity
from sbom_enrich.model.index import Unavailable
from sbom_enrich.ports import FactSource
from sbom_enrich.trust.signals import attestation_status

__all__ = ["Verification", "verify_file", "verify_release"]


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify``: ``verified`` only when every checked file verified."""

    target: str
    status: str
    reason: str | None
    publisher: PublisherIdentity | None
    files: tuple[FileAttestation, ...]

    @property
    def verified(self) -> bool:
        """True for an ``verified`` status."""
        return self.status == "verified"


def verify_release(source: FactSource, requirement: str) -> Verification:
    """Verify every file of ``NAME==VERSION``."""
    name, sep, version = requirement.partition("==")
    if not sep or not name.strip() or not version.strip():
        raise InputError(f"{requirement}: expected a file path or NAME==VERSION")
    facts = source.facts(name.strip(), version.strip(), None)
    status, reason = attestation_status(facts.attestations, facts.attestation_unavailable)
    if not facts.files and status != "unavailable":
        status, reason = "unavailable", f"the index lists no files for {requirement}"
    publishers = {r.publisher for r in facts.attestations if r.publisher is not None}
    publisher = publishers.pop() if len(publishers) == 1 else None
    return Verification(requirement, status, reason, publisher, facts.attestations)


def verify_file(source: FactSource, path: Path) -> Verification:
    """Check a local distribution file against the index's digest, then verify its provenance."""
    try:
        if path.name.endswith(".whl"):
            name, version, *_ = parse_wheel_filename(path.name)
        else:
            name, version = parse_sdist_filename(path.name)
    except (InvalidWheelFilename, InvalidSdistFilename) as err:
        raise InputError(f"{path}: not a wheel or sdist file name ({err})") from err
    try:
        sha256 = _sha256(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    project, pinned = canonicalize_name(name), str(version)
    facts = source.facts(project, pinned, sha256)
    listed = next((f for f in facts.files if f.filename == path.name), None)
    if listed is None:
        if isinstance(facts.release, Unavailable):
            return Verification(str(path), "unavailable", facts.release.reason, None, ())
        return Verification(
            str(path), "invalid", f"the index lists no file {path.name} for {project}", None, ()
        )
    if listed.sha256 and listed.sha256.lower() != sha256:
        return Verification(
            str(path),
            "invalid",
            f"sha256 {sha256} differs from the index's {listed.sha256} for {path.name}",
            None,
            (),
        )
    if facts.attestation_unavailable is not None:
        return Verification(str(path), "unavailable", facts.attestation_unavailable, None, ())
    result = source.attest_file(project, pinned, listed, sha256)
    return Verification(str(path), result.status, result.reason, result.publisher, (result,))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
