"""What calling builtins and a few standard-library functions does with values.

Each model is a function of the solver and the call's arguments that returns what the call
gives, after adding the edges and flows it causes: ``map(f, xs)`` calls ``f`` with the items of
``xs`` (the edge is attributed to the scope of the ``map`` call, as the PyCG benchmark does);
``getattr(o, "name")`` reads the attribute; ``functools.partial(f)`` is a callable that calls
``f``. Builtins without a model give nothing; external functions without one give a value named
after the call (``requests.get(...)`` is ``requests.get``), and any function passed to them
*escapes* (may be called from outside the analysis).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sbom_enrich.reachability.facts import Ref
from sbom_enrich.reachability.values import NOWHERE, Node, Value

if TYPE_CHECKING:
    from sbom_enrich.reachability.solve import Solver

__all__ = ["BUILTIN_MODELS", "EXTERNAL_MODELS", "NODE_REFS", "Arguments", "Model", "function_of"]

Values = frozenset[Value]
NODE_REFS = frozenset("tvry")
"""Reference kinds that name a node of the solver (the rest are constants)."""


@dataclass(frozen=True)
class Arguments:
    """The values of a call's arguments, by how they are passed."""

    positional: tuple[Values, ...] = ()
    keywords: tuple[tuple[str, Values], ...] = ()
    spread: tuple[Values, ...] = ()  # f(*xs)
    double_spread: tuple[Values, ...] = ()  # f(**mapping)
    constants: tuple[str | None, ...] = ()  # positional string constants, None where not one
    sources: tuple[Node | None, ...] = ()  # the node each positional argument is read from
    keyword_sources: tuple[Node | None, ...] = ()  # the same for each keyword argument
    prefixes: tuple[str | None, ...] = ()  # what a positional f-string starts with (``p:``)

    @classmethod
    def of(
        cls, solver: Solver, module: str, refs: Sequence[Ref], kinds: Sequence[str]
    ) -> Arguments:
        """The arguments of a call operation: ``refs`` with their kinds ("", "*", "**", name)."""
        positional, keywords, spread, double, constants = [], [], [], [], []
        prefixes: list[str | None] = []
        sources: list[Node | None] = []
        keyword_sources: list[Node | None] = []
        for ref, kind in zip(refs, kinds, strict=True):
            values = frozenset(solver.values(module, ref))
            source = (module, ref) if ref[:1] in NODE_REFS else None
            if kind == "":
                positional.append(values)
                constants.append(ref[2:] if ref.startswith("c:") else None)
                prefixes.append(ref[2:] if ref.startswith("p:") else None)
                sources.append(source)
            elif kind == "*":
                spread.append(values)
            elif kind == "**":
                double.append(values)
            else:
                keywords.append((kind, values))
                keyword_sources.append(source)
        return cls(
            tuple(positional),
            tuple(keywords),
            tuple(spread),
            tuple(double),
            tuple(constants),
            tuple(sources),
            tuple(keyword_sources),
            tuple(prefixes),
        )

    def prepend(self, values: Sequence[Values]) -> Arguments:
        """These arguments after the positional ``values`` (what a partial binds)."""
        if not values:
            return self
        constants = (None,) * len(values) + self.constants
        sources = (None,) * len(values) + (self.sources or (None,) * len(self.positional))
        prefixes = (None,) * len(values) + (self.prefixes or (None,) * len(self.positional))
        positional = (*values, *self.positional)
        return replace(
            self, positional=positional, constants=constants, sources=sources, prefixes=prefixes
        )

    def after_first(self) -> Arguments:
        """These arguments without the first positional one (``dict.get(self, key)``)."""
        return replace(
            self,
            positional=self.positional[1:],
            constants=self.constants[1:],
            sources=self.sources[1:],
            prefixes=self.prefixes[1:],
        )

    def source(self, index: int) -> Node | None:
        """The node positional argument ``index`` is read from (None: a value made here)."""
        return self.sources[index] if index < len(self.sources) else None

    def keyword_source(self, index: int) -> Node | None:
        """The node keyword argument ``index`` is read from (None: a value made here)."""
        return self.keyword_sources[index] if index < len(self.keyword_sources) else None

    def keyword(self, name: str) -> Values:
        """The values passed as ``name=...`` (empty if not passed)."""
        return frozenset(v for key, values in self.keywords if key == name for v in values)

    def constant(self, index: int) -> str | None:
        """The string constant passed at position ``index``, if it is one."""
        return self.constants[index] if index < len(self.constants) else None

    def prefix(self, index: int) -> str | None:
        """What the f-string passed at position ``index`` starts with, if it is one."""
        return self.prefixes[index] if index < len(self.prefixes) else None


