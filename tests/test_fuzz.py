"""Property-based fuzzing of the loader: any input gives a document or an SbomEnrichError."""

from __future__ import annotations

import json
from typing import Any

from conftest import SAMPLE_SBOMS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import bom_like, json_values

from sbom_enrich import SbomEnrichError, parse_bom, render_enriched

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
