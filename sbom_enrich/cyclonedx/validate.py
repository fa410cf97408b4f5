"""Validate a JSON tree against the CycloneDX schema bundled with cyclonedx-python-lib.

We take the schema and its registry from cyclonedx-python-lib's own ``JsonValidator`` and run them
with two linear-time replacements, because the library as shipped is unusable on real SBOM sizes
(about 100 ms per component; cyclonedx-python-lib issue #862):

* ``iri-reference``/``iri`` formats: jsonschema checks them with ``rfc3987-syntax``, an Earley
  parser taking about 60 ms per URL. We map the IRI to a URI as RFC 3987 section 3.1 says
  (percent-encode non-ASCII characters) and check that with ``rfc3986-validator``, the same
  regex-based checker jsonschema uses for ``uri-reference``. When ``rfc3987-syntax`` is
  installed (cyclonedx-bom's ``validation`` extra brings it), importing jsonschema builds its
  grammar, about 1 s, so the command line keeps it from loading
  (:func:`sbom_enrich.cli.main`). The tests install it to check our IRI check against it.
* ``uniqueItems``: jsonschema compares every pair of items (quadratic: a minute for 5,000
  components). We compare canonical JSON encodings in a set instead.

Unknown keys (``additionalProperties`` violations) are not errors for us: real generators add
vendor keys, and keeping them is part of being lossless. They come back as warnings.

Even so, jsonschema needs about 0.4 ms per component, so two more things keep large documents
fast. The schema's local ``$ref``s (``#/definitions/...``) are replaced by the definitions
themselves, which saves jsonschema a registry look-up at every reference (about 30%). And the big
top-level arrays (``components``, ``services``, ``dependencies``, ``vulnerabilities``) are split
into one slice per CPU and validated in worker processes: the schema checks each item without
looking outside it, and ``uniqueItems`` of a whole array is checked here, beside the rest.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator, JsonValidator
from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from rfc3986_validator import validate_rfc3986

from sbom_enrich.errors import SchemaValidationError

__all__ = ["SchemaReport", "strict_unknown_keys", "validate_tree"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPLIT_KEYS = ("components", "services", "dependencies", "vulnerabilities")
PARALLEL_MIN_ITEMS = 1000
"""Below this many items in the top-level arrays, validation runs in this process only."""


@dataclass(frozen=True)
class _Violation:
    """A schema violation in plain, picklable form."""

    json_path: str
    message: str


@dataclass(frozen=True)
class SchemaReport:
    """The outcome of a successful validation: the unknown keys that were kept, as JSON paths."""

    unknown_keys: tuple[str, ...]


def validate_tree(tree: Mapping[str, Any], version: SchemaVersion, *, source: str) -> SchemaReport:
    """Validate ``tree`` against the schema of ``version``.

    Raises :class:`SchemaValidationError` naming the JSON path of the first violation that is not
    an unknown key.
    """
    spec = version.to_version()
    workers = os.cpu_count() or 1
    split = _splittable_keys(tree, version)
    if workers > 1 and sum(len(tree[key]) for key in split) >= PARALLEL_MIN_ITEMS:
        unknown, violations = _validate_in_parallel(tree, split, spec, workers)
    else:
        unknown, violations = _check(tree, spec)
    if violations:
        first = violations[0]
        raise SchemaValidationError(
            f"{source}: {first.json_path}: {first.message} (CycloneDX {spec} schema)",
            path=first.json_path,
        )
    return SchemaReport(unknown_keys=tuple(unknown))


def _splittable_keys(tree: Mapping[str, Any], version: SchemaVersion) -> list[str]:
    """Top-level arrays whose items the schema checks one by one (so they can be split)."""
    properties = _schema_properties(version)
    return [
        key
        for key in _SPLIT_KEYS
        if isinstance(tree.get(key), list) and "minItems" not in properties.get(key, {})
    ]


def _validate_in_parallel(
    tree: Mapping[str, Any], split: list[str], spec: str, workers: int
) -> tuple[list[str], list[_Violation]]:
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: large inputs only

    properties = _schema_properties(SchemaVersion.from_version(spec))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_check_slice, spec, key, start, tree[key][start : start + size])
            for key in split
            for size in [-(-len(tree[key]) // workers)]
            for start in range(0, len(tree[key]), size)
        ]
        unknown, violations = _check({**tree, **{key: [] for key in split}}, spec)
        for key in split:
            duplicate = _first_duplicate(tree[key]) if properties[key].get("uniqueItems") else None
            if duplicate is not None:
                violations.append(_Violation(f"$.{key}", _duplicate_message(duplicate)))
        for future in futures:
            part_unknown, part_violations = future.result()
            unknown.extend(part_unknown)
            violations.extend(part_violations)
    return unknown, violations


def _schema_properties(version: SchemaVersion) -> Mapping[str, Any]:
    schema = _validator(version).schema
    assert isinstance(schema, Mapping)  # CycloneDX schemas are objects, never booleans
    properties: Mapping[str, Any] = schema.get("properties", {})
    return properties


def _check_slice(
    spec: str, key: str, offset: int, part: list[Any]
) -> tuple[list[str], list[_Violation]]:
    """Validate a slice of one top-level array; paths are renumbered to the whole document."""
    unknown, violations = _check({"bomFormat": "CycloneDX", "specVersion": spec, key: part}, spec)
    index = re.compile(rf"^\$\.{key}\[(\d+)\]")

    def renumber(path: str) -> str:
        return index.sub(lambda m: f"$.{key}[{int(m[1]) + offset}]", path)

    return (
        [renumber(path) for path in unknown],
        [_Violation(renumber(v.json_path), v.message) for v in violations],
    )


def strict_unknown_keys(tree: Mapping[str, Any], version: SchemaVersion) -> tuple[str, ...]:
    """The keys of ``tree`` that the *strict* schema of ``version`` does not define.

    The plain schemas let most objects carry any key; the strict ones do not. Writing a
    document in another version than it was read in, a key its own version defines but the
    target does not is found here.
    """
    unknown, _ = _check(tree, version.to_version(), strict=True)
    return tuple(unknown)


def _check(
    tree: Mapping[str, Any], spec: str, *, strict: bool = False
) -> tuple[list[str], list[_Violation]]:
    """All unknown keys and all real violations of ``tree``, in document order."""
    unknown: list[str] = []
    violations: list[_Violation] = []
    for error in _validator(SchemaVersion.from_version(spec), strict).iter_errors(tree):
        keys = _unknown_keys(error)
        if keys is None:
            violations.append(_Violation(error.json_path, _describe(error)))
        else:
            unknown.extend(keys)
    return unknown, violations


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


def _as_uri(iri: str) -> str:
    """RFC 3987 section 3.1: an IRI maps to a URI by percent-encoding its non-ASCII characters."""
    return _NON_ASCII.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), iri)


def _is_iri_reference(instance: object) -> bool:
    return not isinstance(instance, str) or bool(
        validate_rfc3986(_as_uri(instance), rule="URI_reference")
    )


def _is_iri(instance: object) -> bool:
    return not isinstance(instance, str) or bool(validate_rfc3986(_as_uri(instance), rule="URI"))


def _canonical(item: object) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"))


def _first_duplicate(items: list[Any]) -> int | None:
    """Index of the first item equal to an earlier one, comparing canonical JSON in a set."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = _canonical(item)
        if key in seen:
            return index
        seen.add(key)
    return None