Model = Callable[["Solver", Arguments], set[Value]]


def function_of(value: Value) -> str | None:
    """The analyzed function a value calls when called (a function, method, partial)."""
    if value.kind in ("function", "bound", "property"):
        return value.name
    if value.kind == "partial" and value.inner is not None:
        return function_of(value.inner)
    return None


_CALLABLE = frozenset({"function", "bound", "class", "instance", "partial", "external"})


def _callables(values: Values) -> list[Value]:
    return [value for value in values if value.kind in _CALLABLE]


def _call_each(solver: Solver, functions: Sequence[Value], items: Node | None, into: Node) -> None:
    """Call each function with one argument, an item of the iterables.

    The items are the values of ``items``, now and later (none if None); what the functions
    return flows into ``into``.
    """
    for function in functions:
        if items is None:
            arguments = Arguments((frozenset(),))
        elif function.kind in ("builtin", "external"):  # a model may look at the values
            arguments = Arguments((frozenset(solver.read(items)),), sources=(items,))
        else:
            arguments = Arguments((frozenset(),), sources=(items,))
        found = solver.call(function, arguments, into)
        if into != NOWHERE:
            solver.add(into, found)


def _iterables(arguments: Arguments) -> set[Value]:
    """The data arguments of a higher-order call: every value that is not callable."""
    return {v for values in arguments.positional for v in values if v.kind not in _CALLABLE}


def _map(solver: Solver, arguments: Arguments) -> set[Value]:
    functions = [f for values in arguments.positional for f in _callables(values)]
    items = solver.items_node(_iterables(arguments), "map")
    results = solver.scratch("map:results")
    _call_each(solver, functions, items, results)
    result = solver.new_container("list")
    solver.store_flow(result, "*", results)
    return {result}


def _filter(solver: Solver, arguments: Arguments) -> set[Value]:
    functions = [f for values in arguments.positional for f in _callables(values)]
    items = solver.items_node(_iterables(arguments), "filter")
    _call_each(solver, functions, items, NOWHERE)
    result = solver.new_container("list")
    solver.store_flow(result, "*", items)
    return {result}


def _ordered_items(
    solver: Solver, arguments: Arguments, comparing: tuple[str, ...] = ("__lt__", "__gt__")
) -> Node:
    """``sorted``, ``min`` and ``max``: the ``key`` function is called with the items.

    Without one, the items are compared: ``sorted`` and ``min`` with ``<`` (``__lt__``, else
    the other item's ``__gt__``), ``max`` with ``>``.
    """
    items = solver.items_node([v for values in arguments.positional for v in values], "ordered")
    keys = _callables(arguments.keyword("key"))
    _call_each(solver, keys, items, NOWHERE)
    if not keys:
        for item in list(solver.read(items)):
            solver.call_special(item, comparing, Arguments((frozenset({item}),)))
    return items


def _ordered(comparing: tuple[str, ...]) -> Model:
    """``min(xs)`` or ``max(xs)``: one of the items."""

    def model(solver: Solver, arguments: Arguments) -> set[Value]:
        return set(solver.read(_ordered_items(solver, arguments, comparing)))

    return model


def _sorted(solver: Solver, arguments: Arguments) -> set[Value]:
    result = solver.new_container("list")
    solver.store_flow(result, "*", _ordered_items(solver, arguments))
    return {result}


def _collect(kind: str) -> Model:
    """``list(xs)``, ``tuple(xs)``, ``set(xs)``, ``reversed(xs)``, ``iter(xs)``."""

    def model(solver: Solver, arguments: Arguments) -> set[Value]:
        result = solver.new_container(kind)
        if arguments.positional:
            solver.store_flow(result, "*", solver.items_node(arguments.positional[0], kind))
        return {result}

    return model


def _enumerate(solver: Solver, arguments: Arguments) -> set[Value]:
    result = solver.new_container("list")
    pair = solver.new_container("tuple", ":pair")
    if arguments.positional:
        solver.store_flow(pair, "1", solver.items_node(arguments.positional[0], "enumerate"))
    solver.store_item(result, "*", (pair,))
    return {result}


