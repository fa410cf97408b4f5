"""On-disk cache: per-file facts, and the solved call graph of a whole program.

A file's facts are keyed by its source hash, module name, libcst version and a digest of the
extractor's own code; a program's solution by the keys, paths and outcomes of all its files and
a digest of the solver's code, so that a warm run whose files are all unchanged skips solving
too. Entries are JSON (never pickle: a cache directory must not be a way to run code).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sbom_enrich.reachability.facts import (
    ClassFacts,
    FunctionFacts,
    ImportFacts,
    ModuleFacts,
    Operation,
)
from sbom_enrich.reachability.solve import CallGraphFacts

__all__ = [
    "cache_key",
    "load_facts",
    "load_operations",
    "load_solution",
    "solution_key",
    "store_facts",
    "store_solution",
]

_LIBCST_VERSION = version("libcst")


def _code_digest(*modules: str) -> str:
    """A digest of the source of ``modules`` (of this package): what made a cached result.

    Part of the cache keys, so that a result is reused only by the code that made it, with no
    version number to remember to bump (a forgotten bump once served an older solver's graph).
    """
    digest = hashlib.sha256()
    for module in modules:
        spec = importlib.util.find_spec(f"sbom_enrich.reachability.{module}")
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is not None and origin.suffix == ".py" and origin.is_file():
            digest.update(origin.read_bytes())
        else:  # no source to read: the release must do
            digest.update(f"{module}:{version('sbom-enrich')}".encode())
    return digest.hexdigest()[:16]


_EXTRACTION = _code_digest("extract", "conditions", "lines", "facts")
"""What extracting a file's facts depends on: part of both keys."""
_SOLVING = _code_digest("solve", "clones", "models", "values", "mro", "import_bounds", "program")
"""What solving a program depends on: part of the solution's key only, so that file facts stay
cached when only the solver changed."""


def cache_key(source: bytes, module: str, is_package: bool) -> str:
    """The key of one file's facts: what they depend on, hashed."""
    digest = hashlib.sha256(source).hexdigest()
    identity = f"{digest}:{module}:{is_package}:{_LIBCST_VERSION}:{_EXTRACTION}"
    return hashlib.sha256(identity.encode()).hexdigest()


def load_facts(
    directory: Path, key: str, path: str, *, operations: bool = True
) -> ModuleFacts | None:
    """The cached facts for ``key``, with ``path`` set to where the file is now.

    A file's operations, nine tenths of its facts, are a separate entry that only solving
    reads: with ``operations=False`` they are left out (an empty tuple), once their entry is
    known to exist, and :func:`load_operations` reads them when a program must be solved.
    """
    try:
        data = _read_entry(directory, key)
        if operations:
            data["operations"] = _read_entry(directory, _operations_key(key))
        elif not _entry_path(directory, _operations_key(key)).is_file():
            return None
        return _facts_from_json(data, path)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged entries are simply recomputed


def load_operations(directory: Path, key: str) -> tuple[Operation, ...] | None:
    """The cached operations of the file whose facts key is ``key`` (None: missing, damaged)."""
    try:
        return _operations_from_json(_read_entry(directory, _operations_key(key)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_facts(directory: Path, key: str, facts: ModuleFacts) -> None:
    """Store ``facts`` atomically (concurrent workers may write the same key).

    The operations go first, so that an entry of facts always has its operations beside it.
    """
    data = _facts_to_json(facts)
    _write_entry(directory, _operations_key(key), data.pop("operations"))
    _write_entry(directory, key, data)


def _operations_key(key: str) -> str:
    return f"{key}-operations"


def solution_key(files: Iterable[tuple[str, str, str, str]], max_values: int) -> str:
    """The key of a program's solution: each file's (module, path, outcome, facts key).

    With the limit on values that solving stopped at, or would have.
    """
    version = f"solution:{_LIBCST_VERSION}:{_EXTRACTION}:{_SOLVING}"
    identity = json.dumps([version, max_values, sorted(files)])
    return hashlib.sha256(identity.encode()).hexdigest()


def load_solution(directory: Path, key: str) -> CallGraphFacts | None:
    """The cached solution for ``key``, if there is one that reads back whole."""
    try:
        data = _read_entry(directory, key)
        edges = {
            (source, target): (path, line, kind)
            for source, target, path, line, kind in data["edges"]
            if kind in ("call", "escape") and isinstance(line, int)
        }
        return CallGraphFacts(
            edges,
            {node: set(names) for node, names in data["unresolved_calls"].items()},
            {node: set(names) for node, names in data["unresolved_reads"].items()},
            _lines_from_json(data["computed_reads"]),
            dict(data["external_bases"]),
            {function: set(packages) for function, packages in data["handed"].items()},
            _lines_from_json(data["import_bounds"]),
            {
                node: {klass: set(methods) for klass, methods in classes.items()}
                for node, classes in data["handed_objects"].items()
            },
            str(data["incomplete"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store_solution(directory: Path, key: str, solution: CallGraphFacts) -> None:
    """Store a program's solution atomically."""
    data = {
        "edges": [[*edge, *where] for edge, where in solution.edges.items()],
        "unresolved_calls": {node: sorted(n) for node, n in solution.unresolved_calls.items()},
        "unresolved_reads": {node: sorted(n) for node, n in solution.unresolved_reads.items()},
        "computed_reads": _lines_to_json(solution.computed_reads),
        "external_bases": solution.external_bases,
        "handed": {function: sorted(p) for function, p in solution.handed.items()},
        "import_bounds": _lines_to_json(solution.import_bounds),
        "handed_objects": {
            node: {klass: sorted(methods) for klass, methods in classes.items()}
            for node, classes in solution.handed_objects.items()
        },
        "incomplete": solution.incomplete,
    }
    _write_entry(directory, key, data)


def _lines_to_json(by_node: dict[str, dict[int, set[str]]]) -> dict[str, dict[str, list[str]]]:
    """Caller node -> line -> names, as JSON objects (keys are strings)."""
    return {
        node: {str(line): sorted(names) for line, names in lines.items()}
        for node, lines in by_node.items()
    }


def _lines_from_json(data: dict[str, dict[str, list[str]]]) -> dict[str, dict[int, set[str]]]:
    return {
        node: {int(line): set(names) for line, names in lines.items()}
        for node, lines in data.items()
    }


def _entry_path(directory: Path, key: str) -> Path:
    return directory / key[:2] / f"{key}.json"


def _read_entry(directory: Path, key: str) -> Any:
    return json.loads(_entry_path(directory, key).read_text(encoding="utf-8"))


def _write_entry(directory: Path, key: str, data: object) -> None:
    folder = directory / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"))
        os.replace(temp, folder / f"{key}.json")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _facts_to_json(facts: ModuleFacts) -> dict[str, Any]:
    return {
        "module": facts.module,
        "is_package": facts.is_package,
        "lines": facts.lines,
        "main_block": facts.main_block,
        "functions": [
            [
                f.qualname,
                f.line,
                f.class_qualname,
                f.parameters,
                f.keyword_only,
                f.star,
                f.double_star,
                f.is_property,
                f.is_staticmethod,
                f.is_classmethod,
                f.is_generator,
                f.is_lambda,
            ]
            for f in facts.functions
        ],
        "classes": [[c.qualname, c.line, c.bases] for c in facts.classes],
        "operations": [list(op) for op in facts.operations],
        "imports": [[i.module, i.caller, i.line, i.star] for i in facts.imports],
        "dynamic": [list(pair) for pair in facts.dynamic],
    }


def _facts_from_json(data: dict[str, Any], path: str) -> ModuleFacts:
    return ModuleFacts(
        module=data["module"],
        path=path,
        is_package=data["is_package"],
        lines=data["lines"],
        main_block=data["main_block"],
        functions=tuple(
            FunctionFacts(
                q, line, klass, tuple(parameters), tuple(keyword_only), star, double, *flags
            )
            for q, line, klass, parameters, keyword_only, star, double, *flags in data["functions"]
        ),
        classes=tuple(ClassFacts(q, line, tuple(bases)) for q, line, bases in data["classes"]),
        operations=_operations_from_json(data.get("operations", ())),
        imports=tuple(
            ImportFacts(m, caller, line, star) for m, caller, line, star in data["imports"]
        ),
        dynamic=tuple((caller, what) for caller, what in data["dynamic"]),
    )


def _operations_from_json(data: Iterable[Any]) -> tuple[Operation, ...]:
    return tuple(
        Operation(kind, caller, line, target, tuple(args), tuple(names), tuple(guard))
        for kind, caller, line, target, args, names, guard in data
    )
