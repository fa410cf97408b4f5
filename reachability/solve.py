"""The value-flow (points-to) solver: run every module's operations to a fixed point.

Each reference (variable, temporary, return value, parameter, attribute of an abstract object,
item of a container) is a node holding a set of :class:`~sbom_enrich.reachability.values.Value`. An
operation reads nodes and adds values to others; whenever a node grows, the operations that read
it run again, until nothing grows. Calls found on the way are the call graph's edges: a call
binds its arguments to the callee's parameters and gives the callee's return values, so
functions, classes, instances, bound methods and lambdas flow through the whole program.

Flow-insensitive across functions and context-insensitive (one abstract instance per class;
closure factories excepted, which get a copy per call site: :mod:`.clones`),
erring toward more edges: a value that may flow somewhere is assumed to. Where nothing is known
(a parameter only external code passes, a computed attribute) the node stays empty, and the
call made through it is *unresolved*, which makes verdicts ``unknown`` (``docs/reachability.md``).
"""

from __future__ import annotations

import builtins
import dataclasses
import sys
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sbom_enrich.reachability.clones import canonical, closure_factories, encloses, renamed
from sbom_enrich.reachability.facts import (
    DECORATION,
    NONE,
    FunctionFacts,
    Operation,
    Ref,
    caller_node,
)
from sbom_enrich.reachability.import_bounds import StringTracer, bound_imports, matches
from sbom_enrich.reachability.models import (
    BUILTIN_MODELS,
    EXTERNAL_MODELS,
    NODE_REFS,
    Arguments,
    function_of,
)
from sbom_enrich.reachability.mro import linearize
from sbom_enrich.reachability.program import Program
from sbom_enrich.reachability.values import (
    DERIVED,
    NOWHERE,
    SOME_EXTERNAL,
    TYPE_METHODS,
    Kind,
    Node,
    Value,
    builtin_type_method,
)

__all__ = ["MAX_VALUES", "CallGraphFacts", "EdgeKind", "Solver", "caller_node", "solve"]

EdgeKind = Literal["call", "escape"]
"""``call``: the code calls it. ``escape``: the function is handed to code outside the analysis
(a framework's decorator, a callback registry), which may call it."""

MAX_VALUES = 30_000_000
"""How many values all nodes may hold together before solving stops (about 100 bytes each).

A program whose values pass it gets an incomplete solution instead of none: the edges found
so far, which are all real, and :attr:`CallGraphFacts.incomplete` saying why. Django's own
155,000 lines held 300 million values after 150 s of solving and 9.4 GB after 19 minutes, not
done; httpbin with its 41 dependencies holds 14 million when solved (1.3 GB at its peak)."""

_EMPTY: frozenset[Value] = frozenset()
_STRING_GLOBALS = frozenset({"__name__", "__file__", "__package__", "__qualname__", "__module__"})
"""Names every module or class body has that hold strings."""
_PROPERTY_INIT = "property.__init__"

_DESCRIPTOR_BUILTINS = frozenset({"staticmethod", "classmethod", "property"})
"""Builtins that wrap a function into a descriptor: they call nothing (no edge)."""
_CALLABLE_KINDS = frozenset(
    {
        "function",
        "bound",
        "class",
        "builtin",
        "external",
        "container-method",
        "type-method",
        "partial",
        "identity",
        "property-setter",
    }
)


@dataclass
class CallGraphFacts:
    """What solving found: edges (with where and how) and what could not be resolved."""

    edges: dict[tuple[str, str], tuple[str, int, EdgeKind]] = field(default_factory=dict)
    """(caller node, callee name) -> (path, line, kind) of the first site found. Either may be
    a clone's function (``pkg.mod.deco#12.wrapper``, :mod:`~sbom_enrich.reachability.clones`):
    the graph shows it as the factory's, and searches it as its own."""
    unresolved_calls: dict[str, set[str]] = field(default_factory=dict)
    """Caller node -> names of methods called on objects of unknown type."""
    unresolved_reads: dict[str, set[str]] = field(default_factory=dict)
    """Caller node -> names of attributes read from objects of unknown type."""
    computed_reads: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    """Caller node -> line of a ``getattr(obj, name)`` with a computed name on objects of known
    classes -> the analyzed functions it may give (the rest of those sites stay dynamic)."""
    external_bases: dict[str, str] = field(default_factory=dict)
    """Method of a class with a base outside the analysis -> that base: the base's own code
    may call it (``threading.Thread.start`` calls ``run``)."""
    handed: dict[str, set[str]] = field(default_factory=dict)
    """Analyzed function -> the other top-level packages whose parameters or objects received
    it: their dynamic code (a computed ``getattr``, ``eval``) may call it."""
    import_bounds: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    """Caller node -> line of an import of a computed name whose strings are all known -> the
    names it may load, encoded (:mod:`sbom_enrich.reachability.import_bounds`); the rest stay
    dynamic."""
    handed_objects: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """Caller node -> analyzed class of an instance or class it hands to code outside the
    analysis -> that class's methods, which that code may call (``json.dumps(obj,
    cls=Encoder)`` calls ``Encoder.default``)."""
    incomplete: str = ""
    """Why solving stopped before the fixed point, or ``""``. When set, the edges are some of
    the program's (each one real) and the other facts are empty: what no edge reaches is
    undecided, never ``not-reachable``."""


def solve(program: Program, max_values: int = MAX_VALUES) -> CallGraphFacts:
    """Solve ``program`` and return its call-graph facts.

    Stops early, with :attr:`CallGraphFacts.incomplete` set, once its nodes hold
    ``max_values`` values together.
    """
    solver = Solver(program, max_values)
    try:
        solver.run()
    except ValuesExceeded as exceeded:
        return CallGraphFacts(solver.facts.edges, incomplete=str(exceeded))
    return solver.result()


class ValuesExceeded(Exception):
    """Solving stopped: the nodes hold more values together than the limit allows."""


