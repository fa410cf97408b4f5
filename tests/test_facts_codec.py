"""The state store's encoding of gathered facts: exact round trips, shared parts written once."""

from __future__ import annotations

import dataclasses
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
from sbom_enrich.model.index import Ownership, ReleaseInfo

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


def test_items_of_sets_are_written_in_full_where_they_repeat() -> None:
    # a set's items are written sorted by their encoding, so they are never numbered: two
    # sets sharing role tuples (in whatever order Python iterates them) come back equal
    facts = gathered()
    assert isinstance(facts.release, ReleaseInfo) and facts.metadata is not None
    roles = [(f"user{n}", "Maintainer") for n in range(8)]
    owners = Ownership(frozenset(roles), None)
    metadata = dataclasses.replace(facts.release.metadata, ownership=owners)
    again = dataclasses.replace(metadata, ownership=Ownership(frozenset(roles[:3]), "org"))
    facts = dataclasses.replace(
        facts, metadata=metadata, release=dataclasses.replace(facts.release, metadata=again)
    )
    assert decode_facts(encode_facts(facts)) == facts


def test_a_reference_to_nothing_built_is_an_invalid_entry() -> None:
    data = json.loads(encode_facts(gathered()))
    data["facts"]["metadata"] = {"$": "ref", "v": 10**6}
    with pytest.raises(FactsDecodeError):
        decode_facts(json.dumps(data))


def test_an_entry_of_another_format_is_ignored() -> None:
    data = json.loads(encode_facts(gathered()))
    data["format"] = FORMAT - 1
    assert decode_facts(json.dumps(data)) is None