def _unique_items(
    validator: Validator, unique: bool, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    duplicate = _first_duplicate(instance) if unique and isinstance(instance, list) else None
    if duplicate is not None:
        yield ValidationError(_duplicate_message(duplicate))


def _duplicate_message(index: int) -> str:
    return f"has non-unique elements: item {index} equals an earlier one"


_jsonschema_enum = Draft7Validator.VALIDATORS["enum"]


def _enum(
    validator: Validator, enums: list[Any], instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    # A string equals only an equal string, so C-level list membership decides; anything else
    # (and every failure, for the message) goes to jsonschema's own check.
    if not (isinstance(instance, str) and instance in enums):
        yield from _jsonschema_enum(validator, enums, instance, schema)


_LinearDraft7 = validators.extend(  # type: ignore[no-untyped-call]
    Draft7Validator, validators={"uniqueItems": _unique_items, "enum": _enum}
)


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checkers = dict(Draft7Validator.FORMAT_CHECKER.checkers)
    checker.checkers["iri-reference"] = (_is_iri_reference, ())
    checker.checkers["iri"] = (_is_iri, ())
    return checker


def _inline_local_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` in which each ``{"$ref": "#/definitions/NAME"}`` is that definition.

    Draft 7 ignores the siblings of ``$ref``, so replacing the whole object is exact. Recursive
    definitions become cycles of shared dicts, which jsonschema follows lazily.
    """
    copied: dict[str, Any] = json.loads(json.dumps(schema))
    definitions: dict[str, Any] = copied.get("definitions", {})
    prefix = "#/definitions/"

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if (
                isinstance(ref, str)
                and ref.startswith(prefix)
                and ref[len(prefix) :] in definitions
            ):
                return definitions[ref[len(prefix) :]]
            for key, value in node.items():
                node[key] = inline(value)
        elif isinstance(node, list):
            node[:] = [inline(value) for value in node]
        return node

    for key, value in copied.items():
        if key != "definitions":
            copied[key] = inline(value)
    for name, value in definitions.items():
        definitions[name] = inline(value)
    return copied


@cache
def _validator(version: SchemaVersion, strict: bool = False) -> Validator:
    # cyclonedx-python-lib builds its Draft-7 validator lazily with the bundled schema and a
    # registry of the schemas it references (SPDX, JSF, crypto definitions); reuse both.
    library = JsonStrictValidator(version) if strict else JsonValidator(version)
    shipped: Validator = library._validator
    assert isinstance(shipped.schema, Mapping)  # CycloneDX schemas are objects
    return _LinearDraft7(  # type: ignore[no-any-return]
        _inline_local_refs(shipped.schema),
        registry=shipped._registry,  # type: ignore[attr-defined]
        format_checker=_format_checker(),
    )