def _zip(solver: Solver, arguments: Arguments) -> set[Value]:
    result = solver.new_container("list")
    row = solver.new_container("tuple", ":row")
    for index, values in enumerate(arguments.positional):
        solver.store_flow(row, repr(index), solver.items_node(values, f"zip:{index}"))
    solver.store_item(result, "*", (row,))
    return {result}


def _vars(solver: Solver, arguments: Arguments) -> set[Value]:
    """``vars(x)``: ``x.__dict__`` of an analyzed class or instance; of anything else, unknown.

    A class's is a dict of what its body binds; an instance's is exposed
    (:meth:`~sbom_enrich.reachability.solve.Solver.expose`).
    """
    values = arguments.positional[0] if arguments.positional else frozenset()
    found: set[Value] = set()
    for value in values:
        if value.name not in solver.program.classes:
            continue
        if value.kind == "class":
            found.add(solver.namespace(value.name))
        elif value.kind == "instance":
            found |= solver.expose(value)
    return found


def _special(*dunders: str, every: bool = False) -> Model:
    """``str(x)``, ``len(x)``: the first of ``dunders`` that ``x``'s class defines runs.

    Of the first positional argument, or of ``every`` one (``print``). What it gives is not
    followed: the builtin makes a value of its own type from it.
    """

    def model(solver: Solver, arguments: Arguments) -> set[Value]:
        for values in arguments.positional if every else arguments.positional[:1]:
            for value in list(values):
                solver.call_special(value, dunders, Arguments())
        return set()

    return model


def _next(solver: Solver, arguments: Arguments) -> set[Value]:
    """``next(it)`` calls the iterator's own ``__next__`` (not ``__iter__`` first)."""
    found: set[Value] = set()
    iterators = arguments.positional[0] if arguments.positional else frozenset()
    for value in iterators:
        if value.kind == "instance":
            found |= solver.call_method(value, "__next__", Arguments())
    found |= solver.items_of([v for v in iterators if v.kind != "instance"], "next")
    if len(arguments.positional) > 1:
        found |= arguments.positional[1]
    return found


def _dict(solver: Solver, arguments: Arguments) -> set[Value]:
    result = solver.new_container("dict")
    solver.copy_items(result, arguments.positional[0] if arguments.positional else ())
    for name, values in arguments.keywords:
        solver.store_item(result, repr(name), values)
    return {result}


def _getattr(solver: Solver, arguments: Arguments) -> set[Value]:
    """``getattr(obj, "name")``; ``getattr(self, f"visit_{...}")`` reads every ``visit_*``.

    With an f-string name, an object of an analyzed class gives every attribute its class
    (along the MRO) defines under a name with that start: the visitor pattern, whose methods
    are then called. Anything else as the object stays a computed read (``result()``).
    """
    name = arguments.constant(1)
    found: set[Value] = set(arguments.positional[2]) if len(arguments.positional) > 2 else set()
    if name is not None and arguments.positional:
        for value in arguments.positional[0]:
            found |= solver.attribute(value, name)
    prefix = arguments.prefix(1)
    if name is None and prefix and arguments.positional:
        for value in arguments.positional[0]:
            for member in solver.members_starting(value, prefix):
                found |= solver.attribute(value, member)
    return found


def _setattr(solver: Solver, arguments: Arguments) -> set[Value]:
    name = arguments.constant(1)
    if name is not None and len(arguments.positional) > 2:
        solver.store_values(arguments.positional[0], name, arguments.positional[2])
    return set()


def _first(solver: Solver, arguments: Arguments) -> set[Value]:
    """A wrapper that gives back what it wraps (``staticmethod(f)``, ``abc.abstractmethod``)."""
    return set(arguments.positional[0]) if arguments.positional else set()


def _cast(solver: Solver, arguments: Arguments) -> set[Value]:
    """``typing.cast(T, value)`` gives back ``value``."""
    if len(arguments.positional) > 1:
        return set(arguments.positional[1])
    return set(arguments.keyword("val"))


def _property(solver: Solver, arguments: Arguments) -> set[Value]:
    """``property(fget, fset, fdel)``: the getter is read; the others escape where it is made.

    Setting or deleting the attribute runs them, which a property value (one function) does
    not record.
    """
    getters = arguments.positional[0] if arguments.positional else arguments.keyword("fget")
    for index, name in ((1, "fset"), (2, "fdel")):
        others = arguments.positional[index] if len(arguments.positional) > index else None
        solver.escape_values(None, others if others is not None else arguments.keyword(name))
    return {Value("property", v.name) for v in getters if v.kind == "function"}


