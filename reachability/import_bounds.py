"""What a computed import may load: the strings that reach its argument, traced back.

After solving, the argument of each ``importlib.import_module(x)`` or ``__import__(x)`` that is
not a constant is traced backwards through the operations that made it: copies, parameters
(every call site that binds them, and defaults), attributes (every store of that attribute on
the classes or modules the object may be), module globals, return values, and the string
methods that cut or rewrite a string (``replace``, ``rpartition``, ``split``, ``strip`` ...) or
format one (``"x{}".format(y)`` starts with ``x``).

The site is *bounded* when every origin is a string constant, a module's ``__name__`` or an
f-string's constant beginning, and the result is a few :class:`Pattern`: the exact name, a
name that starts with a text, or a name cut out of a text. Anything else leaves the site
unbounded, as it always was: a value from external code (``sys.argv``, ``os.environ``, a
configuration file), a string of unknown origin, a parameter of a function that code outside
the analysis may call (it escaped, a method of that name is called on an object of unknown
type, it is never called by analyzed code), a concatenation, a container that code may change.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from itertools import groupby
from typing import TYPE_CHECKING, Literal, NamedTuple

from sbom_enrich.reachability.clones import canonical
from sbom_enrich.reachability.facts import REFLECTED, Operation, Ref, caller_node
from sbom_enrich.reachability.models import NODE_REFS
from sbom_enrich.reachability.values import SOME_EXTERNAL, Node, Value

if TYPE_CHECKING:
    from sbom_enrich.reachability.solve import Solver

__all__ = [
    "Pattern",
    "StringTracer",
    "bound_imports",
    "decode",
    "encode",
    "matches",
    "may_import",
    "split_assumptions",
]

PatternKind = Literal["exact", "prefix", "part"]


class Pattern(NamedTuple):
    """A module name an import may load: ``text`` itself, one starting with it, or part of it."""

    kind: PatternKind
    text: str


_CODES: dict[PatternKind, str] = {"exact": "=", "prefix": "^", "part": "~"}
_KINDS: dict[str, PatternKind] = {code: kind for kind, code in _CODES.items()}
_ASSUMED = "!"
"""Marks an encoded entry ``!f``: the bound holds only while function ``f`` never runs."""
_BUDGET = 20_000
"""Operations one site's trace may visit; a longer trace leaves the site unbounded."""
_CUTTING = frozenset({"split", "rsplit", "partition", "rpartition", "splitlines"})
_TRIMMING = frozenset({"strip", "lstrip", "rstrip", "removeprefix", "removesuffix"})
_CASING = frozenset({"lower", "upper", "casefold"})
_NAME_ATTRIBUTES = frozenset({"__name__", "__module__", "__qualname__"})

Patterns = frozenset[Pattern] | None
"""What a traced value may be: ``None`` when it is not bounded."""
_NONE: frozenset[Pattern] = frozenset()
_EITHER = frozenset({0, 1})
_COPYING = frozenset({"tuple", "list", "set", "frozenset", "sorted", "reversed"})
"""Builtins whose result holds the items of their one argument."""
_REFLECTED_NAMES = frozenset(REFLECTED.values())
_DERIVING = frozenset({"call", "attr", "sub", "slice", "iter", "unpack", "operator"})
"""Operations whose result comes from other values: unseen when those are."""
_STORING_BY_VALUE = frozenset({"append", "add", "insert", "setdefault"})
"""Container methods whose models store their arguments' values (not a flow from them)."""
_ITEMS_OF = frozenset({"sub", "slice", "iter", "unpack"})
"""Operations that read the items of their first argument."""
_DEFINITE = frozenset({"module", "container", "literal"})
"""Receivers whose attribute, when traced to no string, holds none (a module's global)."""
_READING_METHODS = frozenset({"get", "keys", "values", "items", "copy", "__contains__"})
"""Methods of a dict that never change it."""


def encode(pattern: Pattern) -> str:
    """``=jinja2.ext``, ``^_jinja2_module_templates_``, ``~jinja2.ext.do`` (for the cache)."""
    return _CODES[pattern.kind] + pattern.text


def decode(text: str) -> Pattern:
    """The inverse of :func:`encode`."""
    return Pattern(_KINDS[text[0]], text[1:])


def split_assumptions(encoded: Iterable[str]) -> tuple[frozenset[Pattern], frozenset[str]]:
    """A site's encoded bound: its patterns, and the functions it takes to never run."""
    entries = list(encoded)
    assumed = frozenset(text[1:] for text in entries if text.startswith(_ASSUMED))
    patterns = frozenset(decode(text) for text in entries if not text.startswith(_ASSUMED))
    return patterns, assumed


def may_import(pattern: Pattern, package: str) -> bool:
    """Whether an import of a name ``pattern`` allows may run code of top-level ``package``."""
    if pattern.kind == "part":
        return package in pattern.text
    top, dot, _rest = pattern.text.partition(".")
    if pattern.kind == "prefix" and not dot:
        return package.startswith(top)
    return top == package


