"""Findings written as CycloneDX: valid in every spec version, replaced on re-runs, and VEX out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLE_RECORDING, SAMPLE_SBOMS
from cyclonedx.schema import SchemaVersion

from sbom_enrich.cli import cli
from sbom_enrich.cyclonedx.validate import validate_tree

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"
ADVISORIES = REPO / "samples" / "advisories"


def enrich(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["enrich", *args, "--replay", str(SAMPLE_RECORDING), "--advisory-db", str(ADVISORIES)],
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"])
def test_every_written_document_validates(tmp_path: Path, version: str) -> None:
    """The 1.6 sample cannot be written as 1.5 (a 1.6 license key): 1.5 comes from the 1.4 one,
    and 1.2/1.3 from it without its tool's externalReferences (a 1.4 key)."""
    older = version < "1.6"
    source = SAMPLE_SBOMS / ("linkcheck.requirements.cdx-1.4.json" if older else SAMPLE.name)
    if version < "1.4":
        tree = json.loads(source.read_text())
        for tool in tree["metadata"]["tools"]:
            tool.pop("externalReferences", None)
        source = tmp_path / "in.json"
        source.write_text(json.dumps(tree))
    out = tmp_path / "out.json"
    code, stderr = enrich(str(source), "-o", str(out), "--spec-version", version)
    assert code == 0, stderr
    tree = json.loads(out.read_text())
    validate_tree(tree, SchemaVersion.from_version(version), source=str(out))
    vulnerabilities = tree.get("vulnerabilities", [])
    if version in ("1.2", "1.3"):
        assert vulnerabilities == []  # CycloneDX has no vulnerabilities before 1.4
    else:
        assert len(vulnerabilities) == (10 if older else 12)  # no pip, setuptools
        assert all(v["affects"][0]["ref"] for v in vulnerabilities)


def test_vex_out_validates_and_links_into_the_input(tmp_path: Path) -> None:
    out, vex = tmp_path / "out.json", tmp_path / "vex.json"
    code, stderr = enrich(str(SAMPLE), "-o", str(out), "--vex-out", str(vex))
    assert code == 0, stderr
    tree = json.loads(vex.read_text())
    validate_tree(tree, SchemaVersion.from_version(tree["specVersion"]), source=str(vex))
    serial = json.loads(SAMPLE.read_text())["serialNumber"].removeprefix("urn:uuid:")
    refs = {v["affects"][0]["ref"] for v in tree["vulnerabilities"]}
    assert f"urn:cdx:{serial}/1#requests%3D%3D2.28.1" in refs


def test_vex_out_needs_a_serial_number(tmp_path: Path) -> None:
    bom = json.loads(SAMPLE.read_text())
    del bom["serialNumber"]
    source = tmp_path / "no-serial.json"
    source.write_text(json.dumps(bom))
    vex = tmp_path / "vex.json"
    code, stderr = enrich(str(source), "-o", str(tmp_path / "o.json"), "--vex-out", str(vex))
    assert code == 3 and "has no serialNumber" in stderr
    assert not vex.exists() and not (tmp_path / "o.json").exists()


def test_rerun_replaces_our_findings_and_keeps_foreign_ones(tmp_path: Path) -> None:
    bom = json.loads(SAMPLE.read_text())
    foreign = {"id": "VENDOR-1", "affects": [{"ref": "Flask==2.2.2"}]}
    bom["vulnerabilities"] = [foreign]
    source = tmp_path / "with-foreign.json"
    source.write_text(json.dumps(bom))
    once, twice = tmp_path / "once.json", tmp_path / "twice.json"
    assert enrich(str(source), "-o", str(once))[0] == 0
    assert enrich(str(once), "-o", str(twice))[0] == 0
    first, second = json.loads(once.read_text()), json.loads(twice.read_text())
    assert first["vulnerabilities"][0] == foreign
    assert second["vulnerabilities"] == first["vulnerabilities"]


def test_suppression_from_pyproject_reaches_the_sbom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sbom-enrich.ignore]]\nid = "CVE-2023-32681"\nreason = "no proxies here"\n'
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.json"
    code, stderr = enrich(str(SAMPLE), "-o", str(out))
    assert code == 0, stderr
    assert "11 in 7 components" in stderr and "1 suppressed" in stderr  # requests had one
    entry = next(
        v for v in json.loads(out.read_text())["vulnerabilities"] if v["id"] == "PYSEC-2023-74"
    )
    assert entry["analysis"]["state"] == "not_affected"
    assert entry["analysis"]["detail"].startswith("no proxies here [")


def test_bad_advisory_db_and_config_exit_3(tmp_path: Path) -> None:
    not_zip = tmp_path / "db.zip"
    not_zip.write_bytes(b"junk")
    result = CliRunner().invoke(
        cli, ["enrich", str(SAMPLE), "--offline", "--advisory-db", str(not_zip)]
    )
    assert result.exit_code == 3 and "not a zip file" in result.stderr
    config = tmp_path / "bad.toml"
    config.write_text('[[ignore]]\nid = "X"\n')
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "--offline", "--config", str(config)])
    assert result.exit_code == 3 and "'reason' is required" in result.stderr


def test_ignore_on_the_command_line_suppresses_by_alias(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, stderr = enrich(str(SAMPLE), "-o", str(out), "--ignore", "CVE-2023-32681")
    assert code == 0, stderr
    assert "1 suppressed" in stderr
    entry = next(
        v for v in json.loads(out.read_text())["vulnerabilities"] if v["id"] == "PYSEC-2023-74"
    )
    assert entry["analysis"]["state"] == "not_affected"
    assert entry["analysis"]["detail"].startswith("ignored with --ignore on the command line")
