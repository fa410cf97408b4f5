"""Property-based fuzzing of the loader: any input gives a document or an SbomEnrichError."""

from __future__ import annotations

import json
from typing import Any

from conftest import SAMPLE_SBOMS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sbom_enrich import SbomEnrichError, parse_bom, render_enriched

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)

COMPONENT_KEYS = ["type", "name", "version", "purl", "bom-ref", "scope", "hashes", "components"]
plausible_component = st.fixed_dictionaries(
    {"type": st.sampled_from(["library", "application", "file"]), "name": st.text(max_size=12)},
    optional={
        "version": st.text(max_size=8),
        "purl": st.sampled_from(["pkg:pypi/x@1", "pkg:npm/y@2", "pkg:pypi/z", "junk"])
        | st.text(max_size=16),
        "bom-ref": st.text(max_size=6),
        "scope": st.sampled_from(["required", "optional", "excluded"]),
        "x-unknown": json_values,
    },
)
component_like = plausible_component | st.dictionaries(
    st.sampled_from(COMPONENT_KEYS), json_values, max_size=8
)
bom_like = st.fixed_dictionaries(
    {
        "bomFormat": st.sampled_from(["CycloneDX"] * 8 + ["cyclonedx"]) | json_values,
        "specVersion": st.sampled_from(["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]),
    },
    optional={
        "version": st.integers(1, 3),
        "components": st.lists(plausible_component, max_size=4)
        | st.lists(component_like, max_size=4),
        "dependencies": json_values,
        "metadata": json_values,
    },
)


def _load_or_refuse(data: bytes) -> bool:
    try:
        document = parse_bom(data, source="fuzz")
    except SbomEnrichError:
        return False
    render_enriched(document)  # whatever loads must also write
    return True


@FUZZ
@given(st.binary(max_size=512))
def test_arbitrary_bytes(data: bytes) -> None:
    _load_or_refuse(data)


@FUZZ
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    _load_or_refuse(json.dumps(value).encode())


@FUZZ
@given(bom_like)
def test_bom_shaped_json(value: dict[str, Any]) -> None:
    loaded = _load_or_refuse(json.dumps(value).encode())
    event(f"loaded: {loaded}")


SAMPLE = (SAMPLE_SBOMS / "linkcheck.requirements.cdx-1.4.json").read_bytes()


@FUZZ
@given(st.integers(0, len(SAMPLE) - 1), st.binary(min_size=1, max_size=8))
def test_corrupted_real_sbom(offset: int, patch: bytes) -> None:
    _load_or_refuse(SAMPLE[:offset] + patch + SAMPLE[offset + len(patch) :])


@FUZZ
@given(st.text(alphabet="<>/=\"' abomxmlns:?!-[]&;", max_size=200))
def test_xml_shaped_text(text: str) -> None:
    _load_or_refuse(("<" + text).encode())
