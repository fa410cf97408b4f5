"""Plain, picklable facts that extraction produces for one module.

A module's code is recorded as a list of :class:`Operation` (a small three-address form of what
the code does with values: copy, read an attribute, call, store, iterate ...) over *references*,
short strings that name where a value lives (see :data:`Ref`). The solver
(:mod:`sbom_enrich.reachability.solve`) runs them over the whole program to a fixed point. Turning
names into
values needs the other modules, so that is the solver's job, not the extractor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

__all__ = [
    "MAIN_BLOCK",
    "NONE",
    "REFLECTED",
    "STATIC_PATH",
    "DECORATION",
    "ClassFacts",
    "FunctionFacts",
    "ImportFacts",
    "ModuleFacts",
    "OpKind",
    "Operation",
    "Ref",
    "caller_node",
]

MAIN_BLOCK = "<main>"
"""The pseudo-function name of a module's ``if __name__ == "__main__":`` block."""

DECORATION = "@"
"""The ``names[0]`` of a call that applies a decorator (where other calls name the attribute
called): ``args[1]`` is what it decorates, ``d:QUALNAME`` for the innermost one."""

REFLECTED: dict[str, str] = {
    f"__{name}__": f"__r{name}__"
    for name in (
        "add",
        "sub",
        "mul",
        "matmul",
        "truediv",
        "floordiv",
        "mod",
        "pow",
        "lshift",
        "rshift",
        "and",
        "xor",
        "or",
    )
}
"""A binary operator's special method -> the right operand's reflected one (``a + b`` falls
back to ``b.__radd__(a)``): the ``names[0]`` of the second ``operator`` operation of ``a + b``."""

STATIC_PATH = "static"
"""``names[1]`` of an attribute read on an import path (``requests.adapters.HTTPAdapter``):
only such reads name new external values after the attribute."""

Ref = str
"""Where a value lives, by its first letter:

* ``t:12``: a temporary (an intermediate expression) of this module;
* ``v:SCOPE:NAME``: a variable of a scope of this module (``SCOPE`` is ``""`` for the module,
  a class qualname for a class body, a function qualname); ``v:SCOPE:NAME@3`` is one version of
  it in straight-line code (what a read right there sees);
* ``r:QUALNAME`` and ``y:QUALNAME``: what a function of this module returns and yields;
* ``d:QUALNAME``: a function, lambda or class defined in this module (before decorators);
* ``i:DOTTED``: an imported path, possibly relative (``i:..sub.f``);
* ``b:NAME``: a builtin; ``m:``: this module itself;
* ``c:TEXT``: a string constant; ``p:TEXT``: a string that starts with ``TEXT`` (an f-string);
  ``l:KIND``: another literal of a builtin type (``l:int``);
* ``n:``: ``None`` assigned to a variable of a function (``x = None``): no value either, but
  one that guards may rule out (``if x is not None:``), where ``""`` might be anything;
* ``""``: no value we track (numbers compared, ``None`` elsewhere ...).
"""

NONE: Ref = "n:"
"""The reference of ``None`` bound to a function's variable (see :data:`Ref`)."""

OpKind = Literal[
    "copy",  # target gets args[0]
    "attr",  # target gets args[0].names[0]
    "store",  # args[0].names[0] gets args[1]
    "sub",  # target gets args[0][names[0]]  (names[0]: a constant key's repr, "" if unknown)
    "slice",  # target gets args[0][names[0]:names[1]]
    "substore",  # args[0][names[0]] gets args[1]
    "call",  # target gets args[0](args[1:]); names[0] the called attribute, names[1:] the kinds
    "container",  # target is a new names[0] ("list", "tuple", "set", "dict"); args its items
    "unpack",  # target gets item names[0] of args[0] ("*" for a starred rest)
    "iter",  # target gets what iterating args[0] gives; names[0] "async" or ""
    "with",  # target gets what entering args[0] gives; names[0] "async" or ""
    "raise",  # args[0] is raised
    "operator",  # target gets args[0].names[0](args[1])  (``a + b``: ``__add__``)
    "annotation",  # target gets instances of the type args[0]
    "super",  # target is super() in a method of class names[0] with receiver args[0]
]


class Operation(NamedTuple):
    """One thing the code does with values, in ``caller``.

    ``caller`` is the function that runs it (its qualname in the module, ``""`` for top-level
    code, :data:`MAIN_BLOCK` for the main block): the source of any call edge it makes. A named
    tuple of strings: a warm run rebuilds 100,000s of them from the cache.
    """

    kind: OpKind
    caller: str
    line: int
    target: Ref
    args: tuple[Ref, ...] = ()
    names: tuple[str, ...] = ()
    guard: tuple[str, ...] = ()
    """``("callable", ref)`` when it runs only if a variable of ``caller`` may hold a callable
    (it is in the body of ``if callable(x):``), ``("some", ref)`` when only if it may hold
    something other than None (``if x is not None:``, ``if x:``)."""


@dataclass(frozen=True)
class FunctionFacts:
    """A function, method or lambda definition and how it takes arguments."""

    qualname: str
    line: int
    class_qualname: str | None
    parameters: tuple[str, ...] = ()
    """Positional(-or-keyword) parameters, in order (``self`` included)."""
    keyword_only: tuple[str, ...] = ()
    star: str | None = None
    double_star: str | None = None
    is_property: bool = False
    is_staticmethod: bool = False
    is_classmethod: bool = False
    is_generator: bool = False
    is_lambda: bool = False

    @property
    def first_parameter(self) -> str | None:
        """The receiver's name for a method (``self``, ``cls``), or the first parameter."""
        return self.parameters[0] if self.parameters else None


@dataclass(frozen=True)
class ClassFacts:
    """A class definition with references to its bases, in order."""

    qualname: str
    line: int
    bases: tuple[Ref, ...]


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
    operations: tuple[Operation, ...] = ()
    imports: tuple[ImportFacts, ...] = ()
    main_block: int = 0
    """The line of a module-level ``if __name__ == "__main__":`` (0: none). Its code is the
    function :data:`MAIN_BLOCK` of the module: it runs when the file is executed, not when it is
    imported, so only an application module's block is a root."""
    dynamic: tuple[tuple[str, str], ...] = field(default=())
    """Why the static view may be incomplete: (enclosing function qualname, ``""`` for module
    level; what it does), for example ``("load", "eval at line 3")``. Only features in code
    that is reached make a verdict unknown."""


def caller_node(module: str, caller: str) -> str:
    """The graph node of a caller: the function, or the module for top-level code."""
    return f"{module}.{caller}" if caller else module