def bound_imports(
    solver: Solver, tracer: StringTracer | None = None
) -> dict[str, dict[int, set[str]]]:
    """Caller node -> line -> encoded patterns, for the computed imports that are bounded.

    A ``tracer`` built before is given the open functions as they are now; otherwise one (an
    index of every operation) is built only when a computed import is found.
    """
    opened = False
    found: dict[str, dict[int, set[str] | None]] = {}
    for module, op in solver.ops:
        if op.kind != "call" or not _imports(_values(solver, module, op.args[0])):
            continue
        argument = _first_positional(op)
        if argument is not None and argument.startswith("c:"):
            continue  # a constant: extraction made it an import
        lines = found.setdefault(canonical(caller_node(module, op.caller)), {})
        if tracer is None:
            tracer = StringTracer(solver, solver.open_functions())
        elif not opened:
            tracer.open = solver.open_functions()
        opened = True
        tracer.assumed = set()
        patterns = tracer.trace(module, argument) if argument is not None else None
        assumed, tracer.assumed = tracer.assumed, None
        known = lines.get(op.line, set())
        if patterns is None or known is None:
            lines[op.line] = None
        else:
            lines[op.line] = known | {encode(p) for p in patterns} | {_ASSUMED + f for f in assumed}
    return {
        node: {line: texts for line, texts in lines.items() if texts is not None}
        for node, lines in found.items()
        if any(texts is not None for texts in lines.values())
    }


def _imports(callees: Iterable[Value]) -> bool:
    return any(
        (value.kind == "builtin" and value.name == "__import__")
        or (value.kind == "external" and value.name == "importlib.import_module")
        for value in callees
    )


def _first_positional(op: Operation) -> Ref | None:
    for ref, kind in zip(op.args[1:], op.names[1:], strict=True):
        if kind == "":
            return ref
        if kind in ("*", "**"):
            return None
    keyword = [ref for ref, kind in zip(op.args[1:], op.names[1:], strict=True) if kind == "name"]
    return keyword[0] if keyword else None


