"""``enrich --baseline``: changes measured against an SBOM enriched earlier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import REPO, SAMPLE_RECORDING, SAMPLE_SBOMS

from sbom_enrich.cli import cli

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"
EARLIER = REPO / "samples" / "baseline" / "linkcheck.enriched.cdx.json"


def _enrich(tmp_path: Path, baseline: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(SAMPLE),
            "--replay",
            str(SAMPLE_RECORDING),
            "--state",
            str(tmp_path / "state.sqlite3"),  # fresh: only the baseline file can show a change
            "--baseline",
            str(baseline),
            "-o",
            str(out),
        ],
    )
    return result.exit_code, result.stderr


def _signals(out: Path, name: str) -> dict[str, str]:
    tree = json.loads(out.read_text())
    component = next(c for c in tree["components"] if c["name"] == name)
    return {
        p["name"]: p["value"]
        for p in component["properties"]
        if p["name"].startswith("sbom-enrich:signal:")
    }


def test_an_owner_added_since_the_baseline_sbom_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, stderr = _enrich(tmp_path, EARLIER, out)
    assert code == 0, stderr
    # the earlier state (scripts/build_sample_index.py) had urllib3 without illia-v
    assert _signals(out, "urllib3") == {
        "sbom-enrich:signal:ownership-changed": "high: PyPI roles changed since 2026-11-25: "
        "added illia-v (Owner)"
    }
    assert "urllib3 1.26.12: ownership-changed: PyPI roles changed since" in stderr


def test_the_same_state_as_the_baseline_shows_no_change(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert _enrich(tmp_path, EARLIER, first)[0] == 0
    second = tmp_path / "second.json"
    code, stderr = _enrich(tmp_path, first, second)  # roles and publishers read back exactly
    assert code == 0, stderr
    assert "changed" not in stderr


def _edit_component(tree: dict[str, Any], name: str, **properties: str) -> dict[str, Any]:
    component = next(c for c in tree["components"] if c["name"] == name)
    for prop in component["properties"]:
        key = prop["name"].removeprefix("sbom-enrich:")
        if key in properties:
            prop["value"] = properties[key]
    return component


def test_a_publisher_other_than_the_earlier_release_s_is_reported(tmp_path: Path) -> None:
    tree = json.loads(EARLIER.read_text())
    component = _edit_component(tree, "sampleproject", **{"publisher:repository": "evil/fork"})
    component["version"] = "3.0.0"  # the earlier SBOM had the release before
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(tree))
    out = tmp_path / "out.json"
    code, stderr = _enrich(tmp_path, earlier, out)
    assert code == 0, stderr
    assert _signals(out, "sampleproject")["sbom-enrich:signal:publisher-changed"] == (
        "high: published by GitHub pypa/sampleproject release.yml; earlier runs saw only "
        "GitHub:evil/fork:release.yml"
    )


def test_an_sbom_that_was_never_enriched_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, stderr = _enrich(tmp_path, SAMPLE, out)
    assert code == 3
    assert stderr.strip().splitlines() == [
        f"sbom-enrich: error: {SAMPLE}: not an SBOM enriched by sbom-enrich: no component has a "
        "'sbom-enrich:maintainers' property to compare with"
    ]
    assert not out.exists()
