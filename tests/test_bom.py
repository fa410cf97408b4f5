"""What load_bom exposes: PyPI components as frozen records, skips with reasons, the graph."""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import FIXTURES, SAMPLE_SBOMS
from rich.console import Console

from sbom_enrich import load_bom
from sbom_enrich.cli.progress import component_progress

TRICKY = FIXTURES / "tricky"


def test_components_of_a_real_environment_sbom() -> None:
    document = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json")
    assert document.input_kind == "json"
    assert document.spec_version.to_version() == "1.6"
    assert document.root_ref == "root-component"
    by_name = {c.name: c for c in document.components}
    assert by_name["requests"].version == "2.28.1"
    assert by_name["requests"].purl == "pkg:pypi/requests@2.28.1"
    assert by_name["requests"].bom_ref == "requests==2.28.1"
    assert document.dependencies["Flask==2.2.2"] == (
        "Jinja2==3.1.2",
        "Werkzeug==2.2.2",
        "click==8.1.3",
        "itsdangerous==2.1.2",
    )
    assert document.skipped == ()


def test_records_are_frozen() -> None:
    component = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json").components[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        component.name = "other"  # type: ignore[misc]


def test_nested_components_scope_and_paths() -> None:
    document = load_bom(TRICKY / "nested-components-1.5.json")
    paths = {c.name: c.json_path for c in document.components}
    assert paths == {
        "Flask": "$.components[0].components[0]",
        "Werkzeug": "$.components[0].components[0].components[0]",
        "Jinja2": "$.components[1]",
    }
    scopes = {c.name: c.scope for c in document.components}
    assert scopes == {"Flask": None, "Werkzeug": "required", "Jinja2": "optional"}
    assert [s.component.name for s in document.skipped] == ["flask-stack", "README.md"]


def test_skip_reasons() -> None:
    document = load_bom(TRICKY / "no-purl-no-bomref-1.4.json")
    reasons = {s.component.name: s.reason for s in document.skipped}
    assert reasons == {
        "mystery-lib": "no purl",
        "left-pad": "not a pypi purl (pkg:npm)",
        "broken": "invalid purl",
        "unpinned": "pypi purl without a version",
        "debian": "no purl",
    }
    assert [c.name for c in document.components] == ["no-ref-pypi"]
    assert document.components[0].bom_ref is None


def test_hashes() -> None:
    component = load_bom(TRICKY / "unknown-keys-1.6.json").components[0]
    digest = "7c5599b102feddaa661c826c56ab4fee28bfd17f5abca1ebbe3e7f19d7c97983"
    assert component.hash_value("sha-256") == digest
    assert component.hash_value("SHA-512") is None


def test_unknown_keys_are_reported() -> None:
    document = load_bom(TRICKY / "unknown-keys-1.6.json")
    assert document.unknown_keys == (
        "$.x-generator-extension",
        "$.x-trailing",
        "$.metadata.x-vendor-note",
        "$.components[0].x-internal-id",
        "$.components[1].x-first-key-unknown",
    )


def test_xml_input() -> None:
    document = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.5.xml")
    assert document.input_kind == "xml"
    assert document.spec_version.to_version() == "1.5"
    assert len(document.components) == 15


@pytest.mark.parametrize(("terminal", "drawn"), [(True, True), (False, False)])
def test_progress_bar_only_on_a_terminal(terminal: bool, drawn: bool) -> None:
    document = load_bom(SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json")
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=terminal, width=80)
    with component_progress(console, 13, description="Enriching", enabled=True) as advance:
        for component in document.components:
            advance(component)
    assert ("Enriching" in stream.getvalue()) is drawn