class StringTracer:
    """Traces the strings a reference may hold back to their origins (one site at a time).

    ``open``: the functions whose parameters code outside the analysis may bind.
    """

    def __init__(self, solver: Solver, open_functions: set[str]) -> None:
        self.solver = solver
        self.program = solver.program
        self.open = open_functions
        self.definitions: dict[Node, list[int]] = {}
        self.stores: dict[str, list[int]] = {}
        # setattr(obj, name, value) with a computed name that may store a string: index of the op
        # -> whether it stores only attributes the object lacks (__getattr__ caching them)
        self.computed_stores: dict[int, bool] = {}
        for index, (module, op) in enumerate(solver.ops):
            if op.target:
                self.definitions.setdefault((module, op.target), []).append(index)
            if op.kind == "store":
                self.stores.setdefault(op.names[0], []).append(index)
            elif (
                op.kind == "call"
                and op.names[1:] == ("", "", "")
                and _is_setattr(_values(solver, module, op.args[0]))
            ):
                name, stored = op.args[2], _values(solver, module, op.args[3])
                if name.startswith("c:"):
                    self.stores.setdefault(name[2:], []).append(index)
                elif not stored or _may_be_string(stored):
                    self.computed_stores[index] = self._caches_missing(module, op)
        self._store_names: dict[int, Patterns] = {}
        self._forwarding: set[str] = set()  # functions whose *args/**kwargs are being followed
        self._module_ops: dict[str, list[range]] = {}  # the program's, then clones' (solve.py)
        for module, group in groupby(range(len(solver.ops)), key=lambda i: solver.ops[i][0]):
            indexes = list(group)
            self._module_ops.setdefault(module, []).append(range(indexes[0], indexes[-1] + 1))
        self._active: set[Node] = set()
        self._active_items: set[Node] = set()  # nodes whose items are being traced
        self._steps = 0
        self.assumed: set[str] | None = None
        """When a set: the functions (or modules) whose code was taken to never run, so that
        their call sites bind nothing; a bound that holds only while none runs (the query
        checks that)."""
        self._read_names = {
            name for names in solver.facts.unresolved_reads.values() for name in names
        }

    def _may_be_fetched(self, function: str) -> bool:
        """Whether code may get ``function`` by reading its name on an object of unknown type.

        It might then call it in a way no operation shows (``f = x.name; f(a)``).
        """
        return canonical(function).rpartition(".")[2] in self._read_names

    def _may_store(self, index: int, name: str) -> bool:
        """Whether the computed ``setattr`` at ``index`` may store attribute ``name``.

        Its name argument is traced like an import's (in a trace of its own): ``_cache_`` +
        anything never stores ``import_name``.
        """
        if index not in self._store_names:
            saved = self._active, self._active_items, self._steps, self.assumed
            self._active, self._active_items, self._steps, self.assumed = set(), set(), 0, None
            module, op = self.solver.ops[index]
            self._store_names[index] = self.ref(module, op.args[2])
            self._active, self._active_items, self._steps, self.assumed = saved
        patterns = self._store_names[index]
        return patterns is None or any(matches(pattern, name) for pattern in patterns)

    def _caches_missing(self, module: str, op: Operation) -> bool:
        """``setattr(self, name, v)`` in ``__getattr__(self, name)``: only missing attributes."""
        function = self.solver.functions.get(caller_node(module, op.caller))
        if function is None or not op.caller.endswith("__getattr__"):
            return False
        parameters = function.parameters
        return len(parameters) == 2 and op.args[2] == f"v:{op.caller}:{parameters[1]}"

    def trace(self, module: str, ref: Ref) -> Patterns:
        """The patterns of the strings ``ref`` of ``module`` may hold, or ``None``."""
        self._active.clear()
        self._active_items.clear()
        self._steps = 0
        try:
            return self.ref(module, ref)
        except RecursionError:
            return None  # a trace too deep to follow: not bounded

    @cached_property
    def unseen(self) -> frozenset[Node]:
        """Nodes that may hold values the solver does not see.

        The solver shows what it does not know as nothing: the result of reading, calling or
        iterating an object of unknown type is empty. Such a result merged with known values
        elsewhere (``[known, *unknown]``, then a parameter) leaves a set that looks complete.
        The results of those operations that came out empty, and everything they flow into
        (through the solver's flows, and into the items of containers an operation builds from
        them), are unseen; a set of non-string values there proves nothing.
        """
        solver = self.solver
        flows = solver.flows
        found: set[Node] = set()
        pending: list[Node] = []

        def mark(node: Node) -> None:
            if node not in found:
                found.add(node)
                pending.append(node)

        def held(node: Node) -> set[Value] | frozenset[Value]:
            return solver.points_to.get(node, frozenset())

        readers: dict[Node, list[int]] = {}  # node -> the operations it is a source of
        for index, (module, op) in enumerate(solver.ops):
            if op.target and op.kind in _DERIVING and not held((module, op.target)):
                mark((module, op.target))
            for source in self._sources(module, op):
                readers.setdefault(source, []).append(index)
        while pending:
            node = pending.pop()
            for target in flows.get(node, ()):
                mark(target)
            for index in readers.get(node, ()):
                module, op = solver.ops[index]
                if op.kind == "call" and "*" in op.names[1:]:
                    for spread in self._spread_into(module, op, found):
                        mark(spread)
                if op.kind == "call" and node[0] == module and node[1] in op.args[1:]:
                    for stored in self._stored_into(module, op):
                        mark(stored)
                if not op.target or (module, op.target) in found:
                    continue
                if op.kind == "container":
                    for value in held((module, op.target)):
                        mark(("#field", value, "*"))
                        mark(("#field", value, "*all"))
                elif op.kind in _DERIVING:
                    mark((module, op.target))
        return frozenset(found)

    def _sources(self, module: str, op: Operation) -> list[Node]:
        """The nodes whose unseen values ``op`` passes on (for :attr:`unseen`)."""
        points_to = self.solver.points_to
        sources: list[Node] = [(module, ref) for ref in op.args if ref[:1] in NODE_REFS]
        held: list[Ref] = []
        if op.kind in _ITEMS_OF:
            held.append(op.args[0])
        if op.kind == "call":
            arguments = zip(op.args[1:], op.names[1:], strict=True)
            held += [ref for ref, kind in arguments if kind == "*"]
        for ref in held:
            for value in points_to.get((module, ref), ()):
                if value.kind == "container":
                    sources.append(("#field", value, "*all"))
        return sources

    def _stored_into(self, module: str, op: Operation) -> list[Node]:
        """The items of the containers that ``op`` (``items.append(x)`` ...) stores into.

        The solver stores those arguments by value, not by flow (see :attr:`unseen`).
        """
        return [
            ("#field", callee.inner, key)
            for callee in self.solver.points_to.get((module, op.args[0]), ())
            if callee.kind == "container-method"
            and callee.name in _STORING_BY_VALUE
            and callee.inner is not None
            for key in ("*", "*all")
        ]

    def _spread_into(self, module: str, op: Operation, unseen: set[Node]) -> list[Node]:
        """The parameters a call's ``*items`` binds, when those items may be unseen.

        The solver binds spread items by value, not by flow, so :attr:`unseen` marks them here.
        """
        solver = self.solver
        spread: list[Node] = [
            (module, ref)
            for ref, kind in zip(op.args[1:], op.names[1:], strict=True)
            if kind == "*" and ref[:1] in NODE_REFS
        ]
        spread += [
            ("#field", value, "*all")
            for node in list(spread)
            for value in solver.points_to.get(node, ())
            if value.kind == "container"
        ]
        if not any(node in unseen for node in spread):
            return []
        functions: list[str] = []
        for callee in solver.points_to.get((module, op.args[0]), ()):
            if callee.kind in ("function", "bound"):
                functions.append(callee.name)
            elif callee.kind == "class":
                constructors = (f"{k.name}.__init__" for k in solver.mro(callee.name))
                functions += [next((f for f in constructors if f in self.solver.functions), "")]
        found: list[Node] = []
        for function in functions:
            facts = self.solver.functions.get(function)
            if facts is None:
                continue
            owner = self.solver.function_module[function]
            qualname = function[len(owner) + 1 :]
            found += [(owner, f"v:{qualname}:{name}") for name in facts.parameters]
            rest = Value("container", f"tuple|{function}:*")
            found += [("#field", rest, "*"), ("#field", rest, "*all")]
        return found

    # -- references ------------------------------------------------------------------------

    def ref(self, module: str, ref: Ref) -> Patterns:
        """The patterns of reference ``ref`` of ``module``: a constant, a name, a node."""
        if not ref:
            return _NONE
        kind = ref[0]
        if kind == "c":
            return frozenset({Pattern("exact", ref[2:])})
        if kind == "p":
            return frozenset({Pattern("prefix", ref[2:])})
        if kind == "l":
            return None if ref == "l:str" else _NONE
        if kind in "dmn":  # a definition, a module, None: no string
            return _NONE
        if kind == "b":
            name = ref[2:]
            if name == "__name__":
                return frozenset({Pattern("exact", module)})
            return None if name.startswith("__") else _NONE
        if kind == "i":
            return self.imported(module, ref)
        return self.node((module, ref))

    def imported(self, module: str, ref: Ref) -> Patterns:
        """The patterns of a name imported from another module (its global there)."""
        dotted = self.program.absolute(ref[2:], module)
        owner = self.program.longest_module_prefix(dotted)
        name = dotted[len(owner) + 1 :] if owner is not None else ""
        if owner is None or not name or "." in name:
            values = self.solver.imported(dotted)
            return _NONE if values and not _may_be_string(values) else None  # a module, a class
        return self.node((owner, f"v::{name}"))

    def node(self, node: Node, items: bool = False) -> Patterns:
        """The patterns of a solver node: what every operation defining it, or binding it, gives.

        ``items``: of the strings among the items of what it holds (see :meth:`items`).
        """
        values = self.solver.points_to.get(node)
        if not items and values and not _may_be_string(values) and node not in self.unseen:
            return _NONE
        active = self._active_items if items else self._active
        if node in active:
            return _NONE  # a cycle adds nothing the other origins do not give
        self._steps += 1
        if self._steps > _BUDGET:
            return None
        active.add(node)
        try:
            found: set[Pattern] = set()
            module, ref = str(node[0]), str(node[1])
            operation = self._operation_items if items else self.operation
            parts: list[Patterns] = [operation(i) for i in self.definitions.get(node, ())]
            function, parameter = self._parameter(module, ref)
            if function:
                parts.append(self.parameter(function, parameter, items))
            if not parts:
                return None  # set by nothing the analysis sees
            for part in parts:
                if part is None:
                    return None
                found |= part
            return frozenset(found)
        finally:
            active.discard(node)

    def _parameter(self, module: str, ref: Ref) -> tuple[str, str]:
        """(function, parameter) when ``ref`` is a parameter as the function receives it."""
        if not ref.startswith("v:") or "@" in ref:
            return "", ""
        qualname, _, name = ref[2:].rpartition(":")
        function = f"{module}.{qualname}"
        facts = self.solver.functions.get(function)
        if facts is None or not qualname:
            return "", ""
        names = {*facts.parameters, *facts.keyword_only, facts.star, facts.double_star}
        return (function, name) if name in names else ("", "")

    # -- operations ------------------------------------------------------------------------

    def operation(self, index: int) -> Patterns:
        """The patterns of what operation ``index`` gives its target."""
        module, op = self.solver.ops[index]
        kind = op.kind
        if kind == "copy":
            return self.ref(module, op.args[0])
        if kind == "attr":
            return self.attribute(module, op)
        if kind == "call":
            return self.call(module, op)
        if kind in ("sub", "slice", "unpack", "iter"):
            return self.piece(module, op.args[0])
        if kind in ("container", "annotation"):
            return _NONE  # a new container; a type hint, which gives no value at run time
        if kind == "operator" and op.names[0] in _REFLECTED_NAMES:
            # ``b.__radd__(a)`` runs only for an object that defines it: for strings (and, as
            # for ``a + b`` itself, the external values that stand for them) it gives nothing
            values = self._values(module, op.args[0])
            return None if any(value.kind == "instance" for value in values) else _NONE
        if kind == "operator" and op.names[0] in ("__add__", "__mod__"):
            return self.joined(module, op)
        return None  # other operators, with ...

    def joined(self, module: str, op: Operation) -> Patterns:
        """``a + b`` starts with ``a`` (and is ``a`` then ``b`` when both are known).

        ``"x%s" % y`` starts with what comes before the first ``%``.
        """
        left = self.ref(module, op.args[0])
        if left is None or any(p.kind == "part" for p in left):
            return None
        if op.names[0] == "__mod__":
            return frozenset(Pattern("prefix", p.text.partition("%")[0]) for p in left)
        right = self.ref(module, op.args[1])
        found: set[Pattern] = set()
        for start in left:
            if start.kind == "prefix" or right is None:
                found.add(Pattern("prefix", start.text))
                continue
            for end in right:
                if end.kind == "part":
                    found.add(Pattern("prefix", start.text))
                else:
                    found.add(Pattern(end.kind, start.text + end.text))
        return frozenset(found)

    def piece(self, module: str, ref: Ref) -> Patterns:
        """An item or slice of what ``ref`` holds: of a string, or of a tuple literal.

        The tuples are those the solver saw reach ``ref``; when some other value did too (an
        imprecise, merged solution), the items are traced back to where ``ref``'s value was
        made instead (:meth:`items`).
        """
        strings = _cut(self.ref(module, ref))
        if strings is None:
            return None
        found: Patterns = _NONE
        for value in self._values(module, ref):
            if value.kind == "container":
                found = _union(found, self._tuple_items(value))
            elif value.kind != "literal":
                found = None  # an instance's __getitem__ or __iter__, a generator ...
            if found is None:
                return _union(strings, self.items(module, ref))
        return _union(strings, found)

    def _tuple_items(self, container: Value) -> Patterns:
        """What a tuple written as a literal holds (other containers may change)."""
        kind, _, site = container.name.partition("|")
        module, _, target = site.partition(":")
        ops = [self.solver.ops[i][1] for i in self.definitions.get((module, target), ())]
        if kind != "tuple" or len(ops) != 1 or ops[0].kind != "container":
            return None
        return self._literal_items(module, ops[0])

    def _literal_items(self, module: str, op: Operation) -> Patterns:
        """The strings among the items of a tuple literal (``*rest`` gives rest's items)."""
        found: Patterns = _NONE
        for item, key in zip(op.args, op.names[1:], strict=True):
            part = self.items(module, item) if key == "**" else self.ref(module, item)
            found = _union(found, part)
        return found

    def items(self, module: str, ref: Ref) -> Patterns:
        """The strings among the items of what ``ref`` holds, traced back to where it was made.

        Only a tuple literal (or ``tuple(x)`` and the like of one) has items known for good; a
        string's pieces are :meth:`piece`'s, and anything else is unknown.
        """
        kind = ref[:1]
        if kind in ("c", "p", "l", "d", "m") or (kind == "b" and not ref[2:].startswith("__")):
            return _NONE
        if kind in ("b", "i"):
            return None
        return self.node((module, ref), items=True)

    def _operation_items(self, index: int) -> Patterns:
        module, op = self.solver.ops[index]
        if op.kind == "annotation":
            return _NONE
        if op.kind == "copy":
            return self.items(module, op.args[0])
        if op.kind == "container":
            return self._literal_items(module, op) if op.names[0] == "tuple" else None
        if op.kind == "call" and op.names[1:] == ("",):
            callees = self._values(module, op.args[0])
            if callees and all(v.kind == "builtin" and v.name in _COPYING for v in callees):
                return self.items(module, op.args[1])
        return None

    def parameter(self, function: str, name: str, items: bool = False) -> Patterns:
        """What the call sites of ``function`` bind to its parameter ``name`` (its ``items``)."""
        facts = self.solver.functions[function]
        sites = self._sites(function)
        if sites == [] and self.assumed is not None and not self._may_be_fetched(function):
            self.assumed.add(canonical(function))  # called by no analyzed code: it binds nothing
            return _NONE
        if not sites or name in (facts.star, facts.double_star):
            return None
        at = facts.parameters.index(name) if name in facts.parameters else None
        found: set[Pattern] = set()
        for index, offsets in sites:
            module, op = self.solver.ops[index]
            refs = self._bound(function, at, name, module, op, offsets)
            parts = [
                self.items(owner, ref) if items else self.ref(owner, ref)
                for owner, ref in refs or ()
            ]
            if refs is None or None in parts:
                if not self._assume_idle(module, op):
                    return None
                continue
            for part in parts:
                found |= part or _NONE
        return frozenset(found)

    def _assume_idle(self, module: str, op: Operation) -> bool:
        """Take the code around call ``op`` to never run, when the caller allows assumptions.

        What the call binds is then left out; the bound holds only while that code never runs
        (:func:`split_assumptions`).
        """
        if self.assumed is None:
            return False
        self.assumed.add(canonical(caller_node(module, op.caller)))
        return True

    def _sites(self, function: str) -> list[tuple[int, frozenset[int] | None]] | None:
        """The calls that may run ``function``, each with how many parameters it binds first.

        ``None`` when code the graph does not see may call it with anything. A call of its name
        on an object of unknown type binds its arguments either way: the object as ``self``
        (1) or not (0, a function stored on it; ``cls.__new__(cls)``).
        """
        if function in self.open:
            return None
        sites: list[tuple[int, frozenset[int] | None]] = [
            (index, None) for index in sorted(self.solver.call_sites.get(function, ()))
        ]
        by_name = self.solver.unresolved_call_ops.get(canonical(function).rpartition(".")[2], ())
        sites += [(index, _EITHER) for index in by_name]
        return sites

    def _bound(
        self,
        function: str,
        at: int | None,
        name: str | None,
        module: str,
        op: Operation,
        offsets: frozenset[int] | None = None,
    ) -> list[tuple[str, Ref]] | None:
        """What call ``op`` of ``module`` may bind to a parameter of ``function``.

        The parameter is the ``at``-th positional one (counting on into ``*args``; ``None``
        for keyword-only) and is passed by keyword as ``name`` (``None``: an extra positional).
        ``offsets``: how many parameters the call binds before its arguments, when its callee
        does not tell. ``*args`` and ``**kwargs`` the caller received and passes on as they are
        are followed to the caller's own call sites (``super().__init__(*args, **kwargs)``).
        """
        if op.kind != "call":
            return None  # a special method run by an attribute read, ``with``, ``for`` ...
        if offsets is None:
            offsets = frozenset(self._offsets(function, self._values(module, op.args[0])))
        if not offsets:
            return None
        positional: list[Ref] = []
        star: Ref | None = None
        found: list[tuple[str, Ref]] = []
        keywords: list[Ref] = []
        for ref, kind in zip(op.args[1:], op.names[1:], strict=True):
            if kind == "":
                if star is not None:
                    return None  # a positional after *args: its place is not known
                positional.append(ref)
            elif kind == "*":
                if star is not None:
                    return None
                star = ref
            elif kind == "**":
                keywords.append(ref)
            elif kind == name:
                found.append((module, ref))
        for index in (at - offset for offset in offsets) if at is not None else ():
            if 0 <= index < len(positional):
                found.append((module, positional[index]))
            elif index >= len(positional) and star is not None:
                more = self._forwarded(module, op, star, index - len(positional), None)
                if more is None:
                    return None
                found += more
        for ref in keywords if name is not None else ():
            more = self._forwarded(module, op, ref, -1, name)
            if more is None:
                return None
            found += more
        return found

    def _forwarded(
        self, module: str, op: Operation, ref: Ref, index: int, name: str | None
    ) -> list[tuple[str, Ref]] | None:
        """What ``*ref`` (its ``index``-th item) or ``**ref`` (its key ``name``) passes on.

        Known when ``ref`` is the calling function's own ``*args`` or ``**kwargs``, never
        rebound (nor, for ``**kwargs``, used in any other way, which might change it): then
        it is what the function's own call sites pass there. Any other ``**ref`` passes
        nothing when no dict it may be holds ``name`` (:meth:`_lacks_key`).
        """
        caller = caller_node(module, op.caller)
        facts = self.solver.functions.get(caller)
        if facts is None or caller in self._forwarding:
            return None
        own = facts.star if name is None else facts.double_star
        if name is not None and ref != f"v:{op.caller}:{own}":
            return [] if self._lacks_key(module, ref, name) else None
        if not own or ref != f"v:{op.caller}:{own}" or (module, ref) in self.definitions:
            return None
        if name is not None and self._changes(module, op.caller, ref, name):
            return None
        sites = self._sites(caller)
        if not sites:
            return None
        self._forwarding.add(caller)
        try:
            found: list[tuple[str, Ref]] = []
            for site_index, offsets in sites:
                site_module, site = self.solver.ops[site_index]
                if name is None:
                    at = len(facts.parameters) + index
                    refs = self._bound(caller, at, None, site_module, site, offsets)
                elif name in facts.parameters or name in facts.keyword_only:
                    continue  # that keyword binds the caller's own parameter
                else:
                    refs = self._bound(caller, None, name, site_module, site, offsets)
                if refs is None:
                    if not self._assume_idle(site_module, site):
                        return None
                    continue
                found += refs
            return found
        finally:
            self._forwarding.discard(caller)

    def _lacks_key(self, module: str, ref: Ref, name: str) -> bool:
        """Whether ``**ref`` never passes ``name``: no dict it may be holds anything there.

        Each must be a dict made by analyzed code, with nothing stored at key ``name`` nor at
        an unknown key (``dict(external)`` and ``update(external)`` store there).
        """
        values = self._values(module, ref)
        return bool(values) and all(
            value.kind == "container"
            and value.name.startswith("dict|")
            and not self.solver.points_to.get(("#field", value, repr(name)))
            and not self.solver.points_to.get(("#field", value, "*"))
            for value in values
        )

    def _changes(self, module: str, caller: str, ref: Ref, key: str) -> bool:
        """Whether code of ``caller`` may change key ``key`` of the ``**kwargs`` dict ``ref``.

        Reading it, testing it, passing it on as ``**ref`` and storing other constant keys
        (``options["loader"] = ...``) do not; anything else (an alias, ``update``) may.
        """
        for indexes in self._module_ops.get(module, ()):
            for index in indexes:
                op = self.solver.ops[index][1]
                if op.caller == caller and ref in op.args and not _leaves_key(op, ref, key):
                    return True
        return False

    def _offsets(self, function: str, callees: Iterable[Value]) -> set[int]:
        """How many parameters the call binds before its arguments: 0 plain, 1 a receiver."""
        offsets: set[int] = set()
        klass, _, method = canonical(function).rpartition(".")
        for value in callees:
            if value.kind == "function" and value.name == function:
                offsets.add(0)
            elif (value.kind == "bound" and value.name == function) or (
                value.kind == "class"
                and method in ("__init__", "__new__")
                and Value("class", klass) in self.solver.mro(value.name)
            ):
                offsets.add(1)
        return offsets

    def attribute(self, module: str, op: Operation) -> Patterns:
        """The patterns of an attribute read: its stores on every object the receiver may be."""
        name = op.names[0]
        receivers = self._values(module, op.args[0])
        if not receivers:
            return None
        found: set[Pattern] = set()
        for receiver in receivers:
            part = self._attribute_of(receiver, name)
            if part is None:
                return None
            found |= part
        if found or all(receiver.kind in _DEFINITE for receiver in receivers):
            return frozenset(found)
        return None  # nothing seen stores it on an instance or class: unknown

    def _attribute_of(self, receiver: Value, name: str) -> Patterns:
        kind = receiver.kind
        if kind in ("instance", "class") and receiver.name in self.program.classes:
            if name in _NAME_ATTRIBUTES:
                return None if kind == "instance" else _name_parts(receiver.name)
            return self._member(receiver, name)
        if kind == "module" and receiver.name in self.program.modules:
            if name in _NAME_ATTRIBUTES:
                return frozenset({Pattern("exact", receiver.name)})
            return self._stored(receiver, name, self.node((receiver.name, f"v::{name}")))
        if kind in ("function", "bound") and name in _NAME_ATTRIBUTES:
            return _name_parts(receiver.name)
        if kind in ("container", "literal"):
            return _NONE  # a method of a builtin value
        return None

    def _member(self, receiver: Value, name: str) -> Patterns:
        """``name`` of an instance or class: its class bodies along the MRO, and stores."""
        order = [klass for klass in self.solver.mro(receiver.name) if klass.kind == "class"]
        found: Patterns = frozenset()
        always_set = self.solver.set_by_init(receiver.name, name)
        for klass in order:
            if self._defines(klass.name, "__getattribute__"):
                return None
            if self._defines(klass.name, "__getattr__") and not always_set:
                return None
            variable = self._class_variable(klass.name, name)
            if variable in self.definitions:
                found = _union(found, self.node(variable))
        owners = [receiver] if receiver.kind == "class" else [receiver, *order]
        for owner in owners:
            found = self._stored(owner, name, found, always_set)
        return found

    def _defines(self, klass: str, name: str) -> bool:
        return self._class_variable(klass, name) in self.definitions

    def _class_variable(self, klass: str, name: str) -> Node:
        module = self.program.class_module[klass]
        return (module, f"v:{klass[len(module) + 1 :]}:{name}")

    def _stored(
        self, owner: Value, name: str, found: Patterns, always_set: bool = False
    ) -> Patterns:
        """``found`` and what stores of ``name`` on objects that may be ``owner`` give.

        ``always_set``: every such object has the attribute from its ``__init__`` on.
        """
        for index, missing_only in self.computed_stores.items():
            module, op = self.solver.ops[index]
            if missing_only and always_set:
                continue
            if owner in self._values(module, op.args[1]) and self._may_store(index, name):
                return None
        for index in self.stores.get(name, ()):
            if found is None:
                return None
            module, op = self.solver.ops[index]
            value = op.args[1] if op.kind == "store" else op.args[3]  # setattr(owner, name, v)
            owners = op.args[0] if op.kind == "store" else op.args[1]
            if owner in self._values(module, owners):
                found = _union(found, self.ref(module, value))
        return found

    def call(self, module: str, op: Operation) -> Patterns:
        """The patterns of a call's result, over every callee it may have."""
        callees = self._values(module, op.args[0])
        if not callees:
            return _NONE if self._made_class(module, op.args[0]) else None
        found: Patterns = frozenset()
        for callee in callees:
            found = _union(found, self._result(module, op, callee))
            if found is None:
                return None
        return found

    def _result(self, module: str, op: Operation, callee: Value) -> Patterns:
        kind = callee.kind
        if kind in ("function", "bound"):
            facts = self.solver.functions.get(callee.name)
            if facts is None or facts.is_generator:
                return _NONE if facts is not None else None
            owner = self.solver.function_module[callee.name]
            return self.node((owner, f"r:{callee.name[len(owner) + 1 :]}"))
        if kind in ("class", "generator"):
            return _NONE  # an instance; calling a generator object fails
        if kind == "type-method" and callee.name.startswith("str."):
            return self._string_method(module, op, callee.name[4:])
        if callee == SOME_EXTERNAL and op.names[0]:
            # ``text.replace(...)`` where ``text`` may hold an external value: bounded only
            # when tracing ``text`` is, and then every external value it may hold comes from
            # code taken to never run: at run time it is one of the strings traced
            return self._string_method(module, op, op.names[0])
        if kind == "external" and callee.name == "typing.cast":
            return self.ref(module, op.args[2]) if op.names[1:] == ("", "") else None
        if kind == "builtin" and callee.name == "str" and len(op.args) == 2:
            values = self._values(module, op.args[1])
            if any(value.kind != "literal" for value in values):
                return None  # str(obj) runs obj.__str__
            return self.ref(module, op.args[1])
        return None

    def _made_class(self, module: str, ref: Ref) -> bool:
        """Whether ``ref`` is ``type(name, bases, namespace)`` with no string type in ``bases``.

        Calling it makes an instance, never a string (``missing = type("M", (), {})()``).
        """
        made = [self.solver.ops[i][1] for i in self.definitions.get((module, ref), ())]
        if len(made) != 1 or made[0].kind != "call" or made[0].names[1:] != ("", "", ""):
            return False
        if Value("builtin", "type") not in self._values(module, made[0].args[0]):
            return False
        bases = [self.solver.ops[i][1] for i in self.definitions.get((module, made[0].args[2]), ())]
        if len(bases) != 1 or bases[0].kind != "container" or bases[0].names[0] != "tuple":
            return False
        for item in bases[0].args:
            values = self._values(module, item)
            if not values or any(
                value.kind != "class" or Value("builtin", "str") in self.solver.mro(value.name)
                for value in values
            ):
                return False  # a base not known, or one that may be a string type
        return True

    def _string_method(self, module: str, op: Operation, method: str) -> Patterns:
        """``text.method(...)``: what cutting or rewriting the receiver's strings gives."""
        receiver = next(
            (
                self.solver.ops[i][1].args[0]
                for i in self.definitions.get((module, op.args[0]), ())
                if self.solver.ops[i][1].kind == "attr"
            ),
            None,
        )
        if receiver is None:
            return None
        base = self.ref(module, receiver)
        if base is None:
            return None
        constants = [ref[2:] if ref.startswith("c:") else None for ref in op.args[1:]]
        if method == "replace":
            if len(constants) < 2 or None in constants[:2] or len(constants[0] or "") != 1:
                return None
            old, new = str(constants[0]), str(constants[1])
            return frozenset(Pattern(p.kind, p.text.replace(old, new)) for p in base)
        if method in _CASING:
            return frozenset(Pattern(p.kind, getattr(p.text, method)()) for p in base)
        if method in _CUTTING or method in _TRIMMING:
            return _cut(base)
        if method == "format":
            return _formatted(base)
        return None

    def _values(self, module: str, ref: Ref) -> set[Value] | frozenset[Value]:
        return _values(self.solver, module, ref)


