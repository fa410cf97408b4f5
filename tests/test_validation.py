"""Our linear-time validator agrees with cyclonedx-python-lib's own JsonValidator."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURES, SAMPLE_SBOMS
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonValidator
from hypothesis import HealthCheck, given, settings
from strategies import bom_like

from sbom_enrich.cyclonedx.spec import parse_spec_version
from sbom_enrich.cyclonedx.validate import _is_iri_reference, validate_tree
from sbom_enrich.errors import SbomEnrichError, SchemaValidationError

rfc3987_syntax = pytest.importorskip("rfc3987_syntax")


def _library_verdict(tree: dict[str, Any], version: SchemaVersion) -> bool:
    """True when the library finds no error other than unknown keys."""
    errors = JsonValidator(version).validate_str(json.dumps(tree), all_errors=True) or []
    return all(_only_unknown_keys(error.data) for error in errors)


def _only_unknown_keys(error: Any) -> bool:
    if error.validator == "additionalProperties":
        return True
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[object, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        return any(all(_only_unknown_keys(s) for s in branch) for branch in branches.values())
    return False


def _our_verdict(tree: dict[str, Any], version: SchemaVersion) -> bool:
    try:
        validate_tree(tree, version, source="test")
    except SchemaValidationError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bom_like)
def test_same_verdict_as_the_library(tree: dict[str, Any]) -> None:
    try:
        version = parse_spec_version(tree["specVersion"])
    except SbomEnrichError:
        return
    assert _our_verdict(tree, version) == _library_verdict(tree, version)


@pytest.mark.parametrize(
    "path",
    sorted(SAMPLE_SBOMS.glob("*.json"))
    + sorted((FIXTURES / "tricky").glob("*.json"))
    + sorted((FIXTURES / "bad").glob("schema-*.json")),
    ids=lambda p: p.name,
)
def test_same_verdict_on_real_files(path: Any) -> None:
    tree = json.loads(path.read_text())
    version = SchemaVersion.from_version(tree["specVersion"])
    assert _our_verdict(tree, version) == _library_verdict(tree, version)


IRI_EXAMPLES = [
    "https://github.com/pallets/flask/",
    "https://例え.テスト/パス?q=ü",
    "http://[::1]:8080/a",
    "mailto:someone@example.org",
    "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    "../relative/path#frag",
    "",
    "https://exa mple.org",
    "http://[::1",
    "https://example.org/%zz",
    "ht tp://x",
    "https://example.org/<tag>",
    "https://example.org/\\back",
]


# rfc3987-syntax 1.1.0 rejects IPv6 host literals, which RFC 3986 section 3.2.2 allows.
RFC3987_SYNTAX_WRONG = {"http://[::1]:8080/a"}


@pytest.mark.parametrize("iri", IRI_EXAMPLES)
def test_iri_reference_check_agrees_with_rfc3987_syntax(iri: str) -> None:
    expected = rfc3987_syntax.is_valid_syntax("iri_reference", iri)
    if iri in RFC3987_SYNTAX_WRONG:
        assert not expected  # if this fails, rfc3987-syntax was fixed: drop the entry
        expected = True
    assert _is_iri_reference(iri) == expected


def test_uri_strings_of_the_samples_are_accepted() -> None:
    urls = [
        ref["url"]
        for path in SAMPLE_SBOMS.glob("*.json")
        for component in json.loads(path.read_text())["components"]
        for ref in component.get("externalReferences", [])
    ]
    assert urls
    assert all(_is_iri_reference(url) for url in urls)


def _big_document(count: int) -> dict[str, Any]:
    tree = json.loads((SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json").read_text())
    template = tree["components"][0]
    tree["components"] = [
        {**template, "bom-ref": f"ref-{i}", "name": f"pkg-{i}", "purl": f"pkg:pypi/pkg-{i}@1.0"}
        for i in range(count)
    ]
    tree["dependencies"] = [{"ref": f"ref-{i}"} for i in range(count)]
    return tree


def _outcome(tree: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    try:
        report = validate_tree(tree, SchemaVersion.V1_6, source="big")
    except SchemaValidationError as err:
        return err.message, ()
    return "valid", report.unknown_keys


@pytest.mark.parametrize(
    "damage",
    ["none", "bad-type-late", "unknown-key-late", "duplicate-component", "bad-dependency"],
)
def test_parallel_validation_matches_serial(monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    import sbom_enrich.cyclonedx.validate as validation

    tree = _big_document(1500)
    if damage == "bad-type-late":
        tree["components"][1342]["type"] = "banana"
    elif damage == "unknown-key-late":
        tree["components"][1499]["x-vendor"] = 1
    elif damage == "duplicate-component":
        tree["components"].append(tree["components"][7])
    elif damage == "bad-dependency":
        tree["dependencies"][1200]["dependsOn"] = "ref-1"
    assert len(tree["components"]) >= validation.PARALLEL_MIN_ITEMS
    parallel = _outcome(tree)
    monkeypatch.setattr(validation, "PARALLEL_MIN_ITEMS", 10**9)
    serial = _outcome(tree)
    assert parallel == serial
    expected = {
        "none": "valid",
        "bad-type-late": "big: $.components[1342].type: 'banana' is not one of",
        "unknown-key-late": "valid",
        "duplicate-component": "non-unique elements",
        "bad-dependency": "big: $.dependencies[1200].dependsOn: 'ref-1' is not of type 'array'",
    }[damage]
    assert expected in parallel[0]
    if damage == "unknown-key-late":
        assert parallel[1] == ("$.components[1499].x-vendor",)


def _formats(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["format"]} if isinstance(value.get("format"), str) else set()
        return found.union(*(_formats(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_formats(v) for v in value))
    return set()


def test_the_format_checkers_the_command_skips_check_no_format_a_schema_uses() -> None:
    from importlib import resources

    from sbom_enrich.cli import UNUSED_FORMAT_CHECKERS

    schemas = resources.files("cyclonedx.schema") / "_res"
    used = set().union(
        *(
            _formats(json.loads(f.read_text()))
            for f in schemas.iterdir()
            if f.name.endswith(".json")
        )
    )
    assert {"date-time", "iri-reference"} <= used  # the schemas were read
    skipped = {f for formats in UNUSED_FORMAT_CHECKERS.values() for f in formats}
    assert used & skipped <= {"iri", "iri-reference"}  # those our validator checks itself
