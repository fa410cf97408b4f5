"""Encode :class:`PackageFacts` as JSON for the state store, and decode it back.

Plain JSON with a ``"$"`` tag naming each dataclass; only the classes in :data:`_CLASSES` can be
built, so a tampered state file cannot make us construct anything else (unlike pickle).
Changing any of these dataclasses means bumping :data:`FORMAT`: older entries are then ignored.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.model.facts import EarlierRelease, FileAttestation, PackageFacts, PublisherIdentity
from sbom_enrich.model.index import (
    DistributionFile,
    IndexStatus,
    NotFound,
    Ownership,
    ProjectMetadata,
    ReleaseInfo,
    Unavailable,
)

__all__ = ["FORMAT", "FactsDecodeError", "decode_facts", "encode_facts"]

FORMAT = 2
"""Version of the encoding; stored with each entry."""

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        DistributionFile,
        EarlierRelease,
        FileAttestation,
        IndexStatus,
        NotFound,
        Ownership,
        PackageFacts,
        ProjectMetadata,
        PublisherIdentity,
        ReleaseInfo,
        Unavailable,
    )
}


class FactsDecodeError(AdapterError, ValueError):
    """A stored entry is not a valid encoding of :class:`PackageFacts`."""


def encode_facts(facts: PackageFacts) -> str:
    """The JSON text for ``facts``."""
    return json.dumps({"format": FORMAT, "facts": _encode(facts)}, separators=(",", ":"))


def decode_facts(text: str) -> PackageFacts | None:
    """The facts in ``text``; None for an entry of another :data:`FORMAT`."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return None
        facts = _decode(data["facts"])
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise FactsDecodeError(f"invalid stored facts: {err}") from err
    if not isinstance(facts, PackageFacts):
        raise FactsDecodeError("stored entry is not PackageFacts")
    return facts


def _encode(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, frozenset):
        return {"$": "frozenset", "v": sorted((_encode(v) for v in value), key=json.dumps)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in _CLASSES:
            raise TypeError(f"cannot encode {name}")
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$": name, **fields}
    if isinstance(value, Mapping):
        return {"$": "dict", "v": {str(k): _encode(v) for k, v in value.items()}}
    raise TypeError(f"cannot encode {type(value).__name__}")


def _decode(value: object) -> object:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    tag = value["$"]
    if tag == "datetime":
        return datetime.fromisoformat(value["v"])
    if tag == "frozenset":
        return frozenset(_decode(v) for v in value["v"])
    if tag == "dict":
        return {k: _decode(v) for k, v in value["v"].items()}
    cls = _CLASSES[tag]
    return cls(**{k: _decode(v) for k, v in value.items() if k != "$"})
