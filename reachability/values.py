"""The abstract values the solver tracks, and the graph names of what calling them runs.

A value is a small named tuple: its ``kind``, a ``name`` and, for values made of another
(a bound method's receiver, a container's method, a partial's function), that ``inner`` value.
Instances are abstracted by their class, containers by where they are created.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = [
    "BUILTIN_TYPES",
    "NOWHERE",
    "TYPE_METHODS",
    "Kind",
    "Node",
    "Value",
    "builtin_type_method",
]

Kind = Literal[
    "function",  # name: fully-qualified function, method or lambda
    "class",  # name: fully-qualified class
    "instance",  # name: its class
    "module",  # name: analyzed module
    "builtin",  # name: builtin function or class (``len``, ``Exception``)
    "external",  # name: dotted path outside the analyzed code (``requests.get``)
    "bound",  # name: function; inner: the receiver
    "container",  # name: "KIND|SITE" (a list, tuple, set or dict made at SITE)
    "literal",  # name: builtin type of a literal (``str``, ``int``)
    "type-method",  # name: "KIND.METHOD", a method of a builtin type's value
    "container-method",  # name: method; inner: the container
    "property",  # name: getter function
    "property-setter",  # name: getter function (``@x.setter`` gives the property back)
    "super",  # name: the class whose method calls super(); inner: the receiver
    "generator",  # name: generator function called
    "partial",  # inner: the callable ``functools.partial`` wraps
    "identity",  # a decorator that returns what it decorates (``functools.wraps(f)``)
]


class Value(NamedTuple):
    """One abstract value."""

    kind: Kind
    name: str = ""
    inner: Value | None = None


Node = tuple[str, ...] | tuple[str, Value, str]
"""What the solver keeps a set of values for: ``(module, ref)`` for a reference of a module's
code, ``("#field", owner, name)`` for an attribute of an instance or an item of a container."""

NOWHERE: Node = ("#nowhere",)
"""Where a call's result goes when nothing uses it (``__init__``): not read, not kept."""


BUILTIN_TYPES = {
    "str": "PyStr",
    "dict": "PyDict",
    "list": "PyList",
    "tuple": "PyTuple",
    "set": "PySet",
    "int": "PyInt",
}
"""Graph names of builtin types, as the PyCG benchmark writes them (``<**PyStr**>.join``)."""


TYPE_METHODS: dict[str, frozenset[str]] = {
    kind: frozenset(name for name in dir(python_type) if not name.startswith("_"))
    for kind, python_type in (
        ("str", str),
        ("dict", dict),
        ("list", list),
        ("tuple", tuple),
        ("set", set),
        ("int", int),
    )
}
"""The public methods of each builtin type: reading another attribute of such a value fails."""


def builtin_type_method(kind: str, method: str) -> str:
    """The graph name of a method of a builtin type's value: ``<**PyDict**>.items``."""
    return f"<**{BUILTIN_TYPES.get(kind, 'Py' + kind.title())}**>.{method}"


DERIVED = Value("literal", "derived")
SOME_EXTERNAL = Value("external", "", DERIVED)
"""What a parameter holds of any external value but the modelled ones (``functools.partial``).

Inside analyzed code an external value (an object of a library outside the analysis) is only
ever called, read or passed on; whichever it is, its arguments escape and what it gives is
external again. Keeping each name through parameters made every external value that generic
code handles (a template's context, a logger's arguments) flow everywhere that code flows,
context-insensitively: 72% of the values the solver held, 70% of its edges (to external names
like ``operator.ge.loader``) and not one edge between analyzed functions. What is lost is the
external name of a callback called where it was passed to (no edge to it; its arguments still
escape).
"""