def _type(solver: Solver, arguments: Arguments) -> set[Value]:
    if len(arguments.positional) != 1:
        return set()
    return {Value("class", v.name) for v in arguments.positional[0] if v.kind == "instance"}


def _iter(solver: Solver, arguments: Arguments) -> set[Value]:
    if len(arguments.positional) == 2:  # iter(callable, sentinel) calls it
        results = solver.scratch("iter:results")
        _call_each(solver, _callables(arguments.positional[0]), None, results)
        return set(solver.read(results))
    return _collect("list")(solver, arguments)


BUILTIN_MODELS: dict[str, Model] = {
    "map": _map,
    "filter": _filter,
    "sorted": _sorted,
    "min": _ordered(("__lt__", "__gt__")),
    "max": _ordered(("__gt__", "__lt__")),
    "list": _collect("list"),
    "tuple": _collect("tuple"),
    "set": _collect("set"),
    "frozenset": _collect("set"),
    "reversed": _collect("list"),
    "iter": _iter,
    "enumerate": _enumerate,
    "zip": _zip,
    "next": _next,
    "dict": _dict,
    "getattr": _getattr,
    "setattr": _setattr,
    "staticmethod": _first,
    "classmethod": _first,
    "property": _property,
    "type": _type,
    "vars": _vars,
    "str": _special("__str__", "__repr__"),
    "repr": _special("__repr__"),
    "ascii": _special("__repr__"),
    "format": _special("__format__", "__str__", "__repr__"),
    "print": _special("__str__", "__repr__", every=True),
    "bool": _special("__bool__", "__len__"),
    "len": _special("__len__"),
    "hash": _special("__hash__"),
    "abs": _special("__abs__"),
    "int": _special("__int__", "__index__", "__trunc__"),
    "float": _special("__float__", "__index__"),
    "bytes": _special("__bytes__"),
    "round": _special("__round__"),
}
"""Builtins whose result or calls matter to the call graph."""


def _partial(solver: Solver, arguments: Arguments) -> set[Value]:
    """``partial(f, a)``: a callable that calls ``f`` with ``a`` first (kept as its items)."""
    wrapped = arguments.positional[0] if arguments.positional else frozenset()
    site = solver.new_container("tuple").name
    found = set()
    for function in _callables(wrapped):
        partial = Value("partial", site, function)
        for index, values in enumerate(arguments.positional[1:]):
            solver.store_item(partial, repr(index), values or {Value("literal", "object")})
        found.add(partial)
    return found


def _identity_decorator(solver: Solver, arguments: Arguments) -> set[Value]:
    """``functools.wraps(w)`` gives a decorator that returns the function it decorates."""
    return {Value("identity")}


def _cache(solver: Solver, arguments: Arguments) -> set[Value]:
    """``lru_cache(f)`` is ``f``; ``lru_cache(maxsize=8)`` is a decorator giving ``f`` back."""
    functions = _callables(arguments.positional[0]) if arguments.positional else []
    return set(functions) if functions else {Value("identity")}


def _reduce(solver: Solver, arguments: Arguments) -> set[Value]:
    functions = _callables(arguments.positional[0]) if arguments.positional else []
    items = (
        solver.items_node(arguments.positional[1], "reduce")
        if len(arguments.positional) > 1
        else None
    )
    results = solver.scratch("reduce:results")
    _call_each(solver, functions, items, results)
    return set(solver.read(results))


def _import_module(solver: Solver, arguments: Arguments) -> set[Value]:
    name = arguments.constant(0)
    return set(solver.imported(name)) if name and not name.startswith(".") else set()


EXTERNAL_MODELS: dict[str, Model] = {
    "functools.partial": _partial,
    "functools.wraps": _identity_decorator,
    "functools.update_wrapper": _first,
    "functools.lru_cache": _cache,
    "functools.cache": _cache,
    "functools.cached_property": _property,
    "functools.reduce": _reduce,
    "functools.singledispatch": _first,
    "contextlib.contextmanager": _first,
    "contextlib.asynccontextmanager": _first,
    "abc.abstractmethod": _first,
    "typing.overload": _first,
    "typing.final": _first,
    "typing.cast": _cast,
    "typing_extensions.cast": _cast,
    "typing_extensions.overload": _first,
    "typing_extensions.final": _first,
    "importlib.import_module": _import_module,
}
"""Standard-library functions (not analyzed) whose effect on values is known."""