def _leaves_key(op: Operation, ref: Ref, key: str) -> bool:
    """Whether ``op``, which uses the dict ``ref``, leaves its key ``key`` as it was."""
    kind = op.kind
    if kind == "call" and op.args[0] != ref:
        passed = zip(op.args[1:], op.names[1:], strict=True)
        return all(given == "**" for argument, given in passed if argument == ref)
    if kind == "attr":
        return op.names[0] in _READING_METHODS
    if kind == "substore":
        return op.args[0] == ref and op.names[0] not in ("", repr(key))
    return kind in ("sub", "iter") or (kind == "operator" and op.args[0] == ref)


def _formatted(templates: frozenset[Pattern]) -> Patterns:
    """What ``template.format(...)`` may give: the template's text up to its first field.

    A template that starts with a field, or of unknown beginning, can give anything.
    """
    found: set[Pattern] = set()
    for template in templates:
        head = template.text.split("{", 1)[0].split("}", 1)[0]
        if template.kind == "part" or not head:
            return None
        whole = template.kind == "exact" and head == template.text
        found.add(Pattern("exact" if whole else "prefix", head))
    return frozenset(found)


def _cut(patterns: Patterns) -> Patterns:
    """What cutting the strings of ``patterns`` (an item, a slice, a piece) may give.

    Cutting a string of unknown end (``prefix``) can give anything.
    """
    if patterns is None or any(p.kind == "prefix" for p in patterns):
        return None
    return frozenset(Pattern("part", p.text) for p in patterns)


def matches(pattern: Pattern, name: str) -> bool:
    """Whether a string that ``pattern`` describes may be ``name``."""
    if pattern.kind == "exact":
        return pattern.text == name
    if pattern.kind == "prefix":
        return name.startswith(pattern.text)
    return name in pattern.text


def _union(found: Patterns, more: Patterns) -> Patterns:
    return None if found is None or more is None else found | more


def _name_parts(qualified: str) -> Patterns:
    """``__name__``, ``__module__`` or ``__qualname__`` of an analyzed function or class."""
    return frozenset({Pattern("part", qualified)})


def _is_setattr(callees: Iterable[Value]) -> bool:
    return Value("builtin", "setattr") in callees


def _values(solver: Solver, module: str, ref: Ref) -> set[Value] | frozenset[Value]:
    """What ``ref`` holds once solved (without making anything a reader of it)."""
    if ref[:1] in NODE_REFS:
        return solver.points_to.get((module, ref), frozenset())
    return solver.values(module, ref)


def _may_be_string(values: Iterable[Value]) -> bool:
    """Whether a node holding ``values`` may hold a string (a literal, or an external value)."""
    return any(value.kind in ("literal", "external") for value in values)
