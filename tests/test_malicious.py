"""Malicious-package records as they really are (OpenSSF's repository layout, real records).

Such records list one version, none, or "every version" only in their per-source origins; a
component matches by hash, name or version, and the report says which.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, bom_of

from sbom_enrich.adapters.advisories.database import AdvisoryDatabase
from sbom_enrich.cli import cli

MALICIOUS = FIXTURES / "malicious"
WHEEL_SHA256 = "c8784cf0aa8fa13a43614fbd6d51902feeecafdc06fc4db2695fd2572db66db8"


@pytest.mark.parametrize(
    ("project", "version", "sha256", "expected"),
    [
        ("48484efej8id", "0.1", None, ("MAL-2024-11512", "version")),
        ("48484efej8id", "0.2", None, None),  # only 0.1 is listed, by the record and its origin
        ("3web-py", "2.0", None, ("MAL-2024-9934", "name")),  # an origin covers every version
        ("0requests", "0.0.1", None, ("MAL-2026-15859", "version")),
        ("0requests", "0.0.2", WHEEL_SHA256, ("MAL-2026-15859", "hash")),
        ("0requests", "0.0.2", WHEEL_SHA256.upper(), ("MAL-2026-15859", "hash")),
        ("0requests", "0.0.2", "00" * 32, None),
    ],
)
def test_a_record_matches_by_hash_name_or_version(
    project: str, version: str, sha256: str | None, expected: tuple[str, str] | None
) -> None:
    found, gaps = AdvisoryDatabase(MALICIOUS).lookup(project, version, sha256)
    assert gaps == ()
    assert [(a.id, a.match) for a in found] == ([expected] if expected else [])


def test_the_openssf_layout_is_an_advisory_db_and_origin_records_are_skipped() -> None:
    database = AdvisoryDatabase(MALICIOUS)
    assert (database.summary.records, database.summary.skipped) == (3, 1)
    assert "non-empty string id" in (database.summary.first_skip or "")


def test_malicious_components_lead_the_report_with_how_they_matched(tmp_path: Path) -> None:
    components = [
        {
            "type": "library",
            "name": "requests",
            "version": "2.28.1",
            "purl": "pkg:pypi/requests@2.28.1",
        },
        {
            "type": "library",
            "name": "0requests",
            "version": "0.0.2",
            "purl": "pkg:pypi/0requests@0.0.2",
            "hashes": [{"alg": "SHA-256", "content": WHEEL_SHA256}],
        },
        {"type": "library", "name": "3web-py", "version": "2.0", "purl": "pkg:pypi/3web-py@2.0"},
    ]
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(bom_of(*components)))
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(sbom), "-o", str(tmp_path / "o.json"), "--offline"),
            *("--state", str(tmp_path / "s.sqlite"), "--advisory-db", str(MALICIOUS)),
            *("--advisory-db", str(FIXTURES / "advisories" / "pypa-advisory-database-3ccb612.zip")),
            *("--no-pypi-advisories", "--report", f"json:{report}", "--fail-on", "malicious"),
        ],
    )
    assert result.exit_code == 1, result.stderr
    assert "--fail-on malicious matched 2" in result.stderr
    findings = json.loads(report.read_text())["findings"]
    top = [(f["id"], f["component"]["name"], f["advisory"]["match"]) for f in findings[:2]]
    assert sorted(top) == [
        ("MAL-2024-9934", "3web-py", "name"),
        ("MAL-2026-15859", "0requests", "hash"),
    ]
    assert all(f["kind"] == "malicious" for f in findings[:2])
    assert all(f["kind"] != "malicious" for f in findings[2:]) and len(findings) > 2
    hashed = next(f for f in findings if f["id"] == "MAL-2026-15859")
    assert "matched by hash" in hashed["reasons"][0]
