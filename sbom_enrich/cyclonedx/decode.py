"""Turn the raw bytes of an input file into a JSON tree, or into a one-line reason why not.

JSON must be UTF-8 (RFC 8259); a UTF-8 byte order mark is tolerated. Duplicate keys in an object
are refused because keeping only one of them would silently lose data.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from sbom_enrich.errors import MalformedInputError, UnreadableInputError
from sbom_enrich.model.bom import InputKind

__all__ = ["decode_json", "sniff_kind"]

_UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_WHITESPACE = b" \t\r\n"


def sniff_kind(head: bytes, *, source: str) -> InputKind:
    """Decide from the first bytes of a file whether it is JSON or XML, without reading it all."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            raise UnreadableInputError(
                f"{source}: file is encoded as {encoding}; CycloneDX files must be UTF-8"
            )
    body = head.removeprefix(_UTF8_BOM).lstrip(_WHITESPACE)
    if not body:
        raise UnreadableInputError(f"{source}: file is empty")
    if len(body) > 1 and body[1] == 0:
        raise UnreadableInputError(
            f"{source}: file looks like UTF-16 without a byte order mark; CycloneDX files must "
            "be UTF-8"
        )
    first = body[:1]
    if first in (b"{", b"["):
        return "json"
    if first == b"<":
        return "xml"
    raise MalformedInputError(
        f"{source}: not a CycloneDX document: neither JSON nor XML (starts with {body[:8]!r})"
    )


def _has_lone_surrogate(value: object) -> bool:
    r"""Whether any string in the tree holds a lone UTF-16 surrogate (a ``\ud800`` escape)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def decode_json(data: bytes, *, source: str) -> dict[str, Any]:
    """Parse ``data`` as a UTF-8 JSON object; raise an input error naming line and column."""
    try:
        text = data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableInputError(
            f"{source}: not valid UTF-8 at byte {err.start}; CycloneDX JSON must be UTF-8"
        ) from err
    try:
        tree = json.loads(text, object_pairs_hook=_refuse_duplicate_keys, parse_constant=_refuse)
    except json.JSONDecodeError as err:
        raise MalformedInputError(
            f"{source}: not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from err
    except _DuplicateKey as err:
        raise MalformedInputError(
            f"{source}: not valid JSON for a BOM: duplicate key {err.key!r} in one object"
        ) from err
    except _NonStandardConstant as err:
        raise MalformedInputError(
            f"{source}: not valid JSON: {err.constant} is not a JSON value"
        ) from err
    except RecursionError as err:
        raise MalformedInputError(f"{source}: JSON is nested too deeply to be a BOM") from err
    except ValueError as err:  # a number longer than Python converts (4,300 digits)
        raise MalformedInputError(
            f"{source}: not valid JSON for a BOM: a number has more digits than can be read "
            f"({str(err).split(':')[0]})"
        ) from err
    if ("\\ud" in text or "\\uD" in text) and _has_lone_surrogate(tree):
        raise MalformedInputError(
            f"{source}: not valid JSON for a BOM: a \\u escape encodes half a surrogate pair, "
            "which is no character"
        )
    if not isinstance(tree, dict):
        raise MalformedInputError(
            f"{source}: not a CycloneDX BOM: the top level is a JSON {type(tree).__name__}, "
            "not an object"
        )
    return tree


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _NonStandardConstant(Exception):
    def __init__(self, constant: str) -> None:
        super().__init__(constant)
        self.constant = constant


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _refuse(constant: str) -> Any:
    raise _NonStandardConstant(constant)
