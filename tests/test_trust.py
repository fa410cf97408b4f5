"""Trust signals end to end: recorded PyPI responses, real provenance, levels and signals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypi_index import FixtureIndex, attestation_index, project_url

from sbom_enrich.adapters.http.client import build_client
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import PyPIClient
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.model.bom import Component, Hash
from sbom_enrich.trust.assess import ComponentTrust, TrustRun, assess_components
from sbom_enrich.trust.levels import TrustLevel
from sbom_enrich.trust.properties import trust_properties, trust_references

NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)
FIXTURES = attestation_index()
SAMPLE_SDIST = "sampleproject-4.0.0.tar.gz"
PA_WHEEL = "pypi_attestations-0.0.30-py3-none-any.whl"
PA_SDIST = "pypi_attestations-0.0.19.tar.gz"


def component(name: str, version: str, sha256: str | None = None) -> Component:
    hashes = (Hash("SHA-256", sha256),) if sha256 else ()
    return Component(
        json_path="$.components[0]",
        name=name,
        version=version,
        bom_ref=f"{name}=={version}",
        purl=f"pkg:pypi/{name}@{version}",
        type="library",
        group=None,
        scope=None,
        hashes=hashes,
    )


def run(
    index: FixtureIndex,
    *components: Component,
    store: StateStore | None = None,
    now: datetime = NOW,
) -> TrustRun:
    with build_client(transport=index.transport(), sleep=lambda seconds: None) as client:
        source = PyPIFactSource(PyPIClient(client))
        return assess_components(components, source, store, now=now, concurrency=4)


def one(index: FixtureIndex, name: str, version: str, **kw: object) -> ComponentTrust:
    sha256 = kw.pop("sha256", None)
    result = run(index, component(name, version, sha256), **kw).results  # type: ignore[arg-type]
    assert len(result) == 1
    return result[0]


def kinds(result: ComponentTrust) -> list[str]:
    return [signal.kind for signal in result.signals]


def test_verified_release_reports_the_proven_publisher() -> None:
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance(
        "sampleproject", {SAMPLE_SDIST: "sampleproject-4.0.0.tar.gz.provenance.json"}
    )
    result = one(index, "sampleproject", "4.0.0")
    assert result.attestation_status == "verified"
    assert result.publisher is not None
    assert (result.publisher.kind, result.publisher.repository, result.publisher.workflow) == (
        "GitHub",
        "pypa/sampleproject",
        "release.yml",
    )
    assert result.level is TrustLevel.VERIFIED
    assert kinds(result) == ["no-wheel", "no-environment"]  # the wheel was dropped (derived)
    props = {(p.name, p.value) for p in trust_properties(result)}
    assert ("publisher:repository", "pypa/sampleproject") in props
    assert ("trust:level", "verified") in props
    assert (
        "attestation:file",
        f"{SAMPLE_SDIST}: verified (GitHub pypa/sampleproject release.yml)",
    ) in props
    assert ("source:repository", "https://github.com/pypa/sampleproject") in props
    refs = trust_references(result, attestations=True)
    assert [(r.type, r.url) for r in refs] == [
        ("vcs", "https://github.com/pypa/sampleproject"),
        (
            "attestation",
            "https://pypi.org/integrity/sampleproject/4.0.0/" + SAMPLE_SDIST + "/provenance",
        ),
    ]


def test_environment_read_from_the_certificate_gives_the_top_level() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.30", {PA_WHEEL})
    index.with_provenance(
        "pypi-attestations", {PA_WHEEL: "pypi_attestations-0.0.30-py3-none-any.whl.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.publisher is not None
    assert result.publisher.environment == "pypi"
    assert result.publisher.environment_verified
    assert result.level is TrustLevel.VERIFIED_PINNED
    assert "environment verified" in result.level_reasons[0]


def test_wrong_publisher_is_invalid_and_at_risk() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.30", {PA_WHEEL})
    index.with_provenance(
        "pypi-attestations", {PA_WHEEL: "negative-wrong-repository.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.attestation_status == "invalid"
    assert result.publisher is None  # never reported from unverified JSON
    assert result.level is TrustLevel.AT_RISK
    assert result.signals[0].kind == "attestation-invalid"
    assert FIXTURES["constructed-wrong-publisher-repository"]["expected"]["error_contains"] in (
        result.signals[0].message
    )


def test_environment_claim_contradicting_the_certificate_is_invalid() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.30", {PA_WHEEL})
    index.with_provenance(
        "pypi-attestations", {PA_WHEEL: "edge-environment-altered.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.attestation_status == "invalid"
    assert "not-the-real-environment" in (result.attestation_reason or "")


def test_tampered_digest_on_the_index_is_invalid() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.19", {PA_SDIST})
    wheel_digest = FIXTURES["constructed-digest-mismatch"]["sha256"]
    project = index.project("pypi-attestations")
    for file in project["releases"]["0.0.19"]:
        file["digests"]["sha256"] = wheel_digest  # derived: the index serves other bytes
    index.serve_json(project_url("pypi-attestations"), project)
    index.with_provenance(
        "pypi-attestations", {PA_SDIST: "pypi_attestations-0.0.19.tar.gz.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.19")
    assert result.attestation_status == "invalid"
    assert "subject does not match distribution digest" in (result.attestation_reason or "")


def test_tampered_statement_signature_is_invalid() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.19", {PA_SDIST})
    index.with_provenance(
        "pypi-attestations", {PA_SDIST: "negative-tampered-tlog-entry.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.19")
    assert result.attestation_status == "invalid"
    assert "invalid inclusion promise" in (result.attestation_reason or "")


def test_integrity_404_is_absent_and_403_is_unavailable() -> None:
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance("sampleproject", {SAMPLE_SDIST: 404})
    absent = one(index, "sampleproject", "4.0.0")
    assert absent.attestation_status == "absent"
    assert absent.level is TrustLevel.UNATTESTED
    index.with_provenance("sampleproject", {SAMPLE_SDIST: 403})
    disabled = one(index, "sampleproject", "4.0.0")
    assert disabled.attestation_status == "unavailable"
    assert "403" in (disabled.attestation_reason or "")
    assert disabled.level is TrustLevel.UNKNOWN
    assert disabled.unavailable


def test_index_without_provenance_says_unavailable_not_absent() -> None:
    result = one(FixtureIndex(), "requests", "2.28.1")  # real Simple API 1.1
    assert result.attestation_status == "unavailable"
    assert result.attestation_reason == "index does not serve provenance (Simple API 1.1 < 1.3)"
    assert not result.unavailable  # a limit of the index, not a failure


def test_release_route_404_falls_back_on_the_project_route() -> None:
    result = one(FixtureIndex(), "requests", "2.28.1")
    props = {(p.name, p.value) for p in trust_properties(result)}
    assert ("metadata:scope", "latest") in props
    assert {f.filename for f in result.facts.files} == {
        "requests-2.28.1-py3-none-any.whl",
        "requests-2.28.1.tar.gz",
    }
    assert "not-on-index" not in kinds(result)
    assert ("maintainers", "Lukasa (Owner), graffatcolmingov (Owner), nateprewitt (Owner)") in props


def test_yanked_release() -> None:
    result = one(FixtureIndex(), "requests", "2.32.0")
    yanked = [s for s in result.signals if s.kind == "release-yanked"]
    assert yanked and "CVE-2024-35195" in yanked[0].message


def test_quarantined_project_is_a_critical_alert_not_a_crash() -> None:
    index = FixtureIndex()
    index.with_status("idna", "quarantined", "reported as malware", under_meta=False)
    result = one(index, "idna", "3.4")
    assert kinds(result) == ["project-quarantined"]
    assert result.signals[0].severity.value == "critical"
    assert result.level is TrustLevel.AT_RISK


def test_archived_status_under_meta_is_read() -> None:
    index = FixtureIndex()
    index.with_status("idna", "archived", "no longer maintained", under_meta=True)
    result = one(index, "idna", "3.4")
    assert "project-archived" in kinds(result)


def test_version_and_project_not_on_the_index() -> None:
    index = FixtureIndex()
    index.serve_status("https://pypi.org/pypi/idna/99.0/json", 404)
    missing_version = one(index, "idna", "99.0")
    assert kinds(missing_version) == ["not-on-index"]
    assert "version idna 99.0" in missing_version.signals[0].message
    missing_project = one(index, "sbom-enrich-no-such-project", "1.0")
    assert kinds(missing_project) == ["not-on-index"]


def test_ownership_change_between_two_runs(tmp_path: Path) -> None:
    with StateStore(tmp_path / "state.sqlite") as store:
        first = run(FixtureIndex(), component("idna", "3.4"), store=store)
        assert "ownership-changed" not in kinds(first.results[0])
        first.commit(store)
        taken_over = FixtureIndex()
        taken_over.with_roles("idna", [("kjd", "Owner"), ("new-person", "Owner")], "evil-org")
        second = run(taken_over, component("idna", "3.4"), store=store)
        changed = {s.kind: s.message for s in second.results[0].signals}
        assert "added new-person (Owner)" in changed["ownership-changed"]
        assert "organization changed from none to evil-org" in changed["organization-changed"]
        second.commit(store)
        third = run(taken_over, component("idna", "3.4"), store=store)
        assert "ownership-changed" not in kinds(third.results[0])


def test_publisher_change_between_releases() -> None:
    index = FixtureIndex()
    index.with_provenance(
        "pypi-attestations",
        {
            PA_SDIST: "pypi_attestations-0.0.19.tar.gz.provenance.json",
            PA_WHEEL: "pypi_attestations-0.0.30-py3-none-any.whl.provenance.json",
        },
    )
    index.only_files("pypi-attestations", "0.0.30", {PA_WHEEL})
    result = one(index, "pypi-attestations", "0.0.30")
    changed = [s for s in result.signals if s.kind == "publisher-changed"]
    assert changed, kinds(result)
    assert "trailofbits/pypi-attestations" in changed[0].message
    assert result.level is TrustLevel.AT_RISK


def test_attestation_lost_after_attested_releases() -> None:
    index = FixtureIndex()
    index.with_provenance(
        "pypi-attestations", {PA_SDIST: "pypi_attestations-0.0.19.tar.gz.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.attestation_status == "absent"
    assert "attestation-lost" in kinds(result)
    assert result.level is TrustLevel.AT_RISK


def test_repository_mismatch_with_the_declared_source() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.19", {PA_SDIST})
    index.with_provenance(
        "pypi-attestations", {PA_SDIST: "pypi_attestations-0.0.19.tar.gz.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.19")
    mismatch = [s for s in result.signals if s.kind == "repository-mismatch"]
    assert mismatch and "github.com/pypi/pypi-attestations" in mismatch[0].message


def test_sbom_hash_matching_no_index_file() -> None:
    result = one(FixtureIndex(), "idna", "3.4", sha256="0" * 64)
    assert "hash-mismatch" in kinds(result)
    good = one(
        FixtureIndex(),
        "idna",
        "3.4",
        sha256=next(f.sha256 for f in result.facts.files if f.sha256),
    )
    assert "hash-mismatch" not in kinds(good)


def test_release_without_wheel_and_young_release() -> None:
    index = FixtureIndex()
    index.only_files("sampleproject", "3.0.0", {"sampleproject-3.0.0.tar.gz"})
    result = one(index, "sampleproject", "3.0.0")
    assert "no-wheel" in kinds(result)
    uploaded = min(f.upload_time for f in result.facts.files if f.upload_time)
    young = one(index, "sampleproject", "3.0.0", now=uploaded + timedelta(days=1))
    assert "release-too-new" in kinds(young)


def test_failed_trust_root_refresh_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypi_attestations import Attestation
    from sigstore.errors import TUFError

    def refuse(*args: object, **kwargs: object) -> None:
        raise TUFError("Failed to refresh TUF metadata")

    monkeypatch.setattr(Attestation, "verify", refuse)
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance(
        "sampleproject", {SAMPLE_SDIST: "sampleproject-4.0.0.tar.gz.provenance.json"}
    )
    result = one(index, "sampleproject", "4.0.0")
    assert result.attestation_status == "unavailable"
    assert "trust root" in (result.attestation_reason or "")
