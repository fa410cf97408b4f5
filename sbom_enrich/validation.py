"""Validate a JSON tree against the CycloneDX schema bundled with cyclonedx-python-lib.

We take the schema and its registry from cyclonedx-python-lib's own ``JsonValidator`` and run them
with two linear-time replacements, because the library as shipped is unusable on real SBOM sizes
(about 100 ms per component; cyclonedx-python-lib issue #862):

* ``iri-reference``/``iri`` formats: jsonschema checks them with ``rfc3987-syntax``, an Earley
  parser taking about 60 ms per URL. We map the IRI to a URI as RFC 3987 section 3.1 says
  (percent-encode non-ASCII characters) and check that with ``rfc3986-validator``, the same
  regex-based checker jsonschema uses for ``uri-reference``.
* ``uniqueItems``: jsonschema compares every pair of items (quadratic: a minute for 5,000
  components). We compare canonical JSON encodings in a set instead.

Unknown keys (``additionalProperties`` violations) are not errors for us: real generators add
vendor keys, and keeping them is part of being lossless. They come back as warnings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonValidator
from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from rfc3986_validator import validate_rfc3986

from sbom_enrich.errors import SchemaValidationError

__all__ = ["SchemaReport", "validate_tree"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class SchemaReport:
    """The outcome of a successful validation: the unknown keys that were kept, as JSON paths."""

    unknown_keys: tuple[str, ...]


def validate_tree(tree: Mapping[str, Any], version: SchemaVersion, *, source: str) -> SchemaReport:
    """Validate ``tree`` against the schema of ``version``.

    Raises :class:`SchemaValidationError` naming the JSON path of the first violation that is not
    an unknown key.
    """
    unknown: list[str] = []
    for error in _validator(version).iter_errors(tree):
        keys = _unknown_keys(error)
        if keys is None:
            raise SchemaValidationError(
                f"{source}: {error.json_path}: {_describe(error)} "
                f"(CycloneDX {version.to_version()} schema)",
                path=error.json_path,
            )
        unknown.extend(keys)
    return SchemaReport(unknown_keys=tuple(unknown))


def _unknown_keys(error: ValidationError) -> list[str] | None:
    """The unknown keys an error is only about, or ``None`` when it is a real violation."""
    if error.validator == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        return [f"{error.json_path}.{key}" for key in instance if key not in allowed]
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[object, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        for branch in branches.values():
            found = [_unknown_keys(sub) for sub in branch]
            if all(keys is not None for keys in found):
                return [key for keys in found if keys is not None for key in keys]
    return None


def _describe(error: ValidationError, limit: int = 160) -> str:
    """Return jsonschema's message, with a long quoted instance replaced by "the value"."""
    message = error.message
    shown = repr(error.instance)
    if len(shown) > 40 and message.startswith(shown):
        message = "the value" + message[len(shown) :]
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _is_iri_reference(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    as_uri = _NON_ASCII.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), instance)
    return bool(validate_rfc3986(as_uri, rule="URI_reference"))


def _is_iri(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    as_uri = _NON_ASCII.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), instance)
    return bool(validate_rfc3986(as_uri, rule="URI"))


def _canonical(item: object) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"))


def _unique_items(
    validator: Validator, unique: bool, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not unique or not isinstance(instance, list):
        return
    seen: set[str] = set()
    for item in instance:
        key = _canonical(item)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


_LinearDraft7 = validators.extend(  # type: ignore[no-untyped-call]
    Draft7Validator, validators={"uniqueItems": _unique_items}
)


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checkers = dict(Draft7Validator.FORMAT_CHECKER.checkers)
    checker.checkers["iri-reference"] = (_is_iri_reference, ())
    checker.checkers["iri"] = (_is_iri, ())
    return checker


@cache
def _validator(version: SchemaVersion) -> Validator:
    # cyclonedx-python-lib builds its Draft-7 validator lazily with the bundled schema and a
    # registry of the schemas it references (SPDX, JSF, crypto definitions); reuse both.
    shipped: Validator = JsonValidator(version)._validator
    return _LinearDraft7(  # type: ignore[no-any-return]
        shipped.schema,
        registry=shipped._registry,  # type: ignore[attr-defined]
        format_checker=_format_checker(),
    )
