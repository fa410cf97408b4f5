"""On-disk cache of per-file facts, keyed by source hash, libcst version and analyzer version.

Entries are JSON (never pickle: a cache directory must not be a way to run code).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from reachability.facts import (
    ANALYZER_VERSION,
    CallSite,
    ClassFacts,
    FunctionFacts,
    ImportFacts,
    ModuleFacts,
    Name,
    NameSource,
)

__all__ = ["cache_key", "load_facts", "store_facts"]

_LIBCST_VERSION = version("libcst")


def cache_key(source: bytes, module: str, is_package: bool) -> str:
    """The key of one file's facts: what they depend on, hashed."""
    digest = hashlib.sha256(source).hexdigest()
    identity = f"{digest}:{module}:{is_package}:{_LIBCST_VERSION}:{ANALYZER_VERSION}"
    return hashlib.sha256(identity.encode()).hexdigest()


def load_facts(directory: Path, key: str, path: str) -> ModuleFacts | None:
    """The cached facts for ``key``, with ``path`` set to where the file is now."""
    entry = directory / key[:2] / f"{key}.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        return _facts_from_json(data, path)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged entries are simply recomputed


def store_facts(directory: Path, key: str, facts: ModuleFacts) -> None:
    """Store ``facts`` atomically (concurrent workers may write the same key)."""
    folder = directory / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(_facts_to_json(facts), stream, separators=(",", ":"))
        os.replace(temp, folder / f"{key}.json")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)


_SOURCE_CODES: dict[str, NameSource] = {"i": "import", "l": "local", "b": "builtin"}
_NAMES: dict[str, Name] = {}
"""One shared :class:`Name` per encoded name: a warm run decodes 100,000s of them."""


def _names(items: list[str]) -> tuple[Name, ...]:
    """Decode names written as their source's first letter and their text (``iflask.request``)."""
    found = []
    for item in items:
        name = _NAMES.get(item)
        if name is None:
            name = _NAMES.setdefault(item, Name(item[1:], _SOURCE_CODES[item[0]]))
        found.append(name)
    return tuple(found)


def _facts_to_json(facts: ModuleFacts) -> dict[str, Any]:
    def names(items: tuple[Name, ...]) -> list[str]:
        return [n.source[0] + n.text for n in items]

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
                [names(d) for d in f.decorators],
                names(f.returns),
                f.first_parameter,
                f.is_property,
                f.is_staticmethod,
                f.returns_argument,
            ]
            for f in facts.functions
        ],
        "classes": [[c.qualname, c.line, [names(b) for b in c.bases]] for c in facts.classes],
        "sites": [
            [s.caller, s.kind, names(s.names), s.line, s.column, s.attribute] for s in facts.sites
        ],
        "imports": [[i.module, i.caller, i.line, i.star] for i in facts.imports],
        "variable_types": [[scope, var, names(t)] for scope, var, t in facts.variable_types],
        "aliases": [[bound, names(t)] for bound, t in facts.aliases],
        "assigned_attributes": [list(pair) for pair in facts.assigned_attributes],
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
                q,
                line,
                klass,
                tuple(_names(d) for d in decorators),
                _names(returns),
                first,
                prop,
                static,
                passes,
            )
            for q, line, klass, decorators, returns, first, prop, static, passes in data[
                "functions"
            ]
        ),
        classes=tuple(
            ClassFacts(q, line, tuple(_names(b) for b in bases))
            for q, line, bases in data["classes"]
        ),
        sites=tuple(
            CallSite(caller, kind, _names(names), line, column, attribute)
            for caller, kind, names, line, column, attribute in data["sites"]
        ),
        imports=tuple(
            ImportFacts(m, caller, line, star) for m, caller, line, star in data["imports"]
        ),
        variable_types=tuple((s, v, _names(t)) for s, v, t in data["variable_types"]),
        aliases=tuple((b, _names(t)) for b, t in data["aliases"]),
        assigned_attributes=tuple((o, a) for o, a in data["assigned_attributes"]),
        dynamic=tuple((caller, what) for caller, what in data["dynamic"]),
    )
