"""docs/properties.md lists every property name and value the code emits."""

from __future__ import annotations

import json
import re

from conftest import REPO, SAMPLE_SBOMS

from sbom_enrich import load_bom, render_enriched

DOC = (REPO / "docs" / "properties.md").read_text()
ROW = re.compile(r"^\| `(sbom-enrich:[a-z:-]+)` \| (?P<values>[^|]+) \|", re.M)


def _documented() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for match in ROW.finditer(DOC):
        rows[match[1]] = set(re.findall(r"`([^`]+)`", match["values"]))
    return rows


def test_every_emitted_property_is_documented_with_its_value() -> None:
    documented = _documented()
    assert documented, "no property rows found in docs/properties.md"
    for path in SAMPLE_SBOMS.glob("*"):
        tree = json.loads(render_enriched(load_bom(path)))
        for component in tree["components"]:
            for prop in component.get("properties", []):
                if prop["name"].startswith("sbom-enrich:"):
                    assert prop["name"] in documented
                    assert prop["value"] in documented[prop["name"]]
