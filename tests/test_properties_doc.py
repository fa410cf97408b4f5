"""docs/properties.md lists every property name and value the code emits."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO, SAMPLE_RECORDING, SAMPLE_SBOMS

from sbom_enrich import TrustLevel, load_bom, render_enriched
from sbom_enrich.cli import cli
from sbom_enrich.trust.signals import SIGNAL_KINDS

DOC = (REPO / "docs" / "properties.md").read_text()
ROW = re.compile(r"^\| `(sbom-enrich:[a-z:-]+)` \| (?P<values>[^|]+) \|", re.M)


def _documented() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for match in ROW.finditer(DOC):
        values = set(re.findall(r"`([^`]+)`", match["values"]))
        if "free text" in match["values"]:
            values.add("free text")
        rows[match[1]] = values
    return rows


def _check(tree: dict[str, object], documented: dict[str, set[str]]) -> None:
    for component in tree["components"]:  # type: ignore[attr-defined]
        for prop in component.get("properties", []):
            name, value = prop["name"], prop["value"]
            if name.startswith("sbom-enrich:"):
                assert name in documented, name
                values = documented[name]
                assert value in values or "free text" in values, (name, value)


def test_every_emitted_property_is_documented_with_its_value(tmp_path: Path) -> None:
    documented = _documented()
    assert documented, "no property rows found in docs/properties.md"
    for path in SAMPLE_SBOMS.glob("*"):
        _check(json.loads(render_enriched(load_bom(path))), documented)
        out = tmp_path / "out.json"
        result = CliRunner().invoke(
            cli,
            [
                "enrich",
                str(path),
                "--replay",
                str(SAMPLE_RECORDING),
                "--advisory-db",
                str(REPO / "samples" / "advisories"),
                "-o",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.stderr
        _check(json.loads(out.read_text()), documented)


def test_every_signal_kind_is_documented() -> None:
    documented = _documented()
    source = (REPO / "sbom_enrich" / "trust" / "signals.py").read_text()
    literal = set(re.findall(r'Signal\(\s*"([a-z-]+)"', source))
    assert literal <= set(SIGNAL_KINDS)
    for kind in SIGNAL_KINDS:
        assert f"sbom-enrich:signal:{kind}" in documented, kind


def test_every_trust_level_is_documented() -> None:
    values = _documented()["sbom-enrich:trust:level"]
    assert {level.label for level in TrustLevel} == values
