"""Lossless writing: our output minus our additions is the input, keys, values and order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from additions_util import count_our_properties, strip_additions
from conftest import FIXTURES, SAMPLE_SBOMS

from sbom_enrich import load_bom, render_enriched

JSON_INPUTS = sorted(SAMPLE_SBOMS.glob("*.json")) + sorted((FIXTURES / "tricky").glob("*.json"))


def _ordered(tree: Any) -> str:
    # json.dumps without sort_keys keeps insertion order, so equal strings mean equal order too
    return json.dumps(tree, ensure_ascii=False)


@pytest.mark.parametrize("path", JSON_INPUTS, ids=lambda p: p.name)
def test_output_minus_additions_is_the_input(path: Path) -> None:
    original = json.loads(path.read_bytes())
    document = load_bom(path)
    output = json.loads(render_enriched(document))

    # CycloneDX 1.2 has no properties: there, only the tool entry is added
    expected = 0 if output["specVersion"] == "1.2" else len(document.components)
    assert count_our_properties(output) == expected
    assert _ordered(strip_additions(output, original)) == _ordered(original)


@pytest.mark.parametrize("path", JSON_INPUTS, ids=lambda p: p.name)
def test_input_tree_is_not_modified(path: Path) -> None:
    document = load_bom(path)
    before = _ordered(document.tree)
    render_enriched(document)
    assert _ordered(document.tree) == before


def test_output_is_valid_for_its_spec_version() -> None:
    from sbom_enrich import parse_bom

    for path in JSON_INPUTS:
        document = load_bom(path)
        again = parse_bom(render_enriched(document), source="output")
        assert again.spec_version == document.spec_version
        assert len(again.components) == len(document.components)


def test_enriching_twice_replaces_our_entries_instead_of_piling_up() -> None:
    from sbom_enrich import parse_bom

    path = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"
    once = render_enriched(load_bom(path))
    twice = render_enriched(parse_bom(once, source="once"))
    assert twice == once


def test_xml_input_is_written_as_json_with_the_same_components() -> None:
    document = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.5.xml")
    output = json.loads(render_enriched(document))
    assert output["specVersion"] == "1.5"
    names = [c["name"] for c in output["components"]]
    assert "Flask" in names and "requests" in names
    assert count_our_properties(output) == 15


def test_xml_output_when_asked_validates() -> None:
    from sbom_enrich import parse_bom

    document = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.5.xml")
    xml = render_enriched(document, output_kind="xml")
    assert xml.startswith(b"<?xml")
    again = parse_bom(xml, source="xml-output")
    props = [
        p["value"]
        for c in again.tree["components"]
        for p in c.get("properties", [])
        if p["name"] == "sbom-enrich:ecosystem"
    ]
    assert props == ["pypi"] * 15
