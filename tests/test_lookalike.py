"""Look-alike names, on real typosquats and real legitimate names (bench/lookalike.py measures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, bom_of

from sbom_enrich.cli import cli
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.trust.lookalike import find_lookalike


def _squatted(record: str) -> str:
    path = next((FIXTURES / "malicious").rglob(record))
    return str(json.loads(path.read_text())["affected"][0]["package"]["name"])


@pytest.mark.parametrize(
    ("record", "popular", "how"),
    [
        ("MAL-2026-15859.json", "requests", "one character changed"),
        ("MAL-2024-9934.json", "web3", "a prefix or suffix added"),
    ],
)
def test_real_typosquats_from_malicious_records_are_caught(
    record: str, popular: str, how: str
) -> None:
    found = find_lookalike(_squatted(record))
    assert found is not None and (found.popular, found.how) == (popular, how)
    assert found.own_downloads is None


@pytest.mark.parametrize("name", ["requests", "boto", "boto3", "six", "python-dateutil", "urllib3"])
def test_popular_projects_are_not_flagged_for_each_other(name: str) -> None:
    assert find_lookalike(name) is None


def test_no_component_of_the_real_sboms_is_flagged() -> None:
    paths = [*(REPO / "samples" / "sbom").iterdir(), REPO / "bench" / "data" / "bench-320.cdx.json"]
    names = {c.name for path in paths for c in load_bom(str(path)).components}
    assert len(names) > 300
    assert [n for n in names if find_lookalike(n)] == []


def test_the_signal_reaches_the_report(tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(
        json.dumps(
            bom_of(
                {
                    "type": "library",
                    "name": "0requests",
                    "version": "0.0.1",
                    "purl": "pkg:pypi/0requests@0.0.1",
                }
            )
        )
    )
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(sbom), "-o", str(tmp_path / "o.json"), "--offline"),
            *("--state", str(tmp_path / "s.sqlite"), "--report", f"json:{report}"),
            *("--fail-on", "signal:name-lookalike"),
        ],
    )
    assert result.exit_code == 1, result.stderr
    (finding,) = [
        f
        for f in json.loads(report.read_text())["findings"]
        if f["kind"] == "trust" and f["id"] == "name-lookalike"
    ]
    assert finding["signal"]["message"].startswith("the name looks like requests")
