"""Which symbols a fix changed: two versions of a package's sources in, changed symbols out.

Sources are compared per module after normalizing away what does not change behaviour: the
syntax tree is compared (``ast.dump`` without positions), so formatting and comments do not
count, and docstrings are dropped. Symbols are functions and methods, class attributes
(``module.Class.ATTR``), module-level names, and module-level registration calls (a call at the
top level of a module or class body, such as ``Loader.add_constructor(tag, Loader.construct)``),
because real fixes change those too. A changed attribute is mapped to the functions of the
vulnerable version that read it (in other modules too, when they also name its module), and a
helper the fix added to the functions of the fixed version
that call it (when they exist in the vulnerable version too). Version churn (``__version__``,
``VERSION``) is ignored.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["DIFF_VERSION", "SymbolChange", "SymbolDiff", "changed_symbols", "public_names"]

DIFF_VERSION = "4"
"""Changes when :func:`changed_symbols` would give other results for the same sources; part of
the key under which derived pairs are cached."""

ChangeKind = Literal["function", "attribute", "registration", "attribute-reader", "helper-caller"]
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_VERSION_NAMES = frozenset(
    {
        "__version__",
        "VERSION",
        "version",
        "__version_info__",
        "version_info",
        "__build__",
        "__date__",
    }
)


@dataclass(frozen=True)
class SymbolChange:
    """One candidate symbol: ``symbol`` is dotted (``pkg.mod.Class.method``)."""

    symbol: str
    kind: ChangeKind
    change: Literal["changed", "added", "removed", "reads-changed", "calls-added"]
    evidence: str


@dataclass(frozen=True)
class SymbolDiff:
    """The result: the candidate symbols, and the modules whose behaviour the fix changed.

    A module whose text differs only in formatting, docstrings or version churn does not count.
    """

    changes: tuple[SymbolChange, ...]
    modules: tuple[str, ...]
    unparsable: tuple[str, ...] = ()

    @property
    def python_changed(self) -> bool:
        """False when no module's behaviour changed (a fix in native code, or none at all)."""
        return bool(self.changes)


@dataclass(frozen=True)
class _Definitions:
    functions: dict[str, str]  # qualname -> normalized dump
    attributes: dict[str, str]  # Class.ATTR or NAME -> normalized dump of the value
    registrations: dict[str, dict[str, str]]  # scope ("" or Class) -> call dump -> called name
    reads: dict[str, set[str]]  # qualname -> attribute and global names it reads
    calls: dict[str, set[str]]  # qualname -> names it calls (last dotted part)


def changed_symbols(vulnerable: Mapping[str, str], fixed: Mapping[str, str]) -> SymbolDiff:
    """Compare two versions' sources (module name -> text) and list the candidate symbols."""
    changes: list[SymbolChange] = []
    differing = sorted(
        m for m in vulnerable.keys() | fixed.keys() if vulnerable.get(m) != fixed.get(m)
    )
    unparsable = []
    changed_modules = []
    for module in differing:
        try:
            old = _definitions(vulnerable.get(module, ""))
            new = _definitions(fixed.get(module, ""))
        except SyntaxError:
            unparsable.append(module)
            continue
        found = [
            *_function_changes(module, old, new),
            *_attribute_changes(module, old, new),
            *_registration_changes(module, old, new),
            *_helper_callers(module, old, new),
        ]
        if found:
            changed_modules.append(module)
        changes += found
    changes += _readers_elsewhere(vulnerable, changes)
    return SymbolDiff(tuple(dict.fromkeys(changes)), tuple(changed_modules), tuple(unparsable))


def _readers_elsewhere(
    vulnerable: Mapping[str, str], changes: list[SymbolChange]
) -> Iterator[SymbolChange]:
    """Functions of other modules that read a module-level name the fix changed.

    ``idna.core.valid_contextj`` reads ``idnadata.joining_types``: a reader must name both the
    attribute and the module it comes from, which keeps common names from matching everywhere.
    """
    changed = [
        change.symbol
        for change in changes
        if change.kind == "attribute" and change.symbol.rpartition(".")[0] in vulnerable
    ]
    for symbol in changed:
        home, _, attribute = symbol.rpartition(".")
        short = home.rpartition(".")[2]
        for module, text in sorted(vulnerable.items()):
            if module == home or attribute not in text or short not in text:
                continue
            try:
                reads = _definitions(text).reads
            except SyntaxError:
                continue
            for reader in sorted(q for q, names in reads.items() if {attribute, short} <= names):
                yield SymbolChange(
                    f"{module}.{reader}",
                    "attribute-reader",
                    "reads-changed",
                    f"{reader} reads {short}.{attribute}, which the fix changed",
                )


def _function_changes(module: str, old: _Definitions, new: _Definitions) -> Iterator[SymbolChange]:
    for name in sorted(old.functions.keys() | new.functions.keys()):
        before, after = old.functions.get(name), new.functions.get(name)
        if before == after:
            continue
        change: Literal["changed", "added", "removed"] = (
            "added" if before is None else "removed" if after is None else "changed"
        )
        if change == "added":
            continue  # a new function is not in the vulnerable version; see _helper_callers
        yield SymbolChange(f"{module}.{name}", "function", change, f"body of {name} {change}")


