"""Reading TOML lockfiles: the document, and arrays of tables checked as they are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.toml import tomllib

__all__ = ["array", "read_toml", "tables"]


def read_toml(data: bytes, source: str) -> dict[str, Any]:
    """The TOML document in ``data``; an input error naming ``source`` when it is not TOML."""
    try:
        document: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
        return document
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise MalformedInputError(f"{source}: not valid TOML: {err}") from err


def array(value: object) -> list[object]:
    """``value`` when it is an array, else an empty one."""
    return value if isinstance(value, list) else []


def tables(value: object, where: str) -> list[Mapping[str, Any]]:
    """``value`` as an array of tables; an input error naming ``where`` otherwise."""
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise MalformedInputError(f"{where}: expected an array of tables")
    return value
