"""The state store's encoding of gathered facts: exact round trips, shared parts written once."""

from __future__ import annotations

import json

import pytest
from pypi_index import FixtureIndex

from sbom_enrich.adapters.http.client import build_client
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import PyPIClient
from sbom_enrich.adapters.store.facts_codec import (
    FORMAT,
    FactsDecodeError,
    decode_facts,
    encode_facts,
)
from sbom_enrich.model.facts import PackageFacts
from sbom_enrich.model.index import ReleaseInfo

SAMPLE_SDIST = "sampleproject-4.0.0.tar.gz"


def gathered() -> PackageFacts:
    """sampleproject 4.0.0 as a lookup gathers it from the recorded index, provenance included."""
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance(
        "sampleproject", {SAMPLE_SDIST: "sampleproject-4.0.0.tar.gz.provenance.json"}
    )
    with build_client(transport=index.transport(), sleep=lambda seconds: None) as client:
        return PyPIFactSource(PyPIClient(client)).facts("sampleproject", "4.0.0", None)


def test_gathered_facts_come_back_equal() -> None:
    facts = gathered()
    assert facts.attestations  # the provenance was read: the richest entry there is
    assert decode_facts(encode_facts(facts)) == facts


def test_what_the_release_and_the_facts_share_is_written_once() -> None:
    facts = gathered()
    assert isinstance(facts.release, ReleaseInfo)
    assert facts.metadata is facts.release.metadata  # as the lookup builds them
    text = encode_facts(facts)
    assert text.count('"$":"ProjectMetadata"') == 1
    assert '"$":"ref"' in text
    back = decode_facts(text)
    assert back is not None and isinstance(back.release, ReleaseInfo)
    assert back.metadata is back.release.metadata


def test_a_reference_to_nothing_built_is_an_invalid_entry() -> None:
    data = json.loads(encode_facts(gathered()))
    data["facts"]["metadata"] = {"$": "ref", "v": 10**6}
    with pytest.raises(FactsDecodeError):
        decode_facts(json.dumps(data))


def test_an_entry_of_another_format_is_ignored() -> None:
    data = json.loads(encode_facts(gathered()))
    data["format"] = FORMAT - 1
    assert decode_facts(json.dumps(data)) is None