def _attribute_changes(module: str, old: _Definitions, new: _Definitions) -> Iterator[SymbolChange]:
    for name in sorted(old.attributes.keys() | new.attributes.keys()):
        if name.rpartition(".")[2] in _VERSION_NAMES:
            continue
        if old.attributes.get(name) == new.attributes.get(name):
            continue
        yield SymbolChange(f"{module}.{name}", "attribute", "changed", f"value of {name} changed")
        attribute = name.rpartition(".")[2]
        for reader in sorted(q for q, names in old.reads.items() if attribute in names):
            yield SymbolChange(
                f"{module}.{reader}",
                "attribute-reader",
                "reads-changed",
                f"{reader} reads {name}, which the fix changed",
            )


def _registration_changes(
    module: str, old: _Definitions, new: _Definitions
) -> Iterator[SymbolChange]:
    for scope in sorted(old.registrations.keys() | new.registrations.keys()):
        before = old.registrations.get(scope, {})
        after = new.registrations.get(scope, {})
        where = f"{module}.{scope}" if scope else module
        for dump in sorted(before.keys() ^ after.keys()):
            label = before.get(dump) or after[dump]
            change: Literal["added", "removed"] = "removed" if dump in before else "added"
            yield SymbolChange(
                f"{where}.<registration {label}>",
                "registration",
                change,
                f"top-level call of {label} {change} in {where}",
            )


def _helper_callers(module: str, old: _Definitions, new: _Definitions) -> Iterator[SymbolChange]:
    added = set(new.functions.keys() - old.functions.keys())
    for helper in sorted(added):
        short = helper.rpartition(".")[2]
        for caller in sorted(q for q, names in new.calls.items() if short in names):
            if caller in old.functions and caller not in added:
                yield SymbolChange(
                    f"{module}.{caller}",
                    "helper-caller",
                    "calls-added",
                    f"{caller} calls {helper}, which the fix added",
                )


def _definitions(source: str) -> _Definitions:
    tree = ast.parse(source)
    found = _Definitions({}, {}, {}, {}, {})
    _walk(tree.body, "", found, in_class=False)
    return found


def _walk(body: list[ast.stmt], scope: str, found: _Definitions, *, in_class: bool) -> None:
    for statement in _without_docstring(body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{scope}.{statement.name}" if scope else statement.name
            found.functions[name] = _dump_function(statement)
            found.reads[name] = _read_names(statement)
            found.calls[name] = _called_names(statement)
            _walk(statement.body, name, found, in_class=False)
        elif isinstance(statement, ast.ClassDef):
            name = f"{scope}.{statement.name}" if scope else statement.name
            _walk(statement.body, name, found, in_class=True)
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and (in_class or not scope):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = ast.dump(statement.value) if statement.value is not None else ""
            for target in targets:
                if isinstance(target, ast.Name):
                    key = f"{scope}.{target.id}" if scope else target.id
                    found.attributes[key] = value
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            if in_class or not scope:
                calls = found.registrations.setdefault(scope, {})
                calls[ast.dump(statement.value)] = _call_label(statement.value)
        elif isinstance(statement, ast.If | ast.Try) and not scope:
            _walk(_nested_bodies(statement), scope, found, in_class=in_class)


def _nested_bodies(statement: ast.If | ast.Try) -> list[ast.stmt]:
    body = list(statement.body) + list(statement.orelse)
    if isinstance(statement, ast.Try):
        body += [s for handler in statement.handlers for s in handler.body] + list(
            statement.finalbody
        )
    return body


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:] if isinstance(first.value.value, str) else body
    return body


def _dump_function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    copy = ast.FunctionDef(
        name=node.name,
        args=node.args,
        body=[s for s in _without_docstring(node.body) if not isinstance(s, _NESTED)],
        decorator_list=node.decorator_list,
        returns=node.returns,
        type_comment=None,
    )
    return ast.dump(copy)


def _read_names(node: ast.AST) -> set[str]:
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and isinstance(child.ctx, ast.Load):
            names.add(child.attr)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            names.add(child.id)
    return names


def _call_label(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else "call"


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def public_names(module: str, source: str, *, is_package: bool) -> tuple[set[str], dict[str, str]]:
    """What ``module`` offers: the qualnames of its functions and methods, and its re-exports.

    Re-exports are module-level ``from X import name [as alias]``, as ``{"module.alias":
    "X.name"}`` with relative imports resolved (how ``jinja2.Environment`` reaches
    ``jinja2.environment.Environment``). Both are empty when the source does not parse.
    """
    try:
        tree = ast.parse(source)
        found = _Definitions({}, {}, {}, {}, {})
        _walk(tree.body, "", found, in_class=False)
    except SyntaxError:
        return set(), {}
    functions = {f"{module}.{name}" for name in found.functions}
    package = module if is_package else module.rpartition(".")[0]
    exports = {}
    for statement in tree.body:
        if not isinstance(statement, ast.ImportFrom):
            continue
        base = package
        for _ in range(max(statement.level - 1, 0)):
            base = base.rpartition(".")[0]
        origin = ".".join(p for p in (base if statement.level else "", statement.module or "") if p)
        for alias in statement.names:
            if alias.name != "*":
                exports[f"{module}.{alias.asname or alias.name}"] = f"{origin}.{alias.name}"
    return functions, exports
