"""PEP 751 attestation identities pinned in a pylock.toml, checked against real provenance.

sampleproject 4.0.0's sdist carries real PEP 740 provenance (tests/fixtures/attestations),
published by GitHub pypa/sampleproject release.yml.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SAMPLE_RECORDING
from pypi_index import FixtureIndex
from test_trust import SAMPLE_SDIST, component, kinds, run

from sbom_enrich.cli import cli
from sbom_enrich.inputs.locked import PINNED_IDENTITY
from sbom_enrich.trust.assess import ComponentTrust
from sbom_enrich.trust.levels import TrustLevel
from sbom_enrich.wiring import open_input


def _assessed(*identities: dict[str, str]) -> ComponentTrust:
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance(
        "sampleproject", {SAMPLE_SDIST: "sampleproject-4.0.0.tar.gz.provenance.json"}
    )
    pinned = tuple((PINNED_IDENTITY, json.dumps(i)) for i in identities)
    (result,) = run(index, replace(component("sampleproject", "4.0.0"), properties=pinned)).results
    return result


def test_a_pinned_identity_that_matches_the_provenance_keeps_it_verified() -> None:
    result = _assessed(
        {"kind": "GitHub", "repository": "pypa/sampleproject", "workflow": "release.yml"}
    )
    assert result.attestation_status == "verified"
    assert "identity-mismatch" not in kinds(result)
    assert result.level is TrustLevel.VERIFIED


@pytest.mark.parametrize(
    "pinned",
    [
        {"kind": "GitHub", "repository": "pypa/not-sampleproject", "workflow": "release.yml"},
        {"kind": "GitHub", "repository": "pypa/sampleproject", "workflow": "publish.yml"},
        {"kind": "GitLab", "repository": "pypa/sampleproject"},
        {"kind": "GitHub", "repository": "pypa/sampleproject", "environment": "pypi"},
    ],
)
def test_a_pinned_identity_that_differs_is_a_high_signal(pinned: dict[str, str]) -> None:
    result = _assessed(pinned)
    (signal,) = [s for s in result.signals if s.kind == "identity-mismatch"]
    assert signal.message.startswith("published by GitHub pypa/sampleproject release.yml")
    assert result.level is TrustLevel.AT_RISK


def test_no_pinned_identity_changes_nothing() -> None:
    assert kinds(_assessed()) == ["no-wheel", "no-environment"]


def test_a_pylock_s_identities_reach_the_component(tmp_path: Path) -> None:
    lock = tmp_path / "pylock.toml"
    lock.write_text(
        'lock-version = "1.0"\ncreated-by = "hand"\n\n[[packages]]\nname = "sampleproject"\n'
        'version = "4.0.0"\n\n[[packages.attestation-identities]]\nkind = "GitHub"\n'
        'repository = "pypa/sampleproject"\nworkflow = "release.yml"\n'
    )
    (found,) = open_input(str(lock)).document.components
    assert [json.loads(v) for n, v in found.properties if n == PINNED_IDENTITY] == [
        {"kind": "GitHub", "repository": "pypa/sampleproject", "workflow": "release.yml"}
    ]


def test_write_identities_pins_what_verified_and_changes_nothing_else(tmp_path: Path) -> None:
    lock = FIXTURES / "lockfiles" / "pylock.toml"
    pinned = tmp_path / "pylock.pinned.toml"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(lock), "-o", str(tmp_path / "o.json")),
            *("--replay", str(SAMPLE_RECORDING), "--write-identities", str(pinned)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Pinned the verified publisher of 1 package" in result.stderr
    text = pinned.read_text()
    assert text.count("[[packages.attestation-identities]]") == 1
    assert [line for line in text.splitlines() if line not in lock.read_text().splitlines()] == [
        "[[packages.attestation-identities]]",
        'kind = "GitHub"',
        'repository = "pypa/sampleproject"',
        'workflow = "release.yml"',
    ]
    (sampleproject,) = [
        c for c in open_input(str(pinned)).document.components if c.name == "sampleproject"
    ]
    assert any(name == PINNED_IDENTITY for name, _ in sampleproject.properties)
