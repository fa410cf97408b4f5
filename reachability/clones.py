"""Closure factories, solved once per call site.

The solver is context-insensitive: a function is one set of nodes, whatever calls it. For most
functions that costs little, but a function that defines a nested function reading its own
variables and returns it (a decorator, a decorator factory) makes every closure it returns one
value: ``def deco(f): def wrapper(*a): return f(*a); return wrapper`` used on 45 methods gives
45 names whose calls each call all 45. So each call site of such a *closure factory* gets a copy
of its operations and of its nested functions' (a *clone*, named ``deco#SITE``, where ``SITE`` is
the index of the calling operation), with its own variables, parameters and closures.

A clone is a refinement, not a guess: it runs the same operations on the arguments of one site
only. The graph shows a clone's functions as the original's (:func:`canonical`); the search
for reachability follows them as nodes of their own (:mod:`~sbom_enrich.reachability.graph`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sbom_enrich.reachability.facts import Operation, Ref
from sbom_enrich.reachability.program import Program

__all__ = ["Factory", "canonical", "closure_factories", "encloses", "renamed"]

_MARK = re.compile(r"#\d+")


def canonical(name: str) -> str:
    """The name of the function (or graph node) a clone's name stands for."""
    return _MARK.sub("", name) if "#" in name else name


class Factory(NamedTuple):
    """What a clone of a closure factory copies."""

    operations: tuple[int, ...]
    """By index: those of the factory and of the functions nested in it, and those elsewhere
    that bind its variables (default values of its parameters)."""
    functions: tuple[str, ...]
    """The factory and the functions nested in it (fully-qualified)."""


def closure_factories(program: Program, ops: Sequence[tuple[str, Operation]]) -> dict[str, Factory]:
    """Function (fully-qualified) -> its operations, for each closure factory of ``program``.

    A closure factory defines a function (or lambda) that reads the factory's own variables
    and returns it, possibly wrapped (``functools.wraps(f)(wrapper)``), and defines no class (a
    class would need its methods cloned too).
    """
    owned: dict[str, list[int]] = {}  # candidate -> indexes, in order
    candidates = _candidates(program)
    for index, (module, op) in enumerate(ops):
        scopes = candidates.get(module)
        if not scopes:
            continue
        owners = set(_enclosing(op.caller, scopes))
        owners.update(_enclosing(_scope(op.target), scopes))
        for owner in owners:
            owned.setdefault(f"{module}.{owner}", []).append(index)
    nested: dict[str, list[str]] = {}
    for name, module in program.function_module.items():
        for owner in _enclosing(name[len(module) + 1 :], candidates.get(module, set())):
            nested.setdefault(f"{module}.{owner}", []).append(name)
    found: dict[str, Factory] = {}
    for function, indexes in owned.items():
        module = program.function_module[function]
        qualname = function[len(module) + 1 :]
        group = [ops[i][1] for i in indexes]
        if _reads_closure(qualname, group) and _returns_nested(qualname, group):
            found[function] = Factory(tuple(indexes), tuple(nested[function]))
    return found


def _candidates(program: Program) -> dict[str, set[str]]:
    """Module -> qualnames of its functions that have nested functions and no nested class."""
    nested_classes: dict[str, set[str]] = {}
    for name, module in program.class_module.items():
        nested_classes.setdefault(module, set()).add(name[len(module) + 1 :])
    found: dict[str, set[str]] = {}
    for name, facts in program.functions.items():
        module = program.function_module[name]
        qualname = facts.qualname
        parent = qualname.rpartition(".")[0]
        while parent:
            if f"{module}.{parent}" in program.functions:
                found.setdefault(module, set()).add(parent)
            parent = parent.rpartition(".")[0]
    for module, scopes in found.items():
        classes = nested_classes.get(module, set())
        scopes -= {s for s in scopes if any(c.startswith(f"{s}.") for c in classes)}
    return found


def _scope(ref: Ref) -> str:
    """The scope a variable, return or yield reference belongs to ("" for anything else)."""
    if ref[:2] == "v:":
        return ref[2:].partition(":")[0]
    if ref[:2] in ("r:", "y:"):
        return ref[2:].partition("#")[0]
    return ""


def _enclosing(qualname: str, scopes: set[str]) -> Iterable[str]:
    """The scopes among ``scopes`` that are ``qualname`` or enclose it."""
    while qualname:
        if qualname in scopes:
            yield qualname
        qualname = qualname.rpartition(".")[0]


def _reads_closure(qualname: str, group: Sequence[Operation]) -> bool:
    prefix = f"v:{qualname}:"
    return any(
        op.caller.startswith(f"{qualname}.") and any(arg.startswith(prefix) for arg in op.args)
        for op in group
    )


def _returns_nested(qualname: str, group: Sequence[Operation]) -> bool:
    """Whether what ``qualname`` returns may be (or be made from) a function nested in it.

    Made from: passed to a call (``functools.wraps(f)(wrapper)``, ``staticmethod(wrapper)``),
    copied or read from; not the result of calling it (click's ``prompt`` returns what its
    nested ``prompt_func`` returns, a value, not a closure).
    """
    derived = {
        arg
        for op in group
        for arg in op.args
        if arg.startswith(f"d:{qualname}.") and op.caller == qualname
    }
    own = [op for op in group if op.caller == qualname and op.target]
    grew = True
    while grew:
        grew = False
        for op in own:
            made_from = op.args[1:] if op.kind == "call" else op.args
            if op.target not in derived and any(arg in derived for arg in made_from):
                derived.add(op.target)
                grew = True
    return f"r:{qualname}" in derived


def renamed(op: Operation, qualname: str, clone: str, tag: str) -> Operation:
    """``op`` as the clone ``clone`` of the function ``qualname`` runs it.

    References to the function's (and its nested functions') variables, returns and
    definitions name the clone's; temporaries get ``tag``, so that each clone has its own.
    """

    def rename(ref: Ref) -> Ref:
        kind = ref[:2]
        if kind == "t:":
            return ref + tag
        if kind == "v:":
            scope, _, rest = ref[2:].partition(":")
            if encloses(qualname, scope):
                return f"v:{clone}{scope[len(qualname) :]}:{rest}"
        elif kind in ("r:", "y:", "d:") and encloses(qualname, ref[2:]):
            return f"{kind}{clone}{ref[2 + len(qualname) :]}"
        return ref

    caller = op.caller
    if encloses(qualname, caller):
        caller = clone + caller[len(qualname) :]
    return op._replace(
        caller=caller,
        target=rename(op.target),
        args=tuple(rename(arg) for arg in op.args),
        guard=tuple(rename(part) for part in op.guard),
    )


def encloses(qualname: str, name: str) -> bool:
    """Whether ``name`` is ``qualname``, nested in it, or one of its references' variants."""
    return name == qualname or (
        name.startswith(qualname) and name[len(qualname) : len(qualname) + 1] in (".", "#")
    )
