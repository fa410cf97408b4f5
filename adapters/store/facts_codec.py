"""Encode :class:`PackageFacts` as JSON for the state store, and decode it back.

Plain JSON with a ``"$"`` tag naming each dataclass; only the classes in :data:`_CLASSES` can be
built, so a tampered state file cannot make us construct anything else (unlike pickle).
Changing any of these dataclasses means bumping :data:`FORMAT`: older entries are then ignored.

An object the facts hold twice is written once: a release's files and metadata are also the
facts' own (``facts.files``, ``facts.metadata``), which doubled each entry and its decoding
time. Each dataclass instance and tuple is numbered as its encoding ends, in the order both
sides walk the tree; a second occurrence is ``{"$": "ref", "v": number}``. Inside a frozenset
nothing is numbered or referred to: its items are written sorted by their encoding, an order
the encoder only knows once it has walked them.
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

FORMAT = 4
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
    encoded = _Encoder().encode(facts)
    return json.dumps({"format": FORMAT, "facts": encoded}, separators=(",", ":"))


def decode_facts(text: str) -> PackageFacts | None:
    """The facts in ``text``; None for an entry of another :data:`FORMAT`."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return None
        facts = _Decoder().decode(data["facts"])
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as err:
        raise FactsDecodeError(f"invalid stored facts: {err}") from err
    if not isinstance(facts, PackageFacts):
        raise FactsDecodeError("stored entry is not PackageFacts")
    return facts


class _Encoder:
    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}  # id of an encoded object -> its number
        self._kept: list[object] = []  # the numbered objects, alive while their ids are keys

    def encode(self, value: object, shared: bool = True) -> object:
        """``value``'s encoding; with ``shared`` False, repeats are written again, unnumbered."""
        if value is None or isinstance(value, str | int | float | bool):
            return value
        if isinstance(value, datetime):
            return {"$": "datetime", "v": value.isoformat()}
        if isinstance(value, frozenset):
            items = (self.encode(v, shared=False) for v in value)
            return {"$": "frozenset", "v": sorted(items, key=json.dumps)}
        if isinstance(value, Mapping):
            return {"$": "dict", "v": {str(k): self.encode(v, shared) for k, v in value.items()}}
        number = self._numbers.get(id(value)) if shared else None
        if number is not None:
            return {"$": "ref", "v": number}
        encoded: object
        if isinstance(value, tuple | list):
            encoded = [self.encode(v, shared) for v in value]
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            name = type(value).__name__
            if name not in _CLASSES:
                raise TypeError(f"cannot encode {name}")
            fields = {
                f.name: self.encode(getattr(value, f.name), shared)
                for f in dataclasses.fields(value)
            }
            encoded = {"$": name, **fields}
        else:
            raise TypeError(f"cannot encode {type(value).__name__}")
        if shared:
            self._numbers[id(value)] = len(self._kept)
            self._kept.append(value)
        return encoded


class _Decoder:
    def __init__(self) -> None:
        self._built: list[object] = []  # by number, as the encoder numbered them

    def decode(self, value: object, shared: bool = True) -> object:
        """What ``value`` encodes; with ``shared`` False, as inside a frozenset (no numbers)."""
        built: object
        if isinstance(value, list):
            built = tuple(self.decode(v, shared) for v in value)
        elif not isinstance(value, dict):
            return value
        else:
            tag = value["$"]
            if tag == "ref" and shared:
                return self._built[value["v"]]
            if tag == "datetime":
                return datetime.fromisoformat(value["v"])
            if tag == "frozenset":
                return frozenset(self.decode(v, shared=False) for v in value["v"])
            if tag == "dict":
                return {k: self.decode(v, shared) for k, v in value["v"].items()}
            cls = _CLASSES[tag]
            built = cls(**{k: self.decode(v, shared) for k, v in value.items() if k != "$"})
        if shared:
            self._built.append(built)
        return built
