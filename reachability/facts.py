"""Plain, picklable facts that extraction produces for one module.

Names are kept as LibCST reports them (``Name``): the text plus where it came from (an import,
a local definition, a builtin). Turning them into fully-qualified names needs the other modules,
so that is the resolver's job, not the extractor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

__all__ = [
    "ANALYZER_VERSION",
    "CallSite",
    "ClassFacts",
    "FunctionFacts",
    "ImportFacts",
    "ModuleFacts",
    "Name",
    "NameSource",
    "SiteKind",
]

ANALYZER_VERSION = "11"

MAIN_BLOCK = "<main>"
"""The pseudo-function name of a module's ``if __name__ == "__main__":`` block."""
"""Bumped whenever extraction changes what it records; part of the cache key."""

NameSource = Literal["import", "local", "builtin"]


class Name(NamedTuple):
    """A qualified name as LibCST's scope analysis gives it.

    ``import`` names are dotted import paths, possibly relative (``.sub.f``); ``local`` names are
    relative to the module and use ``<locals>`` for function scopes (``outer.<locals>.s.get``);
    ``builtin`` names are ``builtins.print``. A named tuple, not a dataclass: warm runs hash
    and compare hundreds of thousands of them.
    """

    text: str
    source: NameSource


SiteKind = Literal[
    "call",  # a call of the named thing
    "call-result",  # a call of attribute ``attribute`` on the result of calling the named thing
    "super",  # super().attribute(...) inside a method
    "reference",  # a function passed as an argument or returned: reachable from here
    "decorator",  # a decorator applied here (called at definition time)
    "decorated",  # a decorated function: the decorator (a framework) will call it
    "with",  # a context manager: __enter__ and __exit__ (``attribute`` "async": __aenter__...)
    "iter",  # a for loop over the named thing: __iter__ (``attribute`` "async": __aiter__...)
    "operator",  # an operator on the named thing: the dunder in ``attribute`` is called
    "attribute",  # an attribute read (a property getter is called)
]


class CallSite(NamedTuple):
    """Something done in ``caller`` that can run code elsewhere.

    ``caller`` is the function's qualified name inside its module (``Class.method``,
    ``outer.inner``), or ``""`` for the module's top-level code. A named tuple: a warm run
    rebuilds 100,000s of them from the cache.
    """

    caller: str
    kind: SiteKind
    names: tuple[Name, ...]
    line: int
    column: int
    attribute: str = ""


@dataclass(frozen=True)
class FunctionFacts:
    """A function or method definition."""

    qualname: str
    line: int
    class_qualname: str | None
    decorators: tuple[tuple[Name, ...], ...]
    returns: tuple[Name, ...]
    first_parameter: str | None
    is_property: bool = False
    is_staticmethod: bool = False
    returns_argument: bool = False
    """The body only returns its first parameter or reads its attributes (``internalcode``:
    ``codes.add(f.__code__); return f``): as a decorator it neither calls nor keeps the
    function, so the function is reached only where it is called."""


@dataclass(frozen=True)
class ClassFacts:
    """A class definition with the names of its bases, in order."""

    qualname: str
    line: int
    bases: tuple[tuple[Name, ...], ...]


@dataclass(frozen=True)
class ImportFacts:
    """An imported module (absolute or relative dotted name) and where the import stands."""

    module: str
    caller: str
    line: int
    star: bool = False


@dataclass(frozen=True)
class ModuleFacts:
    """Everything extraction learned about one source file."""

    module: str
    path: str
    is_package: bool
    lines: int
    functions: tuple[FunctionFacts, ...] = ()
    classes: tuple[ClassFacts, ...] = ()
    sites: tuple[CallSite, ...] = ()
    imports: tuple[ImportFacts, ...] = ()
    variable_types: tuple[tuple[str, str, tuple[Name, ...]], ...] = ()
    """(scope, variable, type names): ``x = T()``, ``x: T``, ``def f(x: T)``, ``with T() as x``.
    The scope is a function qualname, ``""`` for the module, or ``Class`` for ``self.x = T()``."""
    assigned_attributes: tuple[tuple[str, str], ...] = ()
    """(class qualname, attribute) for every ``self.attribute = ...`` in a method and every
    name bound in a class body: attributes instances have, typed or not."""
    aliases: tuple[tuple[str, tuple[Name, ...]], ...] = ()
    """Module-level ``alias = something`` where something is a name (re-exports by assignment)."""
    main_block: int = 0
    """The line of a module-level ``if __name__ == "__main__":`` (0: none). Its code is the
    function :data:`MAIN_BLOCK` of the module: it runs when the file is executed, not when it is
    imported, so only an application module's block is a root."""
    dynamic: tuple[tuple[str, str], ...] = field(default=())
    """Why the static view may be incomplete: (enclosing function qualname, ``""`` for module
    level; what it does), for example ``("load", "eval at line 3")``. Only features in code
    that is reached make a verdict unknown."""
