"""OpenVEX out (--vex-out *.openvex.json), validated against the OpenVEX 0.2.0 JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, SAMPLE_RECORDING, SAMPLE_SBOMS

from sbom_enrich.cli import cli

SCHEMA = json.loads((FIXTURES / "schemas" / "openvex_json_schema.json").read_text())
SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"


def _openvex(tmp_path: Path, *args: str) -> dict[str, object]:
    vex = tmp_path / "findings.openvex.json"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(SAMPLE), "-o", str(tmp_path / "o.json"), "--vex-out", str(vex)),
            *(
                "--replay",
                str(SAMPLE_RECORDING),
                "--advisory-db",
                str(REPO / "samples" / "advisories"),
            ),
            *args,
        ],
    )
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(vex.read_text())
    return document


def test_the_openvex_validates_and_names_product_and_subcomponent_by_purl(tmp_path: Path) -> None:
    document = _openvex(tmp_path)
    jsonschema.validate(
        document, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    statements = document["statements"]
    assert isinstance(statements, list) and len(statements) == 12
    flask = next(s for s in statements if s["vulnerability"]["name"] == "CVE-2023-30861")
    assert flask["vulnerability"]["aliases"] == ["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"]
    assert flask["products"][0]["subcomponents"] == [{"@id": "pkg:pypi/flask@2.2.2"}]
    assert flask["status"] == "affected"
    assert flask["action_statement"].startswith("Upgrade Flask to ")


def test_a_suppressed_finding_is_not_affected_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sbom-enrich.ignore]]\nid = "CVE-2023-32681"\nreason = "no proxies here"\n'
    )
    monkeypatch.chdir(tmp_path)
    document = _openvex(tmp_path)
    jsonschema.validate(document, SCHEMA)
    statements = document["statements"]
    assert isinstance(statements, list)
    (requests,) = [s for s in statements if s["vulnerability"]["name"] == "CVE-2023-32681"]
    assert requests["status"] == "not_affected"
    assert requests["impact_statement"] == "no proxies here"


def test_vex_format_chooses_openvex_for_any_name(tmp_path: Path) -> None:
    vex = tmp_path / "vex.json"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(SAMPLE), "-o", str(tmp_path / "o.json"), "--vex-out", str(vex)),
            *("--vex-format", "openvex", "--replay", str(SAMPLE_RECORDING)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(vex.read_text())["@context"] == "https://openvex.dev/ns/v0.2.0"
