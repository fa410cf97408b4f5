"""sbom_enrich.adapters.pypi.attestations against every real and constructed provenance fixture."""

from __future__ import annotations

from typing import Any

import pytest
from pypi_index import ATTESTATIONS, attestation_index

from sbom_enrich.adapters.pypi.attestations import verify_provenance

CASES = attestation_index()


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_verdict(case: str) -> None:
    entry: dict[str, Any] = CASES[case]
    result = verify_provenance(
        (ATTESTATIONS / entry["file"]).read_bytes(), entry["filename"], entry["sha256"]
    )
    expected = entry["expected"]
    if case == "constructed-environment-altered-still-verifies":
        # pypi-attestations accepts it; we read the certificate and refuse the false claim.
        assert result.status == "invalid"
        assert "signing certificate says 'pypi'" in (result.reason or "")
        return
    if expected["verdict"] == "verified":
        assert result.status == "verified", result.reason
        assert result.predicate_types == tuple(expected["predicate_types"])
        publisher = result.publisher
        assert publisher is not None
        claimed = entry["publisher"]
        assert publisher.kind == claimed["kind"]
        if claimed["kind"] == "Google":
            assert publisher.email == claimed["email"]
        else:
            assert publisher.repository == claimed["repository"]
    else:
        assert result.status == "invalid"
        assert result.publisher is None
        assert result.claimed_publisher is not None
        assert expected["error_contains"] in (result.reason or "")
        assert "<Extension" not in (result.reason or "")


def test_environment_comes_from_the_certificate_when_present() -> None:
    entry = CASES["real-github-env-pypi_attestations-0.0.30-wheel"]
    result = verify_provenance(
        (ATTESTATIONS / entry["file"]).read_bytes(), entry["filename"], entry["sha256"]
    )
    assert result.publisher is not None
    assert (result.publisher.environment, result.publisher.environment_verified) == ("pypi", True)


def test_malformed_provenance_and_bad_filename_are_invalid() -> None:
    assert verify_provenance(b"{}", "a-1.0.tar.gz", "0" * 64).status == "invalid"
    entry = CASES["real-github-pypi_attestations-0.0.19-sdist"]
    raw = (ATTESTATIONS / entry["file"]).read_bytes()
    result = verify_provenance(raw, "not a dist name", entry["sha256"])
    assert result.status == "invalid" and "not a valid distribution" in (result.reason or "")