class Solver:
    """The fixed-point iteration over all operations of a :class:`Program`."""

    def __init__(self, program: Program, max_values: int = MAX_VALUES) -> None:
        self.program = program
        self.max_values = max_values
        self._room = max_values  # values the nodes may still take
        self.ops: list[tuple[str, Operation]] = [
            (module, op) for module, facts in program.modules.items() for op in facts.operations
        ]
        self._passthrough = _passthrough_parameters(program, self.ops)
        self._members = _class_members(program, self.ops)
        # The program's functions and the clones of closure factories (``deco#SITE``)
        self.functions: dict[str, FunctionFacts] = dict(program.functions)
        self.function_module: dict[str, str] = dict(program.function_module)
        self._factories = closure_factories(program, self.ops)
        self._clones: dict[tuple[str, int], str] = {}  # (factory, calling op) -> its clone
        self._clone_counts: dict[str, int] = {}  # factory (canonical) -> clones made
        self._clone_budget = max(len(self.ops) // _CLONED_SHARE, _CLONED_OPS_PER_FACTORY)
        self.points_to: dict[Node, set[Value]] = {}
        self._order: dict[Node, list[Value]] = {}  # each node's values in the order added
        self._flows: dict[Node, set[Node]] = {}  # node -> nodes that hold all its values too
        self.readers: defaultdict[Node, set[int]] = defaultdict(set)
        self.keys: dict[Value, set[str]] = {}  # container -> its known keys
        # container -> operations that used its keys; class -> operations that used its MRO
        self._key_readers: defaultdict[Value, set[int]] = defaultdict(set)
        self._merged: dict[int, dict[Value, int]] = {}  # op -> sources merged -> keys merged
        self.facts = CallGraphFacts()
        self._queue: deque[int] = deque()
        self._queued = bytearray(len(self.ops))
        # Difference propagation: an operation whose only grown input is its first (the
        # receiver, callee or source) handles just that input's new values, not all again.
        self._primary: list[Node | None] = [
            (module, op.args[0]) if _has_primary(op) else None for module, op in self.ops
        ]
        # the test a guarded operation waits for, until it holds (then None: it holds for good)
        self._guards = [_guard(module, op) for module, op in self.ops]
        self._waiting: set[int] = set()  # guarded operations whose test does not hold yet
        self._writers: defaultdict[Node, list[int]] = defaultdict(list)  # variable -> its ops
        for index, (module, op) in enumerate(self.ops):
            self._index_writer(index, module, op)
        self._full = bytearray(b"\x01" * len(self.ops))
        self._handled = [0] * len(self.ops)  # how many of its primary's values it has handled
        self._callers = [caller_node(module, op.caller) for module, op in self.ops]  # graph nodes
        self._depths = bytearray(len(self.ops))  # how deep in clones each operation is
        self._current = 0
        self._mros: dict[str, list[Value]] = {}
        self._mro_readers: defaultdict[str, set[int]] = defaultdict(set)
        self._seeded: set[str] = set()
        self.call_sites: defaultdict[str, set[int]] = defaultdict(set)  # function -> call ops
        self.escaped: set[str] = set()  # functions handed to code outside the analysis
        # caller node -> (class, a class itself?) of the objects it hands to external code
        self._handed_classes: dict[str, set[tuple[str, bool]]] = {}
        # method name -> the calls of that name on objects of unknown type (set by result())
        self.unresolved_call_ops: dict[str, list[int]] = {}
        self._extensions: dict[str, bool] = {}  # "package.name" -> a compiled module?
        self._parameters = _parameter_nodes(program.functions, program.function_module)
        self._init_attributes = _init_attributes(program)
        # instance -> operations that read its ``__dict__`` (an object of unknown type)
        self._exposed: dict[Value, set[int]] = {}

    # -- the iteration ---------------------------------------------------------------------

    def run(self) -> None:
        """Iterate until no node grows, then seed receivers and refresh MROs, and again."""
        self._enqueue_all()
        while True:
            while self._queue:
                index = self._queue.popleft()
                self._queued[index] = 0
                self._current = index
                if self._guards[index] is None or self._guard_holds(index):
                    self._evaluate(*self.ops[index])
            if not (self._seed_receivers() or self._refresh_mros() or self._release_guards()):
                return

    def _guard_holds(self, index: int) -> bool:
        """Whether the guarded operation's test may hold; if not, it waits for its variable.

        Values only ever grow, so a test that may hold holds for good.
        """
        test, node = self._guards[index] or ("", NOWHERE)
        values = self.read(node)
        if test == _UNRESOLVED:
            holds = any(value.kind == "external" for value in values)
        elif test == _SOME:
            holds = bool(values)
        else:
            holds = any(value.kind not in _NOT_CALLABLE for value in values)
        if holds:
            self._guards[index] = None
            self._waiting.discard(index)
        else:
            self._waiting.add(index)
        return holds

    def _released(self, index: int) -> bool:
        """Whether a waiting operation runs now that solving is otherwise done."""
        test, node = self._guards[index] or ("", NOWHERE)
        caller = self._callers[index]
        uncalled = caller not in self.call_sites or caller in self.escaped
        if test == _SOME:
            return uncalled or self._may_hold_untracked(node, set())
        return not self.points_to.get(node) or (test != _UNRESOLVED and uncalled)

    def _may_hold_untracked(self, node: Node, seen: set[Node]) -> bool:
        """Whether an empty variable may hold what the solver gives no value (True, 0, ...).

        Not when each operation that binds it and has run binds None (:data:`NONE`), or copies
        another such variable: ``func = None``, then ``func = name`` under ``if callable(name):``
        that never ran. A parameter, a variable bound where no operation shows, or one that any
        other operation that ran binds, may.
        """
        writers = self._writers.get(node)
        if node in self._parameters or not writers:
            return True
        seen.add(node)
        for index in writers:
            if self._guards[index] is not None:
                continue  # its test never held: it has not run
            module, op = self.ops[index]
            source = (module, op.args[0]) if op.kind == "copy" and op.args else None
            if source is not None and source[1] == NONE:
                continue
            if source is None or source[1][:2] != "v:" or self.points_to.get(source):
                return True  # (temporaries are not indexed: what made one is not known here)
            if source not in seen and self._may_hold_untracked(source, seen):
                return True
        return False

    def _index_writer(self, index: int, module: str, op: Operation) -> None:
        """Record operation ``index`` among the writers of its target, if that is a variable."""
        if op.target[:2] == "v:":
            self._writers[(module, op.target)].append(index)

    def _release_guards(self) -> bool:
        """Guarded operations of functions analyzed code never calls run all the same.

        And those whose variable is still empty: it may hold what gives no value here (None,
        a comparison's result) or what code outside the analysis gives it (a framework, a
        method called by name on an object of unknown type); for ``x is not None`` and ``x``,
        unless each binding of it that ran binds None (:meth:`_may_hold_untracked`). A return
        annotation counts for a function that returns nothing known.
        """
        released = [index for index in self._waiting if self._released(index)]
        for index in released:
            self._guards[index] = None
            self._waiting.discard(index)
            self._queue.append(index)
            self._queued[index] = 1
        return bool(released)

    def _enqueue_all(self) -> None:
        self._queue.extend(range(len(self.ops)))
        self._queued = bytearray(b"\x01" * len(self.ops))
        self._full = bytearray(b"\x01" * len(self.ops))

    def _new_values(self, module: str, ref: Ref) -> Sequence[Value] | set[Value] | frozenset[Value]:
        """The values of an operation's first input it has not handled yet.

        All of them when another input grew; they are remembered as handled.
        """
        index = self._current
        node = self._primary[index]
        if node is None:  # a copy: calls and stores it makes may add to the node read (f(g, f))
            return list(self.values(module, ref))
        self.read(node)
        order = self._order.get(node, ())
        start = 0 if self._full[index] else self._handled[index]
        self._full[index] = 0
        self._handled[index] = len(order)
        return order[start:]

    def read(self, node: Node) -> set[Value] | frozenset[Value]:
        """The values of ``node``; the running operation runs again when it grows."""
        self.readers[node].add(self._current)
        return self.points_to.get(node, _EMPTY)

    def add(self, node: Node, values: Iterable[Value]) -> list[Value]:
        """Add ``values`` to ``node`` and to the nodes it flows to; the values new to ``node``.

        Operations that read a node that grew run again.
        """
        new = self._grow(node, values)
        flows = self._flows
        if new and node in flows:
            pending = [(target, new) for target in flows[node]]
            while pending:
                target, delta = pending.pop()
                grown = self._grow(target, delta)
                if grown and target in flows:
                    pending += [(onward, grown) for onward in flows[target]]
        return new

    @property
    def flows(self) -> dict[Node, set[Node]]:
        """Node -> the nodes that hold all its values too (read only)."""
        return self._flows

    def flow(self, source: Node, target: Node) -> None:
        """Every value of ``source``, now and later, is also one of ``target``.

        A standing copy: when ``source`` grows, the new values go on to ``target`` without
        running again the operation that made the flow (an argument into a parameter, a
        return value into the call's result, one container's items into another).
        """
        targets = self._flows.setdefault(source, set())
        if target == source or target in targets:
            return
        targets.add(target)
        known = self._order.get(source)
        if known:
            self.add(target, known)

    def _grow(self, node: Node, values: Iterable[Value]) -> list[Value]:
        parameter = node in self._parameters
        if parameter:
            values = [
                SOME_EXTERNAL if v.kind == "external" and v.name not in EXTERNAL_MODELS else v
                for v in values
            ]
        current = self.points_to.get(node)
        if current is None:
            current = self.points_to[node] = set()
            self._order[node] = []
        grown = [value for value in values if value not in current]
        if not grown:
            return grown
        size = len(current)
        current.update(grown)
        if len(current) - size != len(grown):  # ``values`` held some new value twice
            grown = list(dict.fromkeys(grown))
        self._room -= len(grown)
        if self._room < 0:
            raise ValuesExceeded(
                f"the program's values passed the limit of {self.max_values:,} while solving "
                f"({len(self.points_to):,} nodes, {len(self.ops):,} operations): the call "
                "graph is incomplete"
            )
        self._order[node].extend(grown)
        if parameter or node[0] == "#field":
            self._hand_over(node, grown)
        if node[0] in _ESCAPE_SINKS:  # a sink of escape(): values handed to external code
            at = int(str(node[1]))
            for value in grown:
                if (function := function_of(value)) is not None:
                    self.edge(function, "escape", at)
                elif node[0] == "#external":
                    self._hand_object(value, at)
        for reader in self.readers.get(node, ()):
            if node != self._primary[reader]:
                self._full[reader] = 1
            if not self._queued[reader]:
                self._queued[reader] = 1
                self._queue.append(reader)
        return grown

    def _hand_over(self, node: Node, values: list[Value]) -> None:
        """Record the functions among ``values`` that code of another package now holds.

        A parameter of its function, an attribute of an object of its class or an item of a
        container it made: ``attr.ib(converter=f)``, ``env.filters["x"] = f``.
        """
        owner = node[1] if node[0] == "#field" else None
        if not isinstance(owner, Value):
            package = str(node[0]).partition(".")[0]
        elif owner.kind == "container":
            package = owner.name.partition("|")[2].partition(".")[0].partition(":")[0]
        elif owner.kind in ("instance", "class") and owner.name in self.program.classes:
            package = owner.name.partition(".")[0]
        else:
            return
        for value in values:
            function = function_of(value)
            if function is not None and function.partition(".")[0] != package:
                self.facts.handed.setdefault(function, set()).add(package)

    def _seed_receivers(self) -> bool:
        """A method no analyzed code calls runs on an instance of its class or a subclass.

        Frameworks call handlers, views and hooks from outside the analysis; without this
        their ``self.x()`` calls would all be unresolved.
        """
        program = self.program
        seeded = False
        descendants = self._descendants()
        for name, function in program.functions.items():
            if name in self._seeded or function.class_qualname is None:
                continue
            if function.is_staticmethod or not function.parameters:
                continue
            module = program.function_module[name]
            node = (module, f"v:{name[len(module) + 1 :]}:{function.parameters[0]}")
            if self.points_to.get(node):
                continue
            self._seeded.add(name)
            klass = f"{module}.{function.class_qualname}"
            kind: Kind = "class" if function.is_classmethod else "instance"
            self.add(node, [Value(kind, c) for c in [klass, *descendants.get(klass, ())]])
            seeded = True
        return seeded

    def _descendants(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in self.program.classes:
            for ancestor in self.mro(name)[1:]:
                if ancestor.kind == "class":
                    found.setdefault(ancestor.name, []).append(name)
        return found

    def _refresh_mros(self) -> bool:
        """Bases may resolve late (imports through several modules): recompute the MROs.

        The operations that looked up an MRO that changed run again, in full.
        """
        old = self._mros
        self._mros = {}
        changed = [name for name, known in old.items() if self.mro(name) != known]
        for name in changed:
            for reader in self._mro_readers.get(name, ()):
                self._rerun(reader)
        return bool(changed)

    def _rerun(self, index: int) -> None:
        """Operation ``index`` runs again, on all of its inputs."""
        self._full[index] = 1
        if not self._queued[index]:
            self._queued[index] = 1
            self._queue.append(index)

    # -- references ------------------------------------------------------------------------

    def values(self, module: str, ref: Ref) -> set[Value] | frozenset[Value]:
        """The values a reference of ``module`` holds now."""
        if not ref:
            return _EMPTY
        kind = ref[0]
        if kind in "tvry":
            return self.read((module, ref))
        if kind == "d":
            name = f"{module}.{ref[2:]}"
            return {Value("class" if name in self.program.classes else "function", name)}
        if kind == "i":
            return self.imported(self.program.absolute(ref[2:], module))
        if kind == "b":
            if ref[2:] in _STRING_GLOBALS:
                return {Value("literal", "str")}
            return {Value("builtin", ref[2:])}
        if kind == "m":
            return {Value("module", module)}
        if kind == "n":  # None (NONE): no value
            return _EMPTY
        if kind in "cp":  # a string constant, an f-string's constant beginning
            return {Value("literal", "str")}
        return {Value("literal", ref[2:])}

    def imported(self, dotted: str) -> set[Value] | frozenset[Value]:
        """What an absolute import path names: a module, a member of one, or external."""
        program = self.program
        if dotted in program.modules:
            return {Value("module", dotted)}
        prefix = program.longest_module_prefix(dotted)
        if prefix is None:
            return {Value("external", dotted)}
        found: set[Value] | frozenset[Value] = {Value("module", prefix)}
        for part in dotted[len(prefix) + 1 :].split("."):
            found = {member for value in found for member in self.attribute(value, part)}
        return found

    # -- lookups ---------------------------------------------------------------------------

    def module_member(self, module: str, name: str, depth: int = 0) -> set[Value]:
        """``module.name``: a global, a submodule, or a name from an ``import *``.

        A name the module lacks is asked of its own ``__getattr__`` (PEP 562).
        """
        bound = self.read((module, f"v::{name}"))
        found = set(bound)
        submodule = f"{module}.{name}"
        if submodule in self.program.modules:
            found.add(Value("module", submodule))
        elif not found and self._compiled(module, name):
            found.add(Value("external", submodule))  # yaml._yaml: native code
        # `from .x import *` in a package rebinds the name of its submodule `x` when `x`
        # defines `x` (python-slugify): the submodule and the star import both count.
        if not bound and depth < 8:
            for star in self.program.star_imports.get(module, ()):
                if star in self.program.modules:
                    found |= self.module_member(star, name, depth + 1)
                else:
                    found.add(Value("external", f"{star}.{name}"))
        hook = f"{module}.__getattr__"
        if not found and name != "__getattr__" and hook in self.program.functions:
            arguments = Arguments((frozenset({Value("literal", "str")}),), constants=(name,))
            found |= self.call_function(hook, None, arguments)
        return found

    def _compiled(self, package: str, name: str) -> bool:
        """Whether ``package.name`` is a compiled extension module beside the package."""
        key = f"{package}.{name}"
        if key not in self._extensions:
            self._extensions[key] = self.program.has_compiled_submodule(package, name)
        return self._extensions[key]

    def members_starting(self, value: Value, prefix: str) -> set[str]:
        """The names starting with ``prefix`` that ``value``'s analyzed class binds, by MRO.

        None of them for a value that is not an analyzed class or an instance of one.
        """
        if value.kind not in ("instance", "class") or value.name not in self.program.classes:
            return set()
        return {
            name
            for klass in self.mro(value.name)
            if klass.kind == "class"
            for name in self._members.get(klass.name, ())
            if name.startswith(prefix)
        }

    def mro(self, class_name: str) -> list[Value]:
        """The class's method resolution order (in-program classes and external bases).

        The running operation runs again if it changes (:meth:`_refresh_mros`).
        """
        self._mro_readers[class_name].add(self._current)
        known = self._mros.get(class_name)
        if known is None:
            self._mros[class_name] = [Value("class", class_name)]  # a cycle of bases ends here
            known = self._mros[class_name] = linearize(class_name, self._bases, self.mro)
        return known

    def _bases(self, class_name: str) -> list[Value]:
        facts = self.program.classes[class_name]
        module = self.program.class_module[class_name]
        return [
            value
            for ref in facts.bases
            for value in sorted(
                (v for v in self.values(module, ref) if v.kind in ("class", "external", "builtin")),
                key=lambda v: (v.kind, v.name, repr(v.inner)),  # inner may be None or a value
            )
        ]

    def class_attribute(
        self, class_name: str, name: str, start_after: str | None = None
    ) -> set[Value] | frozenset[Value]:
        """``name`` looked up along the MRO (after ``start_after`` for ``super()``)."""
        order = self.mro(class_name)
        if start_after is not None:
            names = [value.name for value in order]
            order = order[names.index(start_after) + 1 :] if start_after in names else []
        for klass in order:
            if klass.kind == "external":
                return {Value("external", f"{klass.name}.{name}", DERIVED)}
            if klass.kind == "builtin":  # Exception.__init__: what the builtin base defines
                if hasattr(getattr(builtins, klass.name, None), name):
                    return {Value("builtin", f"{klass.name}.{name}")}
                continue
            if klass.kind != "class":
                continue
            module = self.program.class_module[klass.name]
            found = self.read((module, f"v:{klass.name[len(module) + 1 :]}:{name}"))
            if found:
                return found
        return _EMPTY

    def attribute(
        self, value: Value, name: str, into: Node | None = None
    ) -> set[Value] | frozenset[Value]:
        """``value.name``: what reading the attribute gives (calling getters as needed).

        With ``into``, what getters return flows there instead.
        """
        kind = value.kind
        if kind == "module":
            return self.module_member(value.name, name)
        if kind == "external":
            return {_external_member(value, name)}
        if kind == "class" and name == "__dict__" and value.name in self.program.classes:
            return {self.namespace(value.name)}
        if kind == "class":
            return {
                self._unbound(member, value) for member in self.class_attribute(value.name, name)
            }
        if kind == "instance" and name == "__dict__" and value.name in self.program.classes:
            return self.expose(value)
        if kind == "instance":
            return self._instance_attribute(value, name, into)
        if kind == "super":
            return self._super_attribute(value, name)
        if kind == "container":
            methods = TYPE_METHODS.get(value.name.partition("|")[0], frozenset())
            return {Value("container-method", name, value)} if name in methods else _EMPTY
        if kind == "literal":
            if name in TYPE_METHODS.get(value.name, frozenset()):
                return {Value("type-method", f"{value.name}.{name}")}
            return _EMPTY
        if kind == "builtin" and "." not in value.name:  # IOError.__init__, dict.fromkeys
            return {Value("builtin", f"{value.name}.{name}")}
        if name == "__call__" and kind in ("function", "bound", "partial"):
            return {value}
        if kind == "property" and name in ("setter", "getter", "deleter"):
            return {Value("property-setter", value.name)}
        return _EMPTY

    def namespace(self, class_name: str) -> Value:
        """``C.__dict__`` (``vars(C)``): a dict of what the body of analyzed class C binds.

        mkdocs' ``Config.__init_subclass__`` collects its options from ``cls.__dict__.items()``.
        """
        namespace = Value("container", f"dict|__dict__:{class_name}")
        home = self.program.class_module[class_name]
        qualname = class_name[len(home) + 1 :]
        for name in sorted(self._members.get(class_name, ())):
            self.store_flow(namespace, repr(name), (home, f"v:{qualname}:{name}"))
        return namespace

    def expose(self, instance: Value) -> frozenset[Value]:
        """``obj.__dict__`` (``vars(obj)``) of an analyzed instance: an object of unknown type.

        Whatever reads it may get and call any attribute stored on the instance, so after
        solving those attributes' functions escape where it is read and their objects are
        handed there (:meth:`_exposed_fields`): ``for f in vars(self).values(): f()`` calls
        them. Modelled as a dict of the attributes instead, every ``cached_property`` read
        gave every attribute of every instance cached on (httpbin passed the value limit).
        """
        self._exposed.setdefault(instance, set()).add(self._current)
        return _EMPTY

    def _exposed_fields(self) -> None:
        """The attributes of instances whose ``__dict__`` was read escape where it was read."""
        if not self._exposed:
            return
        for node, values in self._order.items():
            owner = node[1] if node[0] == "#field" else None
            if not isinstance(owner, Value) or owner not in self._exposed:
                continue
            for index in sorted(self._exposed[owner]):
                self._current = index
                for value in values:
                    if (function := function_of(value)) is not None:
                        self.edge(function, "escape")
                    else:
                        self._hand_object(value)

    def _unbound(self, member: Value, klass: Value) -> Value:
        """A class attribute read from the class: a classmethod binds to the class."""
        if member.kind == "function":
            facts = self.functions.get(member.name)
            if facts is not None and facts.is_classmethod:
                return Value("bound", member.name, klass)
        return member

    def _bind_member(self, member: Value, receiver: Value) -> Value:
        if member.kind == "builtin" and member.name == _PROPERTY_INIT:
            return Value("builtin", member.name, receiver)  # it stores into the receiver
        if member.kind != "function":
            return member
        facts = self.functions.get(member.name)
        if facts is None or facts.is_staticmethod:
            return member
        # any function held by the class binds, wherever it was defined (a decorator's wrapper)
        if facts.is_classmethod:
            return Value("bound", member.name, Value("class", receiver.name))
        return Value("bound", member.name, receiver)

    def _instance_attribute(self, instance: Value, name: str, into: Node | None) -> set[Value]:
        field = ("#field", instance, name)
        if into is None:
            found = set(self.read(field))
        else:
            self.flow(field, into)
            found = set()
        members = list(self.class_attribute(instance.name, name))  # getters may add to it
        native = name in _DICT_METHODS and self._native(instance, name)
        if native and self._keeps_items(instance, "__setitem__"):  # ``config.get(key)``
            return found | {Value("container-method", name, instance)}
        for member in members:
            if member.kind == "property":
                found |= self.call_function(member.name, instance, Arguments(), into)
            elif member.kind == "instance" and self._has(member.name, "__get__"):
                found |= self.call_method(
                    member, "__get__", Arguments((frozenset({instance}),)), into
                )
            else:
                found.add(self._bind_member(member, instance))
        if not members and not self.set_by_init(instance.name, name):
            found |= self._missing_attribute(instance, into)
        return found

    def set_by_init(self, class_name: str, name: str) -> bool:
        """Whether an ``__init__`` along the MRO sets ``self.name``: every instance has it.

        Then reading it never runs ``__getattr__``. Decided from the code, not from what the
        solver has found so far, so that the answer does not depend on the order of work.
        """
        return any(
            name in self._init_attributes.get(klass.name, ())
            for klass in self.mro(class_name)
            if klass.kind == "class"
        )

    def _missing_attribute(self, instance: Value, into: Node | None) -> set[Value]:
        """An attribute the instance lacks: ``__getattr__`` runs (a method or a descriptor)."""
        found: set[Value] = set()
        name = Arguments((frozenset({Value("literal", "str")}),))
        for hook in list(self.class_attribute(instance.name, "__getattr__")):
            if hook.kind == "function":
                found |= self.call_function(hook.name, instance, name, into)
            elif hook.kind == "instance":  # werkzeug's LocalProxy: __getattr__ = _ProxyLookup()
                for method in self.call_method(
                    hook, "__get__", Arguments((frozenset({instance}),))
                ):
                    found |= self.call(method, name, into)
        return found

    def _super_attribute(self, value: Value, name: str) -> set[Value]:
        receiver = value.inner
        assert receiver is not None
        owner = receiver.name if receiver.kind in ("instance", "class") else value.name
        if owner not in self.program.classes:
            owner = value.name
        members = self.class_attribute(owner, name, start_after=value.name)
        if not members:
            return {Value("builtin", f"object.{name}")}  # every class ends in object
        found = set()
        for member in members:
            found.add(
                self._bind_member(member, receiver)
                if receiver.kind == "instance"
                else self._unbound(member, receiver)
            )
        return found

    def _is_descriptor(self, value: object) -> bool:
        """An instance of an analyzed class with ``__get__`` (``cached_property``).

        Reading the attribute that holds it calls it, which the solver follows.
        """
        return (
            isinstance(value, Value)
            and value.kind == "instance"
            and value.name in self.program.classes
            and self._has(value.name, "__get__")
        )

    def _has(self, class_name: str, name: str) -> bool:
        return any(v.kind == "function" for v in self.class_attribute(class_name, name))

    # -- calls -----------------------------------------------------------------------------

    def edge(self, callee: str, kind: EdgeKind = "call", at: int | None = None) -> None:
        """An edge from the caller of the running operation (or of op ``at``) to ``callee``."""
        if not callee:  # an external value a parameter holds (SOME_EXTERNAL)
            return
        if kind == "escape":
            self.escaped.add(callee)
        index = self._current if at is None else at
        key = (self._callers[index], callee)
        known = self.facts.edges.get(key)
        if known is None or (known[2] == "escape" and kind == "call"):
            module, op = self.ops[index]
            self.facts.edges[key] = (self.program.modules[module].path, op.line, kind)

    def call(self, callee: Value, arguments: Arguments, into: Node | None = None) -> set[Value]:
        """Call ``callee``: add its edges, bind the arguments, return what it returns.

        With ``into``, what an analyzed function returns flows there instead (now and later);
        nowhere with ``NOWHERE`` (``__init__``).
        """
        kind = callee.kind
        if kind == "function":
            self.edge(callee.name)
            return self.invoke(callee.name, None, arguments, into)
        if kind == "bound":
            self.edge(callee.name)
            return self.invoke(callee.name, callee.inner, arguments, into)
        if kind == "class":
            return self.instantiate(callee.name, arguments)
        if kind == "instance":
            return self.call_method(callee, "__call__", arguments, into)
        if kind == "builtin":
            if callee.name not in _DESCRIPTOR_BUILTINS:
                self.edge(f"<builtin>.{callee.name}")
            if callee.name == _PROPERTY_INIT:
                self._init_property(callee.inner, arguments)
            model = BUILTIN_MODELS.get(callee.name)
            if model is not None:
                return model(self, arguments)
            if callee.name.endswith(".__new__"):  # object.__new__(cls): an instance of cls
                classes = arguments.positional[0] if arguments.positional else _EMPTY
                return {Value("instance", c.name) for c in classes if c.kind == "class"}
            if "." in callee.name:  # a builtin type's method: what it is given may be called
                return self._builtin_method(callee.name, arguments)
            return set()
        if kind == "external":
            self.edge(callee.name)
            model = EXTERNAL_MODELS.get(callee.name)
            if model is not None:
                return model(self, arguments)
            self.escape(arguments, objects=True)
            if callee.inner is not None:
                return {callee}
            return {Value("external", callee.name, Value("literal", self.ops[self._current][0]))}
        if kind == "container-method":
            assert callee.inner is not None
            inner = callee.inner  # a container, or an instance keeping items as a dict does
            container_kind = inner.name.partition("|")[0] if inner.kind == "container" else "dict"
            self.edge(builtin_type_method(container_kind, callee.name))
            return self.container_method(callee.inner, callee.name, arguments)
        if kind == "type-method":
            self.edge(builtin_type_method(*callee.name.split(".", 1)))
            return set()
        if kind == "partial":
            assert callee.inner is not None
            bound = [
                frozenset(self.item(callee, repr(i))) for i in range(len(self.keys_of(callee)))
            ]
            return self.call(callee.inner, arguments.prepend(bound), into)
        if kind == "identity":
            return set(arguments.positional[0]) if arguments.positional else set()
        if kind == "property-setter":
            return {Value("property", callee.name)}
        return set()

    def _builtin_method(self, name: str, arguments: Arguments) -> set[Value]:
        """``dict.__setitem__(self, key, value)``, ``dict.items(self)``: a builtin type's method.

        On an instance of an analyzed subclass of ``dict``, ``list`` or ``set`` (werkzeug's
        ``MultiDict`` keeps its lists with ``dict.__setitem__(self, key, [value])``), it works
        on the instance's items as on a container's. What it is given escapes.
        """
        self.escape(arguments)
        kind, _, method = name.partition(".")
        receivers = arguments.positional[0] if arguments.positional else _EMPTY
        own = [value for value in receivers if value.kind == "instance"]
        if kind not in ("dict", "list", "set") or not own:
            return set()
        rest = arguments.after_first()
        found: set[Value] = set()
        for receiver in own:
            if method == "__setitem__" and len(rest.positional) > 1:
                key = rest.constant(0)
                self.store_item(receiver, repr(key) if key is not None else "*", rest.positional[1])
            elif method == "__getitem__" and rest.positional:
                key = rest.constant(0)
                found |= self.item(receiver, repr(key) if key is not None else "")
            else:
                found |= self.container_method(receiver, method, rest)
        return found

    def _init_property(self, receiver: Value | None, arguments: Arguments) -> None:
        """``property.__init__(self, fget, fset, fdel)``: the accessors become its attributes.

        A subclass of the builtin ``property`` (werkzeug's ``cached_property``) reads them back
        as ``self.fget`` in its own ``__get__``. Without the receiver bound (``super()``), the
        first argument is the receiver.
        """
        positional = list(arguments.positional)
        receivers: Iterable[Value] = (receiver,) if receiver is not None else ()
        if receiver is None and positional:
            receivers = positional.pop(0)
        owners = [r for r in receivers if r.kind == "instance"]
        for index, name in enumerate(("fget", "fset", "fdel")):
            values = positional[index] if index < len(positional) else arguments.keyword(name)
            if owners and values:
                self.store_values(owners, name, values)

    def call_function(
        self,
        function: str,
        receiver: Value | None,
        arguments: Arguments,
        into: Node | None = None,
    ) -> set[Value]:
        """Call an analyzed function (edge included); ``into`` as for :meth:`call`."""
        self.edge(function)
        return self.invoke(function, receiver, arguments, into)

    def call_method(
        self, receiver: Value, name: str, arguments: Arguments, into: Node | None = None
    ) -> set[Value]:
        """Call the special method ``name`` of an instance, if its class has one."""
        found: set[Value] = set()
        for member in list(self.class_attribute(receiver.name, name)):  # calls may add to it
            if member.kind == "function":
                found |= self.call_function(member.name, receiver, arguments, into)
            elif member.kind == "external":
                self.edge(member.name)
        return found

    def instantiate(self, class_name: str, arguments: Arguments) -> set[Value]:
        """``C(...)``: ``__init__`` runs on a new instance (edge to where it is defined)."""
        instance = Value("instance", class_name)
        for member in list(self.class_attribute(class_name, "__new__")):
            if member.kind == "function":
                self.call_function(member.name, Value("class", class_name), arguments, NOWHERE)
        for member in list(self.class_attribute(class_name, "__init__")):
            if member.kind == "function":
                self.call_function(member.name, instance, arguments, NOWHERE)
            elif member.kind == "external":
                self.edge(member.name)
        if self._keeps_items(instance, "__setitem__") and self._native(instance, "__init__"):
            # ``Config({"k": v}, x=w)`` of a ``dict``/``UserDict`` subclass: its first items
            self.container_method(instance, "update", arguments)
        return {instance}

    def _native(self, instance: Value, name: str) -> bool:
        """Whether ``name`` of an instance comes from a base outside the analysis."""
        members = self.class_attribute(instance.name, name)
        return bool(members) and all(member.kind in ("external", "builtin") for member in members)

    def invoke(
        self,
        function: str,
        receiver: Value | None,
        arguments: Arguments,
        into: Node | None = None,
    ) -> set[Value]:
        """Bind arguments to the parameters of ``function``; what it returns.

        With ``into``, what it returns flows there instead.
        """
        if function in self._factories:
            clone = self._clone(function)
            if clone != function:  # the call runs the clone's code: the search must follow it
                self.edge(clone)
            function = clone
        facts = self.functions.get(function)
        if facts is None:
            return set()
        module = self.function_module[function]
        qualname = function[len(module) + 1 :]
        self.call_sites[function].add(self._current)
        self._bind(module, qualname, facts, receiver, arguments)
        if facts.is_generator:
            return {Value("generator", function)}
        returned = (module, f"r:{qualname}")
        passed = self._passed_through(function, facts, receiver, arguments)
        if passed is not None:  # it returns its parameter: this call's argument, and no other
            source, values = passed
            returned = (module, f"r:{qualname}{_ANNOTATED}")  # what its annotation adds
            if into is None:
                return set(values) | set(self.read(returned))
            if into is not NOWHERE:
                self._move(source, values, into)
        if into is None:
            return set(self.read(returned))
        if into is not NOWHERE:
            self.flow(returned, into)
        return set()

    def _clone(self, factory: str) -> str:
        """The clone of closure factory ``factory`` for the running call, made on first use.

        The factory itself (shared by the calls that get no clone) where the call is recursive,
        clones nest :data:`_CLONE_DEPTH` deep, or the limits on copied operations are reached.
        """
        site = self._current
        clone = self._clones.get((factory, site))
        if clone is not None:
            return clone
        module = self.function_module[factory]
        qualname = factory[len(module) + 1 :]
        copied, nested = self._factories[factory]
        made = self._clone_counts.get(factory, 0)
        caller_module, calling = self.ops[site]
        depth = self._depths[site] + 1
        if (
            depth > _CLONE_DEPTH
            or made >= max(_MIN_CLONES, _CLONED_OPS_PER_FACTORY // len(copied))
            or len(copied) > self._clone_budget
            or (caller_module == module and encloses(qualname, canonical(calling.caller)))
        ):
            return factory
        self._clone_counts[factory] = made + 1
        self._clone_budget -= len(copied)
        tag = f"#{site}"
        clone_qualname = qualname + tag
        for index in copied:
            self._append(module, renamed(self.ops[index][1], qualname, clone_qualname, tag), depth)
        for name in nested:
            facts = self.functions[name]
            copy = clone_qualname + facts.qualname[len(qualname) :]
            full = f"{module}.{copy}"
            self.functions[full] = dataclasses.replace(facts, qualname=copy)
            self.function_module[full] = module
            if name in self._passthrough:
                self._passthrough[full] = self._passthrough[name]
            self._parameters |= _parameter_nodes({full: self.functions[full]}, {full: module})
        clone = self._clones[(factory, site)] = f"{module}.{clone_qualname}"
        return clone

    def _append(self, module: str, op: Operation, depth: int) -> None:
        """Add an operation (of a clone) to the program's, to be run."""
        index = len(self.ops)
        self.ops.append((module, op))
        self._primary.append((module, op.args[0]) if _has_primary(op) else None)
        self._guards.append(_guard(module, op))
        self._index_writer(index, module, op)
        self._full.append(1)
        self._handled.append(0)
        self._callers.append(caller_node(module, op.caller))
        self._depths.append(depth)
        self._queued.append(1)
        self._queue.append(index)

    def _passed_through(
        self, function: str, facts: FunctionFacts, receiver: Value | None, arguments: Arguments
    ) -> tuple[Node | None, Iterable[Value]] | None:
        """The argument a call gives the parameter ``function`` returns unchanged, if known.

        ``def deco(f): ...; return f``: the call returns what it was given here, not what
        every call of it was given (a decorator used a thousand times would otherwise make
        each decorated name hold a thousand functions). None, and the function's return node
        is used, where the argument is not plainly there (a default, ``*args``, ``**kwargs``).
        """
        parameter = self._passthrough.get(function)
        if parameter is None:
            return None
        positional = list(facts.parameters)
        if receiver is not None and positional and positional.pop(0) == parameter:
            return None, (receiver,)
        if parameter in positional:
            index = positional.index(parameter)
            if index < len(arguments.positional):
                return arguments.source(index), arguments.positional[index]
            if arguments.spread:
                return None
        for index, (name, values) in enumerate(arguments.keywords):
            if name == parameter:
                return arguments.keyword_source(index), values
        return None

    def _bind(
        self,
        module: str,
        qualname: str,
        facts: FunctionFacts,
        receiver: Value | None,
        arguments: Arguments,
    ) -> None:
        def parameter(name: str) -> Node:
            return (module, f"v:{qualname}:{name}")

        positional = list(facts.parameters)
        if receiver is not None and positional:
            self.add(parameter(positional.pop(0)), (receiver,))
        rest = Value("container", f"tuple|{module}.{qualname}:*")
        extra = Value("container", f"dict|{module}.{qualname}:**")
        if facts.star:
            self.add(parameter(facts.star), (rest,))
        if facts.double_star:
            self.add(parameter(facts.double_star), (extra,))
        for index, values in enumerate(arguments.positional):
            if index < len(positional):
                self._move(arguments.source(index), values, parameter(positional[index]))
            elif facts.star:
                self._store_at(rest, "*", arguments.source(index), values)
        for values in arguments.spread:  # f(*items): any positional parameter
            items = self.items_of(values, "spread")
            for name in positional[len(arguments.positional) :]:
                self.add(parameter(name), items)
            if facts.star:
                self.store_item(rest, "*", items)
        named = {*positional, *facts.keyword_only}
        for index, (name, values) in enumerate(arguments.keywords):
            if name in named:
                self._move(arguments.keyword_source(index), values, parameter(name))
            elif facts.double_star:
                self._store_at(extra, repr(name), arguments.keyword_source(index), values)
        for values in arguments.double_spread:  # f(**mapping)
            for container in values:
                if container.kind != "container":
                    continue
                for key in self.keys_of(container):
                    name = key.strip("'\"")
                    field = ("#field", container, key)
                    if key == "*":  # an item at a key not known: any keyword parameter
                        for keyword in sorted(named):
                            self.flow(field, parameter(keyword))
                    elif name in named:
                        self.flow(field, parameter(name))
                        continue
                    if facts.double_star:
                        self.store_flow(extra, key, field)

    def _move(self, source: Node | None, values: Iterable[Value], target: Node) -> None:
        """The values of ``source`` flow to ``target``; without a source, ``values`` go."""
        if source is None:
            self.add(target, values)
        else:
            self.flow(source, target)

    def escape(self, arguments: Arguments, *, objects: bool = False) -> None:
        """Functions handed to external code may be called by it: ``escape`` edges.

        With ``objects`` (code outside the analysis, not a builtin type's method), so may the
        methods of the instances and classes it is given (:meth:`_hand_object`).
        """
        for index, values in enumerate(arguments.positional):
            self.escape_values(arguments.source(index), values, objects=objects)
        for index, (_name, values) in enumerate(arguments.keywords):
            self.escape_values(arguments.keyword_source(index), values, objects=objects)
        for values in (*arguments.spread, *arguments.double_spread):
            self.escape_values(None, values, objects=objects)

    def escape_values(
        self, source: Node | None, values: Iterable[Value], *, objects: bool = False
    ) -> None:
        """The functions among ``values`` (or, now and later, among ``source``'s) escape."""
        if source is not None:
            self.flow(source, ("#external" if objects else "#escape", str(self._current)))
            return
        for value in values:
            if (function := function_of(value)) is not None:
                self.edge(function, "escape")
            elif objects:
                self._hand_object(value)

    def _hand_object(self, value: Value, at: int | None = None) -> None:
        """An instance or class of an analyzed class handed to code outside the analysis.

        That code may call any of its methods: ``json.dumps(obj, cls=Encoder)`` instantiates
        ``Encoder`` and calls its ``default``; ``json.dump(data, fp)`` calls ``fp.write``.
        """
        if value.kind in ("instance", "class") and value.name in self.program.classes:
            node = canonical(self._callers[self._current if at is None else at])
            self._handed_classes.setdefault(node, set()).add((value.name, value.kind == "class"))

    def _handed_methods(self) -> None:
        """Each handed class's methods, along its MRO (:attr:`CallGraphFacts.handed_objects`).

        Of an instance, not its constructors: it is made already.
        """
        methods: dict[str, set[str]] = {}
        for node, handed in self._handed_classes.items():
            for klass, itself in handed:
                if klass not in methods:
                    names = {
                        name
                        for base in self.mro(klass)
                        if base.kind == "class"
                        for name in self._members.get(base.name, ())
                    }
                    methods[klass] = {
                        function
                        for name in names
                        for value in self.class_attribute(klass, name)
                        if (function := function_of(value)) is not None
                    }
                found = self.facts.handed_objects.setdefault(node, {}).setdefault(klass, set())
                found |= {
                    function
                    for function in methods[klass]
                    if itself or function.rpartition(".")[2] not in _CONSTRUCTORS
                }

    # -- containers and iteration ----------------------------------------------------------

    def new_container(self, kind: str, tag: str = "") -> Value:
        """The container made by the running operation."""
        module, op = self.ops[self._current]
        return Value("container", f"{kind}|{module}:{op.target}{tag}")

    def store_item(self, container: Value, key: str, values: Iterable[Value]) -> None:
        """``container[key] = values`` (``key`` ``"*"``: at some unknown key)."""
        values = list(values)
        if not values:
            return
        self.add(self._item_field(container, key), values)

    def copy_items(
        self, container: Value, sources: Iterable[Value], handled: dict[Value, int] | None = None
    ) -> None:
        """Store every item of the containers among ``sources`` into ``container``, by key.

        Any other source (a mapping of external code, an instance) stores an unknown external
        value at an unknown key: ``dict(external)`` is not known to be empty. With ``handled``
        (source -> how many of its keys were copied before), a source is copied again only
        when it has new keys.
        """
        for source in list(sources):
            if source.kind == "container":
                self._key_readers[source].add(self._current)  # run again on a new key
                keys = self.keys.get(source, ())
                if handled is not None:
                    if handled.get(source) == len(keys):
                        continue
                    handled[source] = len(keys)
                for key in sorted(keys):
                    self.store_flow(container, key, ("#field", source, key))
            elif source.kind != "literal" and (handled is None or source not in handled):
                if handled is not None:
                    handled[source] = 0
                self.store_item(container, "*", (SOME_EXTERNAL,))

    def _merged_items(self, sources: Iterable[Value]) -> Value:
        """A container of the running operation's own, holding the items of ``sources`` by key.

        ``x.update(y)`` on many receivers merges ``y``'s containers once, then each receiver
        takes that one container's items: copying every source into every receiver cost a
        third of solving httpbin (``rv.headers.update(headers)``, thousands of values each).
        """
        merged = self.new_container("dict", ":merged")
        self.copy_items(merged, sources, self._merged.setdefault(self._current, {}))
        return merged

    def _store_at(
        self, container: Value, key: str, source: Node | None, values: Iterable[Value]
    ) -> None:
        """``container[key] = `` the values of ``source`` (now and later), else ``values``."""
        if source is None:
            self.store_item(container, key, values)
        else:
            self.store_flow(container, key, source)

    def store_flow(self, container: Value, key: str, source: Node) -> None:
        """``container[key]`` holds whatever ``source`` holds, now and later."""
        self.flow(source, self._item_field(container, key))

    def _item_field(self, container: Value, key: str) -> Node:
        """The node of ``container[key]``; a new key is recorded, and its items are any item's.

        Operations that went through the container's keys run again, in full.
        """
        keys = self.keys.setdefault(container, set())
        if key not in keys:
            keys.add(key)
            self.flow(("#field", container, key), ("#field", container, "*all"))
            for reader in self._key_readers.get(container, ()):
                self._rerun(reader)
        return ("#field", container, key)

    def keys_of(self, container: Value) -> list[str]:
        """The keys known for ``container``; the running operation runs again on a new one."""
        self._key_readers[container].add(self._current)
        return sorted(self.keys.get(container, ()))

    def item(self, container: Value, key: str) -> set[Value] | frozenset[Value]:
        """``container[key]`` (``key`` ``""``: unknown, any item)."""
        if not key:
            return self.read(("#field", container, "*all"))
        return self.read(("#field", container, key)) | self.read(("#field", container, "*"))

    def item_into(self, container: Value, key: str, into: Node) -> None:
        """``container[key]`` flows into ``into`` (``key`` ``""``: any item)."""
        if not key:
            self.flow(("#field", container, "*all"), into)
        else:
            self.flow(("#field", container, key), into)
            self.flow(("#field", container, "*"), into)

    def items_into(self, values: Iterable[Value], into: Node) -> None:
        """What iterating over any of ``values`` gives flows into ``into`` (now and later).

        Instances are iterated by calling their ``__iter__`` and its ``__next__``.
        """
        for value in values:
            kind = value.kind
            if self._keeps_items(value, "__iter__"):
                self.flow(("#field", value, "*all"), into)
            elif kind == "generator":
                module = self.function_module[value.name]
                self.flow((module, f"y:{value.name[len(module) + 1 :]}"), into)
            elif kind == "instance":
                for iterator in self.call_method(value, "__iter__", Arguments()):
                    if iterator.kind == "instance":
                        self.call_method(iterator, "__next__", Arguments(), into)
                    else:
                        self.items_into((iterator,), into)
            elif kind == "literal" and value.name == "str":
                self.add(into, (value,))

    def items_node(self, values: Iterable[Value], tag: str) -> Node:
        """A node of the running operation's own that the items of ``values`` flow into.

        ``tag`` names the use; iterating goes as for :meth:`items_into`.
        """
        items = self.scratch(tag)
        self.items_into(values, items)
        return items

    def items_of(self, values: Iterable[Value], tag: str) -> set[Value]:
        """What iterating over any of ``values`` gives, now (``tag`` names the use)."""
        return set(self.read(self.items_node(values, tag)))

    def scratch(self, tag: str) -> Node:
        """A node of the running operation's own, for what flows through it (``tag``)."""
        return ("#op", str(self._current), tag)

    def container_method(self, container: Value, name: str, arguments: Arguments) -> set[Value]:
        """``list.append``, ``dict.update``, ``dict.get`` ... on an analyzed container."""
        positional = arguments.positional
        if name in ("append", "add") and positional:
            self.store_item(container, "*", positional[0])
        elif name == "insert" and len(positional) > 1:
            self.store_item(container, "*", positional[1])
        elif name == "extend" and positional:
            self.store_flow(container, "*", self.items_node(positional[0], "extend"))
        elif name == "update":
            if positional:
                self.copy_items(container, (self._merged_items(positional[0]),))
            for key, values in arguments.keywords:
                self.store_item(container, repr(key), values)
        elif name == "setdefault" and len(positional) > 1:
            self.store_item(container, "*", positional[1])
            return set(self.item(container, "")) | set(positional[1])
        elif name in ("get", "pop"):
            default = set(positional[1]) if len(positional) > 1 else set()
            constant = arguments.constant(0)
            key = repr(constant) if constant is not None else ""
            return set(self.item(container, key)) | default
        elif name == "copy":
            return {container}
        elif name == "values":
            view = self.new_container("list", ":values")
            self.store_item(view, "*", self.item(container, ""))
            return {view}
        elif name == "items":
            view = self.new_container("list", ":items")
            pair = self.new_container("tuple", ":item")
            self.store_item(pair, "1", self.item(container, ""))
            self.store_item(view, "*", (pair,))
            return {view}
        return set()

    # -- operations ------------------------------------------------------------------------

    def _evaluate(self, module: str, op: Operation) -> None:
        kind = op.kind
        args = op.args
        if kind == "copy":
            source = self._primary[self._current]
            if source is None:  # a constant, or an import path that names module globals
                self.add((module, op.target), self._new_values(module, args[0]))
            else:  # a standing flow: the operation never runs again
                self.flow(source, (module, op.target))
        elif kind == "attr":
            name = op.names[0]
            target = (module, op.target)
            found: set[Value] = set()
            static = len(op.names) > 1
            for value in self._new_values(module, args[0]):
                if value.kind == "external" and not static and not _grows(value, module):
                    found.add(value)  # external code read through flow: the same value
                else:
                    found |= self.attribute(value, name, target)
            self.add(target, found)
        elif kind == "call":
            callees = self._new_values(module, args[0])
            arguments = Arguments.of(self, module, args[1:], op.names[1:])
            found = set()
            target = (module, op.target)
            for callee in callees:
                found |= self.call(callee, arguments, target)
            self.add(target, found)
        elif kind == "store":
            source, values = self._source(module, args[1])
            self.store_values(self._new_values(module, args[0]), op.names[0], values, source)
        elif kind == "sub":
            bases = self._new_values(module, args[0])
            self._subscript(bases, op.names[0], (module, op.target))
        elif kind == "slice":
            self.add((module, op.target), self._slice(self._new_values(module, args[0]), op.names))
        elif kind == "substore":
            source, values = self._source(module, args[1])
            self._substore(self._new_values(module, args[0]), op.names[0], source, values)
        elif kind == "container":
            self._container(module, op)
        elif kind == "unpack":
            sources = self._new_values(module, args[0])
            self._unpack(sources, op.names[0], (module, op.target))
        elif kind == "iter":
            sources = self._new_values(module, args[0])
            self._iterate(sources, op.names[0], (module, op.target))
        elif kind == "with":
            managers = self._new_values(module, args[0])
            self._enter(managers, op.names[0], (module, op.target))
        elif kind == "raise":
            for value in self._new_values(module, args[0]):
                if value.kind == "class" and value.name in self.program.classes:
                    self.instantiate(value.name, Arguments())
        elif kind == "operator":
            self.add((module, op.target), self._operator(module, op))
        elif kind == "annotation":
            self.add((module, op.target), self._instances(self._new_values(module, args[0])))
        elif kind == "super":
            self.edge("<builtin>.super")
            receivers = self._new_values(module, args[0])
            klass = f"{module}.{op.names[0]}"
            self.add((module, op.target), {Value("super", klass, r) for r in receivers})

    def store_values(
        self,
        owners: Iterable[Value],
        name: str,
        values: Iterable[Value],
        source: Node | None = None,
    ) -> None:
        """``owner.name = values`` for each of ``owners``.

        With ``source``, the values of ``source`` (now and later) instead. On an instance
        whose class holds a property or a descriptor with ``__set__`` under ``name``, its
        setter runs too (``@x.setter`` defines a function of the getter's name: the two are
        one node, so both bodies run, as they do when the property is read).
        """
        values = list(values)
        if not values and source is None:
            return
        for owner in list(owners):
            kind = owner.kind
            if kind == "instance":
                self._move(source, values, ("#field", owner, name))
                for member in list(self.class_attribute(owner.name, name)):
                    if member.kind == "property":  # its setter shares the getter's name
                        setting = Arguments((frozenset(values),), sources=(source,))
                        self.call_function(member.name, owner, setting, NOWHERE)
                    elif member.kind == "instance" and self._has(member.name, "__set__"):
                        stored = (frozenset({owner}), frozenset(values))
                        setting = Arguments(stored, sources=(None, source))
                        self.call_method(member, "__set__", setting, NOWHERE)
            elif kind == "class" and owner.name in self.program.classes:
                home = self.program.class_module[owner.name]
                self._move(source, values, (home, f"v:{owner.name[len(home) + 1 :]}:{name}"))
            elif kind == "module":
                self._move(source, values, (owner.name, f"v::{name}"))
            elif kind == "external":
                self.escape_values(source, values, objects=True)

    def _source(self, module: str, ref: Ref) -> tuple[Node | None, frozenset[Value]]:
        """A reference as a node to flow from, or (a constant) as its values."""
        if ref[:1] in NODE_REFS:
            return (module, ref), _EMPTY
        return None, frozenset(self.values(module, ref))

    def _subscript(self, owners: Iterable[Value], key: str, into: Node) -> None:
        for owner in owners:
            if self._keeps_items(owner, "__getitem__"):
                self.item_into(owner, key, into)
            elif owner.kind == "instance":
                self.call_method(owner, "__getitem__", Arguments((frozenset(),)), into)

    def _keeps_items(self, value: Value, dunder: str) -> bool:
        """Whether ``value``'s items are its own item fields when ``dunder`` uses them.

        A container's are; so are an instance's whose class takes ``dunder`` from a base
        outside the analysis. ``class Config(UserDict)``, ``class Row(dict)``: ``obj[key] = v``
        and ``obj[key]`` run code the solver does not see (``UserDict`` keeps items in
        ``self.data``, ``dict`` natively), so the instance holds them as a container does.
        """
        if value.kind != "instance":
            return value.kind == "container"
        return self._native(value, dunder)

    def _slice(self, owners: Iterable[Value], bounds: Sequence[str]) -> set[Value]:
        found: set[Value] = set()
        for owner in owners:
            if owner.kind != "container":
                continue
            part = self.new_container(owner.name.partition("|")[0])
            self.read(("#field", owner, "*all"))
            lower = int(bounds[0]) if bounds[0].lstrip("-").isdigit() else None
            upper = int(bounds[1]) if bounds[1].lstrip("-").isdigit() else None
            known = bounds[0] in ("None", "0") or (lower is not None and lower >= 0)
            for key in self.keys_of(owner):
                items = ("#field", owner, key)
                if not key.isdigit() or not known or (upper is not None and upper < 0):
                    self.store_flow(part, "*", items)
                    continue
                start = lower or 0
                index = int(key)
                if index >= start and (upper is None or index < upper):
                    self.store_flow(part, repr(index - start), items)
            found.add(part)
        return found

    def _substore(
        self, owners: Iterable[Value], key: str, source: Node | None, values: Iterable[Value]
    ) -> None:
        """``owner[key] = `` the values of ``source`` (now and later), else ``values``."""
        values = frozenset(values)
        for owner in owners:
            if self._keeps_items(owner, "__setitem__"):
                self._store_at(owner, key or "*", source, values)
            elif owner.kind == "instance":
                arguments = Arguments((frozenset(), values), sources=(None, source))
                self.call_method(owner, "__setitem__", arguments, NOWHERE)
            elif owner.kind == "external":
                self.escape_values(source, values, objects=True)

    def _container(self, module: str, op: Operation) -> None:
        container = Value("container", f"{op.names[0]}|{module}:{op.target}")
        self.add((module, op.target), (container,))
        for ref, key in zip(op.args, op.names[1:], strict=True):
            if key != "**":
                self._store_at(container, key, *self._source(module, ref))
                continue
            for source in list(self.values(module, ref)):
                if source.kind == "container" and op.names[0] == "dict":
                    self.copy_items(container, (source,))
                else:
                    self.store_flow(container, "*", self.items_node((source,), "**"))

    def _unpack(self, sources: Iterable[Value], key: str, into: Node) -> None:
        for value in sources:
            if value.kind == "container":
                if key == "*":
                    rest = self.new_container("list")
                    self.store_flow(rest, "*", ("#field", value, "*all"))
                    self.add(into, (rest,))
                else:
                    self.item_into(value, key, into)
            else:
                self.items_into((value,), into)

    def _iterate(self, sources: Iterable[Value], mode: str, into: Node) -> None:
        if mode != "async":
            self.items_into(sources, into)
            return
        for value in sources:
            if value.kind == "instance":
                for iterator in self.call_method(value, "__aiter__", Arguments()):
                    if iterator.kind == "instance":
                        self.call_method(iterator, "__anext__", Arguments(), into)
            else:
                self.items_into((value,), into)

    def _enter(self, managers: Iterable[Value], mode: str, into: Node) -> None:
        enter, leave = ("__aenter__", "__aexit__") if mode == "async" else ("__enter__", "__exit__")
        for value in managers:
            if value.kind == "instance":
                self.add(into, self.call_method(value, enter, Arguments(), into))
                self.call_method(value, leave, Arguments(), NOWHERE)
            elif value.kind == "generator":  # a @contextmanager function's generator
                self.items_into((value,), into)
            elif value.kind == "external":
                self.add(into, (value,))

    def _operator(self, module: str, op: Operation) -> set[Value]:
        """``a + b``, ``a < b``, ``f"{a}"``, ``if a:``: a special method of ``a`` runs."""
        other = (frozenset(self.values(module, op.args[1])),) if len(op.args) > 1 else ()
        found: set[Value] = set()
        for value in list(self.values(module, op.args[0])):
            found |= self.call_special(value, op.names, Arguments(other))
        return found

    def call_special(
        self, receiver: Value, dunders: Iterable[str], arguments: Arguments
    ) -> set[Value]:
        """Run the first of ``dunders`` an instance's class defines in analyzed or external code.

        A builtin base's default stands for the next one (``object.__str__`` calls
        ``__repr__``, ``object.__ne__`` calls ``__eq__``), which is looked up then. Of a class
        (its definition) only ``__init_subclass__`` runs: its bases', bound to the new class.
        """
        if receiver.kind == "class" and "__init_subclass__" in dunders:
            found: set[Value] = set()
            parents = self.class_attribute(receiver.name, "__init_subclass__", receiver.name)
            for member in list(parents):
                if member.kind == "function":
                    found |= self.call_function(member.name, receiver, arguments)
            return found
        if receiver.kind != "instance":
            return set()
        for dunder in dunders:
            members = self.class_attribute(receiver.name, dunder) if dunder else ()
            if any(member.kind != "builtin" for member in members):
                return self.call_method(receiver, dunder, arguments)
        return set()

    def _instances(self, types: Iterable[Value], *, nested: bool = False) -> set[Value]:
        """Instances of the classes ``types`` names (``except (A, B)``: of each)."""
        found: set[Value] = set()
        for value in list(types):
            if value.kind == "class":
                found.add(Value("instance", value.name))
            elif value.kind == "external" and not value.name.startswith(_TYPING):
                found.add(value)
            elif value.kind == "container" and not nested:
                found |= self._instances(self.item(value, ""), nested=True)
        return found

    # -- the result ------------------------------------------------------------------------

    def result(self) -> CallGraphFacts:
        """The edges, and the calls and reads whose receiver stayed unknown."""
        facts = self.facts
        self._decorated_escapes()
        self._given_to_unknown()
        self._exposed_fields()
        self._handed_methods()
        self._external_bases()
        for index, (module, op) in enumerate(self.ops):
            if op.kind not in ("call", "attr") or not op.names or not op.names[0]:
                continue
            if op.names[0] == DECORATION:
                continue
            self._current = index
            if op.kind == "call":
                callees = self.points_to.get((module, op.args[0]), _EMPTY)
                if not any(value.kind in _CALLABLE_KINDS for value in callees):
                    node = canonical(self._callers[index])
                    facts.unresolved_calls.setdefault(node, set()).add(op.names[0])
                    self.unresolved_call_ops.setdefault(op.names[0], []).append(index)
            elif op.args[0][:2] in ("t:", "v:") and not self.points_to.get((module, op.args[0])):
                node = canonical(self._callers[index])
                facts.unresolved_reads.setdefault(node, set()).add(op.names[0])
        tracer = self._computed_reads()
        facts.import_bounds = bound_imports(self, tracer)
        handed: dict[str, set[str]] = {}
        for function, packages in facts.handed.items():
            handed.setdefault(canonical(function), set()).update(packages)
        facts.handed = handed
        for classes in facts.handed_objects.values():
            for klass, methods in classes.items():
                classes[klass] = {canonical(method) for method in methods}
        return facts

    def open_functions(self) -> set[str]:
        """Functions whose parameters code the graph does not see may bind in any way.

        Those handed to external code (themselves, or as methods of an object handed there),
        properties read on an object of unknown type (their ``self``), and those a computed
        ``getattr`` may give. A method whose name is called on
        an object of unknown type is not among them: that call binds its arguments, which
        :attr:`unresolved_call_ops` keeps.
        """
        facts = self.facts
        read = {name for names in facts.unresolved_reads.values() for name in names}
        found = set(self.escaped)
        for name, function in self.functions.items():
            if function.is_property and canonical(name).rpartition(".")[2] in read:
                found.add(name)
        for lines in facts.computed_reads.values():
            for functions in lines.values():
                found |= functions
        for classes in facts.handed_objects.values():
            for methods in classes.values():
                found |= methods
        return found

    def _computed_reads(self) -> StringTracer | None:
        """Bound ``getattr(obj, name)`` with a computed name where ``obj``'s classes are known.

        Such a read gives an attribute of one of those classes (along the MRO, after the class
        for ``super()``) or of the instance: one of the functions they hold, and of those only
        the ones held under a name the strings reaching ``name`` may be (traced like a computed
        import's: werkzeug's ``getattr(obj, "_cache_" + name)`` never gives ``__init__``).
        Anything else as ``obj`` (an external object, a module, nothing known) leaves the site
        dynamic: treating external and module receivers as bounded too made two click
        functions that run ``not-reachable`` in ``bench/dynamic_recall.py`` (the package-wide
        ``unknown`` had been covering calls the graph misses).

        Returns the string tracer when one was built, for the computed imports to reuse.
        """
        # class or instance class -> attribute name -> functions it holds there
        holders: dict[str, dict[str, set[str]]] = {}
        for node, values in self.points_to.items():
            if node[0] == "#field" and isinstance(node[1], Value):
                owner = node[1].name if node[1].kind == "instance" else ""
                attribute = str(node[2])
            elif len(node) == 2 and str(node[1]).startswith("v:"):
                qualname, _, attribute = str(node[1])[2:].rpartition(":")
                owner = f"{node[0]}.{qualname}" if qualname else ""
            else:
                continue
            if owner in self.program.classes:
                found = holders.setdefault(owner, {}).setdefault(attribute, set())
                found.update(f for f in map(function_of, values) if f is not None)
        computed = self.facts.computed_reads
        sites: list[tuple[str, str, Operation, dict[str, set[str]]]] = []
        dynamic: set[tuple[str, int]] = set()  # a site of which some clone's stays dynamic
        for index, (module, op) in enumerate(self.ops):
            if op.kind != "call" or len(op.args) < 3 or op.args[2][:1] not in NODE_REFS:
                continue
            if Value("builtin", "getattr") not in self.values(module, op.args[0]):
                continue
            classes = self._getattr_classes(self.values(module, op.args[1]))
            if classes is None:
                dynamic.add((canonical(self._callers[index]), op.line))
                continue
            held: dict[str, set[str]] = {}
            for klass in classes:
                for attribute, functions in holders.get(klass, {}).items():
                    held.setdefault(attribute, set()).update(map(canonical, functions))
            caller = canonical(self._callers[index])
            reads = computed.setdefault(caller, {})
            reads.setdefault(op.line, set()).update(f for fs in held.values() for f in fs)
            if held:
                sites.append((module, caller, op, held))
        if sites:
            # Traced while every function any site may give counts as called from outside: a
            # name bounded then stays bounded once the sites give fewer.
            tracer = StringTracer(self, self.open_functions())
            bounded: dict[tuple[str, int], set[str] | None] = {}
            for module, caller, op, held in sites:
                patterns = tracer.trace(module, op.args[2])
                known = bounded.get((caller, op.line), set())
                if patterns is None or known is None:
                    bounded[(caller, op.line)] = None  # some clone's site gives any it holds
                    continue
                known |= {
                    function
                    for attribute, functions in held.items()
                    if any(matches(pattern, attribute) for pattern in patterns)
                    for function in functions
                }
                bounded[(caller, op.line)] = known
            for (caller, line), given in bounded.items():
                if given is not None:
                    computed[caller][line] = given
        for caller, line in dynamic:
            computed.get(caller, {}).pop(line, None)
        return tracer if sites else None

    def _getattr_classes(self, owners: Iterable[Value]) -> list[str] | None:
        """The analyzed classes whose attributes reading from ``owners`` may give, or None."""
        classes: list[str] = []
        owners = list(owners)
        for owner in owners:
            if owner.kind == "external" and self._holds_nothing_analyzed(owner):
                continue
            if owner.kind in ("instance", "class") and owner.name in self.program.classes:
                order = self.mro(owner.name)
            elif owner.kind == "super" and owner.inner is not None:
                receiver = owner.inner
                if receiver.kind not in ("instance", "class"):
                    return None
                order = self.mro(receiver.name) if receiver.name in self.program.classes else []
                names = [value.name for value in order]
                order = order[names.index(owner.name) + 1 :] if owner.name in names else []
            else:
                return None
            classes += [klass.name for klass in order if klass.kind == "class"]
        return classes if owners else None

    def _holds_nothing_analyzed(self, external: Value) -> bool:
        """Whether a ``getattr`` on an external value can give no analyzed code.

        A name read from a standard-library module (``getattr(ssl, name)``: the analysis
        already takes ``ssl.X`` to be ssl's own, never code patched in), and an object of a
        module that keeps nothing it is given (:data:`_GIVES_BACK_ONLY_DATA`: urllib3's
        ``getattr(self._obj, name)`` on a ``zlib.decompressobj()``). Not modules that reach into
        the running program (imports, introspection, unpickling: :data:`_REACHES_INTO_PROGRAM`),
        nor objects of others: they may give back what they were given (``copy.copy(obj)``).
        """
        top = external.name.partition(".")[0]
        if top in _REACHES_INTO_PROGRAM:
            return False
        if external.inner is None:  # a module, or a name read from it
            return top in sys.stdlib_module_names
        return top in _GIVES_BACK_ONLY_DATA

    def _given_to_unknown(self) -> None:
        """A function stored into an object of unknown type, or passed to one, escapes there.

        ``environment.filters["slugify"] = slugify`` in a method that code outside the graph
        calls: whatever holds that object may call it (cookiecutter's jinja2 filter).
        A function passed to a callee of unknown type escapes the same way (cookiecutter's
        ``environment.globals.update(uuid4=uuid4)`` in an extension's ``__init__``).
        """
        for index, (module, op) in enumerate(self.ops):
            if op.kind == "call" and len(op.args) == 4 and not op.args[2].startswith("c:"):
                if Value("builtin", "setattr") not in self.values(module, op.args[0]):
                    continue
                stored = [op.args[3]]  # setattr(obj, computed, f): any read of obj may give f
                owners = self.values(module, op.args[1])  # analyzed ones: read by analyzed code
                hands = not owners or any(owner.kind == "external" for owner in owners)
            elif op.kind == "call" and op.args[0][:1] in NODE_REFS:
                if self.points_to.get((module, op.args[0])):
                    continue
                stored = list(op.args[1:])  # handed to code whose type is not known
                hands = True
            elif op.kind in ("store", "substore") and op.args[0][:1] in NODE_REFS:
                if self.points_to.get((module, op.args[0])):
                    continue
                stored = [op.args[1]]
                hands = True
            else:
                continue
            self._current = index
            for value in [value for ref in stored for value in self.values(module, ref)]:
                if (function := function_of(value)) is not None:
                    self.edge(function, "escape")
                elif hands:
                    self._hand_object(value)

    def _external_bases(self) -> None:
        """Record the methods of classes whose MRO holds a class outside the analysis."""
        program = self.program
        bases: dict[str, str] = {}
        for name in program.classes:
            external = next(
                (k.name for k in self.mro(name) if k.kind == "external" and not _inert(k.name)),
                None,
            )
            if external is not None:
                bases[name] = external
        for name, function in program.functions.items():
            if function.class_qualname is None:
                continue
            klass = f"{program.function_module[name]}.{function.class_qualname}"
            if klass in bases:
                self.facts.external_bases[name] = bases[klass]

    def _decorated_escapes(self) -> None:
        """A decorated function its decorators keep is reachable from where it is defined.

        Registering a function (a route, a command, a hook) is not calling it, but the
        framework that keeps it will: unless the decorators give back the function or a wrapper
        of it (analyzed functions, properties) and store it nowhere, it *escapes*.
        """
        stored = {
            name
            for node, values in self.points_to.items()
            if node[0] == "#field" and not self._is_descriptor(node[1])
            for value in values
            if (name := function_of(value)) is not None
        }
        chain_start: dict[tuple[str, str], int] = {}  # (module, temp) -> op of the innermost
        for index, (module, op) in enumerate(self.ops):
            if op.kind != "call" or not op.names or op.names[0] != DECORATION:
                continue
            decorated = op.args[1]
            start = chain_start.pop((module, decorated), index if decorated[:2] == "d:" else -1)
            chain_start[(module, op.target)] = start
        for (module, target), start in chain_start.items():
            if start < 0:
                continue
            function = f"{module}.{self.ops[start][1].args[1][2:]}"
            bound = self.points_to.get((module, target), _EMPTY)
            kept = function in stored or not bound
            kept |= any(
                value.kind not in ("function", "bound", "property")
                and not self._is_descriptor(value)
                for value in bound
            )
            if kept and function in self.functions:
                self._current = start
                self.edge(function, "escape")


_GIVES_BACK_ONLY_DATA = frozenset(
    {"zlib", "bz2", "lzma", "binascii", "base64", "hashlib", "struct", "math", "cmath"}
)
"""Standard-library modules whose functions and objects keep nothing they are given: they
return new bytes, strings, numbers or objects of their own (a context-insensitive analysis
may see anything passed to ``zlib.compress``, but zlib gives back only bytes)."""

_REACHES_INTO_PROGRAM = frozenset(
    {
        "builtins",
        "sys",
        "importlib",
        "pkgutil",
        "runpy",
        "zipimport",
        "site",
        "inspect",
        "gc",
        "types",
        "traceback",
        "linecache",
        "code",
        "codeop",
        "pickle",
        "_pickle",
        "copyreg",
        "shelve",
        "marshal",
        "dill",
        "cloudpickle",
        "threading",
        "_thread",
        "asyncio",
        "contextvars",
        "logging",
        "weakref",
        "ctypes",
        "unittest",
        "doctest",
        "pkg_resources",
        "importlib_metadata",
        "importlib_resources",
    }
)
"""Modules outside the analysis that can give analyzed code they were never handed: they
import it, find it by name, unpickle it or walk the running program's frames and objects."""

_CONSTRUCTORS = frozenset({"__new__", "__init__"})

_CLONE_DEPTH = 2
"""A closure factory called from a clone's code gets a clone of its own, but not deeper: a
decorator applied inside a decorator's wrapper, and no further (recursion would never end)."""
_CLONED_OPS_PER_FACTORY = 4096
_MIN_CLONES = 8
"""Each factory gets as many clones as copy this many operations, and at least ``_MIN_CLONES``:
a small decorator one per use, a large one fewer (the calls beyond share the factory)."""
_CLONED_SHARE = 4
"""All clones together copy at most a quarter of the program's operations (or as many as one
factory may, in a small program)."""


def _guard(module: str, op: Operation) -> tuple[str, Node] | None:
    """What the operation waits for, if anything.

    Its ``if`` test, or, for a return annotation, that the function returns some value of
    unknown type (:data:`_UNRESOLVED`).
    """
    if op.guard:
        return (op.guard[0], (module, op.guard[1]))
    if op.kind == "annotation" and op.target.startswith("r:") and _ANNOTATED not in op.target:
        return (_UNRESOLVED, (module, op.target))
    return None


_SOME = "some"
"""The test of ``if x is not None:`` and ``if x:`` (a :attr:`Operation.guard`)."""

_UNRESOLVED = "unresolved"
"""A function's annotated return type counts once its code returns a value of unknown type
(external code's), or, when solving is otherwise done, nothing at all: where its own returns
are known, a union annotation would only add the types of other paths (``click.command``
returns a decorator when given a name, ``-> Union[Command, Callable[..., Command]]``)."""


_NOT_CALLABLE = frozenset({"literal", "container", "module", "generator"})
"""Kinds of values ``callable()`` is false for."""

_ESCAPE_SINKS = frozenset({"#escape", "#external"})
"""Sinks of values handed to builtin types' methods (their functions escape) and to code
outside the analysis (their functions escape, and their objects' methods may be called)."""

_DICT_METHODS = frozenset({"get", "pop", "setdefault", "update", "values", "items", "copy"})
"""The dict methods an instance keeping items natively answers from them (``container_method``)."""

_DIFFERENCE_KINDS = frozenset(
    {
        "copy",
        "attr",
        "call",
        "sub",
        "slice",
        "unpack",
        "iter",
        "with",
        "raise",
        "annotation",
        "super",
        "store",
        "substore",
    }
)
"""Operations that may handle only the new values of their first input (see ``_new_values``)."""


def _has_primary(op: Operation) -> bool:
    """Whether ``op``'s first input is a node it can take new values of, one at a time.

    Not when the same node is also another input (``f(f)``): then every new value of it meets
    every old one.
    """
    first = op.args[0] if op.args else ""
    return op.kind in _DIFFERENCE_KINDS and first[:1] in NODE_REFS and first not in op.args[1:]


_TYPING = ("typing.", "typing_extensions.", "collections.abc.", "types.")
"""Annotations naming these (``Any``, ``Callable[...]``, ``Mapping``) give no instance."""


def _inert(base: str) -> bool:
    """Whether an external base's own code calls no method of its subclasses but dunders.

    ``typing.Generic``, ``abc.ABC``, ``collections.abc.Mapping`` (whose mixins call only
    special methods, which are followed anyway).
    """
    return base.startswith((*_TYPING, "abc."))


_EXTERNAL_DEPTH = 4
"""External import paths grow by attribute up to this many dots; longer chains (``x =
x.parent`` in a loop) stay at that name, so that the solver terminates."""


def _init_attributes(program: Program) -> dict[str, set[str]]:
    """Class -> the attributes its ``__init__`` stores on ``self`` (``self.x = ...``)."""
    found: dict[str, set[str]] = {}
    for module, facts in program.modules.items():
        for op in facts.operations:
            if op.kind != "store" or not op.caller.endswith(".__init__"):
                continue
            function = program.functions.get(f"{module}.{op.caller}")
            if function is None or function.class_qualname is None or not function.parameters:
                continue
            if op.args[0].partition("@")[0] == f"v:{op.caller}:{function.parameters[0]}":
                found.setdefault(f"{module}.{function.class_qualname}", set()).add(op.names[0])
    return found


_ANNOTATED = "#annotated"
"""Suffix of the return node of a function returning its parameter, for its annotation's values."""


def _passthrough_parameters(program: Program, ops: list[tuple[str, Operation]]) -> dict[str, str]:
    """Functions whose only return is one named parameter as it was passed, and that name.

    Their return annotations (``def deco(f: F) -> F``) are moved to a node of their own
    (``r:qualname#annotated``) that also flows into the return node, so that a call can take
    the argument it passed and the annotation's values, and the return node keeps everything.
    """
    returns: dict[tuple[str, str], list[int]] = {}
    written_inside: set[tuple[str, str]] = set()  # a variable its own function (re)binds
    for index, (module, op) in enumerate(ops):
        if op.target.startswith("r:"):
            returns.setdefault((module, op.target[2:]), []).append(index)
        elif op.target.startswith("v:"):
            scope = op.target[2:].rpartition(":")[0]
            if scope and (op.caller == scope or op.caller.startswith(f"{scope}.")):
                written_inside.add((module, op.target))  # (a nested ``nonlocal`` write too)
    found: dict[str, str] = {}
    for (module, qualname), indexes in returns.items():
        function = f"{module}.{qualname}"
        facts = program.functions.get(function)
        if facts is None or facts.is_generator:
            continue
        copies = [ops[i][1] for i in indexes if ops[i][1].kind == "copy"]
        annotations = [i for i in indexes if ops[i][1].kind == "annotation"]
        if len(copies) != 1 or len(copies) + len(annotations) != len(indexes):
            continue
        named = {*facts.parameters, *facts.keyword_only}
        parameter = copies[0].args[0].removeprefix(f"v:{qualname}:") if copies[0].args else ""
        variable = f"v:{qualname}:{parameter}"
        if parameter not in named or copies[0].args != (variable,):
            continue
        if (module, variable) in written_inside:  # it may return another value than it got
            continue
        found[function] = parameter
        annotated = f"r:{qualname}{_ANNOTATED}"
        for i in annotations:
            annotation = ops[i][1]
            ops[i] = (module, annotation._replace(target=annotated))
            ops.append((module, annotation._replace(kind="copy", args=(annotated,), names=())))
    return found


def _class_members(program: Program, ops: list[tuple[str, Operation]]) -> dict[str, set[str]]:
    """Analyzed class -> the names its body binds (methods, class attributes)."""
    members: dict[str, set[str]] = {}
    for module, op in ops:
        if op.target.startswith("v:"):
            scope, _, name = op.target[2:].rpartition(":")
            klass = f"{module}.{scope}"
            if scope and klass in program.classes:
                members.setdefault(klass, set()).add(name.partition("@")[0])
    return members


def _parameter_nodes(functions: dict[str, FunctionFacts], modules: dict[str, str]) -> set[Node]:
    return {
        (module, f"v:{name[len(module) + 1 :]}:{parameter}")
        for name, facts in functions.items()
        for module in (modules[name],)
        for parameter in (*facts.parameters, *facts.keyword_only, facts.star, facts.double_star)
        if parameter
    }


def _grows(value: Value, module: str) -> bool:
    """Whether reading an attribute of an external value in ``module`` names a new value.

    ``ext.Cls().attr`` is ``ext.Cls.attr`` in the module that made the call; elsewhere (the
    value flowed through parameters, returns or containers) and after that one attribute it is
    the same value. Otherwise every external value would multiply with every attribute name
    that generic code reads, without telling the analysis anything about analyzed code.
    """
    inner = value.inner
    return inner is not None and inner.kind == "literal" and inner.name == module


def _external_member(value: Value, name: str) -> Value:
    """``value.name`` for an external value (see :func:`_grows`)."""
    if value.inner is not None and value.inner != DERIVED:
        return Value("external", f"{value.name}.{name}", DERIVED)
    if value.inner is not None or value.name.count(".") >= _EXTERNAL_DEPTH:
        return value
    return Value("external", f"{value.name}.{name}")
