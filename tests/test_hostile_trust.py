"""Hostile listings and provenance must never turn into "verified" or "verified-pinned".

Each case serves real provenance (tests/fixtures/attestations) under a listing changed the way a
compromised or broken index could change it.
"""

from __future__ import annotations

import json

from pypi_index import ATTESTATIONS, FixtureIndex, integrity_url, project_url
from test_trust import PA_SDIST, PA_WHEEL, SAMPLE_SDIST, kinds, one

from sbom_enrich.adapters.pypi.index import SIMPLE_ACCEPT
from sbom_enrich.trust.levels import TrustLevel


def test_another_projects_attested_file_listed_under_this_name_is_never_verified() -> None:
    index = FixtureIndex()
    sample_file = next(
        f
        for f in index.project("sampleproject")["releases"]["4.0.0"]
        if f["filename"] == SAMPLE_SDIST
    )
    project = index.project("pypi-attestations")
    project["releases"]["0.0.30"] = [sample_file]
    index.serve_json(project_url("pypi-attestations"), project)
    simple = index.simple("pypi-attestations")
    simple["meta"]["api-version"] = "1.3"
    provenance = integrity_url("pypi-attestations", "0.0.30", SAMPLE_SDIST)
    listed = next(
        f for f in index.simple("sampleproject")["files"] if f["filename"] == SAMPLE_SDIST
    )
    simple["files"] = [{**f, "provenance": None} for f in simple["files"]] + [
        {**listed, "provenance": provenance}
    ]
    index.serve_json(
        "https://pypi.org/simple/pypi-attestations/", simple, content_type=SIMPLE_ACCEPT
    )
    content = (ATTESTATIONS / f"{SAMPLE_SDIST}.provenance.json").read_bytes()
    index.serve_json(provenance, json.loads(content), content_type="application/json")

    result = one(index, "pypi-attestations", "0.0.30")
    assert result.attestation_status == "invalid"
    assert result.publisher is None
    assert result.level is TrustLevel.AT_RISK
    assert "is a file of project sampleproject, not pypi-attestations" in result.signals[0].message


def test_a_file_of_another_release_is_never_verified() -> None:
    index = FixtureIndex()
    project = index.project("pypi-attestations")
    earlier = next(f for f in project["releases"]["0.0.19"] if f["filename"] == PA_SDIST)
    project["releases"]["0.0.30"] = [earlier]
    index.serve_json(project_url("pypi-attestations"), project)
    index.with_provenance(
        "pypi-attestations", {PA_SDIST: "pypi_attestations-0.0.19.tar.gz.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.attestation_status == "invalid"
    assert "is a file of pypi-attestations 0.0.19, not 0.0.30" in result.signals[0].message


def test_an_environment_only_the_provenance_claims_is_not_pinned() -> None:
    """0.0.19's certificate carries no environment; the derived provenance claims one."""
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.19", {PA_SDIST})
    derived = json.loads(
        (ATTESTATIONS / "pypi_attestations-0.0.19.tar.gz.provenance.json").read_text()
    )
    for bundle in derived["attestation_bundles"]:
        bundle["publisher"]["environment"] = "release"
    index.with_provenance("pypi-attestations", {PA_SDIST: 404})
    url = integrity_url("pypi-attestations", "0.0.19", PA_SDIST)
    index.serve_json(url, derived, content_type="application/vnd.pypi.integrity.v1+json")

    result = one(index, "pypi-attestations", "0.0.19")
    assert result.attestation_status == "verified"
    assert result.publisher is not None
    assert result.publisher.environment == "release"
    assert not result.publisher.environment_verified
    assert result.level is not TrustLevel.VERIFIED_PINNED  # at-risk: the repository moved
    assert "no-environment" in kinds(result)


def test_the_certificates_environment_still_pins() -> None:
    index = FixtureIndex()
    index.only_files("pypi-attestations", "0.0.30", {PA_WHEEL})
    index.with_provenance(
        "pypi-attestations", {PA_WHEEL: "pypi_attestations-0.0.30-py3-none-any.whl.provenance.json"}
    )
    result = one(index, "pypi-attestations", "0.0.30")
    assert result.level is TrustLevel.VERIFIED_PINNED
    assert "no-environment" not in kinds(result)


def test_an_organisation_owned_project_is_not_maintained_by_nobody() -> None:
    """attrs is owned by the attrs organisation; PyPI lists no individual roles for it."""
    from sbom_enrich.trust.properties import trust_properties

    result = one(FixtureIndex(), "attrs", "24.2.0")
    props = dict((p.name, p.value) for p in trust_properties(result))
    assert props["maintainers"] == "none listed: owned by organization attrs"
    assert props["organization"] == "attrs"


def test_a_funding_link_is_not_the_declared_repository() -> None:
    from sbom_enrich.trust.signals import declared_repositories

    attrs = FixtureIndex().project("attrs")["info"]["project_urls"]
    assert attrs["Funding"] == "https://github.com/sponsors/hynek"  # the real metadata
    assert declared_repositories(attrs) == {"github.com/python-attrs/attrs"}
    assert declared_repositories({"Homepage": "https://github.com/sponsors/hynek"}) == set()


def test_fix_advice_prefers_the_final_release_of_a_pre_release_fix() -> None:
    from test_advisories import component as _component
    from test_advisories import run as _run

    from sbom_enrich.advisories.collect import advise_fix, merge_advisories
    from sbom_enrich.model.advisory import Advisory

    index = FixtureIndex()
    index.serve_status("https://pypi.org/pypi/attrs/14.3.0/json", 404)  # as for 24.2.0
    facts = _run(index, _component("attrs", "14.3.0")).results[0].facts
    (advisory,) = merge_advisories([Advisory("X-1", frozenset(), "db", fixed_in=("15.0.0a1",))])
    assert advise_fix(facts, advisory).version == "15.0.0"
    urllib3 = _run(FixtureIndex(), _component("urllib3", "1.26.12")).results[0].facts
    (advisory,) = merge_advisories([Advisory("X-2", frozenset(), "db", fixed_in=("2.0.0a1",))])
    assert advise_fix(urllib3, advisory).version == "2.0.0a1"  # 2.0.0 itself was yanked
