"""Turn one module into operations on values (:class:`.facts.Operation`) with LibCST.

Statements are walked in order, so a name rebound in straight-line code is a new *version* of
the variable: a read sees the version the code just before it made, branches merge their
versions, and a loop's head sees what its body assigns. Reads from other scopes (closures,
methods reading module globals, other modules) see every version. Names are resolved with
LibCST's ``ScopeProvider`` (where is this name assigned?); nothing is evaluated, so the result
is plain data (:class:`~sbom_enrich.reachability.facts.ModuleFacts`) that crosses processes and is
cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.metadata import (
    BuiltinAssignment,
    ComprehensionScope,
    ImportAssignment,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)

from sbom_enrich.reachability.conditions import dotted, is_main_guard, python3_truth
from sbom_enrich.reachability.facts import (
    DECORATION,
    MAIN_BLOCK,
    NONE,
    REFLECTED,
    STATIC_PATH,
    ClassFacts,
    FunctionFacts,
    ImportFacts,
    ModuleFacts,
    Operation,
    OpKind,
    Ref,
)
from sbom_enrich.reachability.lines import start_lines

__all__ = ["extract_module"]

_OPERATORS: dict[type[cst.CSTNode], str] = {
    cst.Add: "__add__",
    cst.Subtract: "__sub__",
    cst.Multiply: "__mul__",
    cst.Divide: "__truediv__",
    cst.FloorDivide: "__floordiv__",
    cst.Modulo: "__mod__",
    cst.Power: "__pow__",
    cst.MatrixMultiply: "__matmul__",
    cst.BitAnd: "__and__",
    cst.BitOr: "__or__",
    cst.BitXor: "__xor__",
    cst.LeftShift: "__lshift__",
    cst.RightShift: "__rshift__",
}
_AUGMENTED: dict[type[cst.CSTNode], str] = {
    cst.AddAssign: "__add__",
    cst.SubtractAssign: "__sub__",
    cst.MultiplyAssign: "__mul__",
    cst.DivideAssign: "__truediv__",
    cst.FloorDivideAssign: "__floordiv__",
    cst.ModuloAssign: "__mod__",
    cst.PowerAssign: "__pow__",
    cst.MatrixMultiplyAssign: "__matmul__",
    cst.BitAndAssign: "__and__",
    cst.BitOrAssign: "__or__",
    cst.BitXorAssign: "__xor__",
    cst.LeftShiftAssign: "__lshift__",
    cst.RightShiftAssign: "__rshift__",
}
_COMPARISONS: dict[type[cst.CSTNode], tuple[tuple[str, ...], tuple[str, ...]]] = {
    cst.LessThan: (("__lt__",), ("__gt__",)),
    cst.GreaterThan: (("__gt__",), ("__lt__",)),
    cst.LessThanEqual: (("__le__",), ("__ge__",)),
    cst.GreaterThanEqual: (("__ge__",), ("__le__",)),
    cst.Equal: (("__eq__",), ("__eq__",)),
    cst.NotEqual: (("__ne__", "__eq__"), ("__ne__", "__eq__")),  # object.__ne__ calls __eq__
}
"""A comparison's special method on the left operand, and the reflected one on the right."""
_CONTAINMENT = ("__contains__", "__iter__", "__getitem__")
"""What ``a in b`` runs on ``b``: the first its class defines."""
_TRUTH = ("__bool__", "__len__")
_CONVERSIONS = {"r": ("__repr__",), "a": ("__repr__",), "s": ("__str__", "__repr__")}
_FORMATTING = ("__format__", "__str__", "__repr__")
"""What ``f"{a}"`` runs on ``a`` (``object.__format__`` calls ``str()``, which calls ``repr()``
when ``__str__`` is not defined); ``!r``, ``!a`` and ``!s`` name the conversion."""
_IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
_DYNAMIC_CALLS = {"builtins.eval", "builtins.exec", "builtins.compile"}
_IMPORT_CALLS = {"importlib.import_module", "builtins.__import__"}
_WATCHED_CALLS = {"eval", "exec", "compile", "import_module", "__import__", "getattr"}
"""Last names of calls whose qualified name is looked up: dynamic features."""
_MAX_CONSTANT = 200
"""Longer string constants are not kept as values (they are never module or attribute names)."""


def extract_module(source: str, *, module: str, path: str, is_package: bool) -> ModuleFacts:
    """Parse ``source`` (the text of ``module`` at ``path``) and return its facts.

    Raises ``libcst.ParserSyntaxError`` on a syntax error; the index records it per file.
    """
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    builder = _Builder(wrapper.resolve(ScopeProvider), start_lines(wrapper.module))
    builder.run(wrapper.module)
    return ModuleFacts(
        module=module,
        path=path,
        is_package=is_package,
        lines=source.count("\n") + 1,
        functions=tuple(builder.functions),
        classes=tuple(builder.classes),
        operations=builder.operations(),
        imports=tuple(builder.imports),
        main_block=builder.main_block,
        dynamic=tuple(builder.dynamic),
    )


@dataclass
class _Frame:
    """A scope being walked: the module, a class body or a function (lambdas included)."""

    qualname: str  # variables of this scope are ``v:qualname:name``
    caller: str  # the caller of the calls made here
    scope: Scope | None
    is_function: bool = False
    class_qualname: str | None = None  # for a method: its class
    receiver: str | None = None  # for a method: its first parameter
    versions: dict[str, Ref] = field(default_factory=dict)
    created: list[tuple[str, Ref]] = field(default_factory=list)  # every version made, in order
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    lambdas: int = 0
    is_generator: bool = False

    def prefix(self, name: str) -> str:
        return f"{self.qualname}.{name}" if self.qualname else name


class _Builder:
    """Walks a module's statements in order and records what they do with values."""

    def __init__(
        self,
        scopes: Mapping[cst.CSTNode, Scope | None],
        lines: Mapping[cst.CSTNode, int],
    ) -> None:
        self.scopes = scopes
        self.lines = lines
        self.scope_names: dict[int, str] = {}
        self.frames: list[_Frame] = []
        self.ops: list[Operation] = []
        self.functions: list[FunctionFacts] = []
        self.classes: list[ClassFacts] = []
        self.imports: list[ImportFacts] = []
        self.dynamic: list[tuple[str, str]] = []
        self.main_block = 0
        self.line = 1
        self._temps = 0
        self._version_numbers: dict[str, int] = {}
        self._shared: set[str] = set()  # ``v:scope:name`` written from another scope
        self._constants: dict[str, bool] = {}  # module-level ``PY2 = sys.version_info[0] == 2``
        self._loop_constants: list[tuple[str, tuple[str, ...]]] = []  # ``for x in ("a", "b")``
        self._literals: dict[Ref, tuple[str, tuple[Ref, ...], tuple[str, ...]]] = {}
        self._fresh: dict[Ref, Ref] = {}  # version of a local -> the literal it alone holds
        self._guard: tuple[str, str, str] | None = None  # (caller, test, ref) of the if body

    # -- output ----------------------------------------------------------------------------

    def run(self, module: cst.Module) -> None:
        first = module.body[0] if module.body else None
        self._enter(_Frame("", "", self.scopes.get(first) if first is not None else None))
        self._statements(module.body)
        self.frames.pop()

    def operations(self) -> tuple[Operation, ...]:
        """The operations, with versions of variables written from other scopes merged."""
        if not self._shared:
            return tuple(self.ops)
        shared = self._shared
        return tuple(
            op._replace(
                target=_unversioned(op.target, shared),
                args=_all(op.args, shared),
                guard=_all(op.guard, shared),
            )
            for op in self.ops
        )

    # -- frames, temporaries, variables ----------------------------------------------------

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def _enter(self, frame: _Frame) -> None:
        if frame.scope is not None:
            self.scope_names[id(frame.scope)] = frame.qualname
        self.frames.append(frame)

    def _temp(self) -> Ref:
        self._temps += 1
        return f"t:{self._temps}"

    def _emit(
        self,
        kind: OpKind,
        target: Ref,
        args: Sequence[Ref] = (),
        names: Sequence[str] = (),
        line: int = 0,
    ) -> Ref:
        caller = self.frame.caller
        guard = self._guard[1:] if self._guard and self._guard[0] == caller else ()
        self.ops.append(
            Operation(kind, caller, line or self.line, target, tuple(args), tuple(names), guard)
        )
        return target

    def _union(self, refs: Iterable[Ref]) -> Ref:
        """One reference holding every value of ``refs``."""
        present = list(dict.fromkeys(ref for ref in refs if ref))
        if len(present) <= 1:
            return present[0] if present else ""
        temp = self._temp()
        for ref in present:
            self._emit("copy", temp, (ref,))
        return temp

    def _read(self, node: cst.Name, *, keep_fresh: bool = False) -> Ref:
        """The reference a name read stands for, by where LibCST says it is assigned."""
        name = node.value
        if not keep_fresh:
            self._fresh.pop(self.frame.versions.get(name, ""), None)
        scope = self.scopes.get(node)
        assignments = scope[name] if scope is not None else set()
        refs = []
        for assignment in assignments:
            if isinstance(assignment, BuiltinAssignment):
                refs.append(f"b:{name}")
                continue
            owner = self.scope_names.get(id(assignment.scope))
            if owner is None and isinstance(assignment.scope, ComprehensionScope):
                owner = self._comprehension_name(assignment.scope)
            if owner is None:
                continue
            if assignment.scope is self.frame.scope and name in self.frame.versions:
                refs.append(self.frame.versions[name])
            else:
                refs.append(f"v:{owner}:{name}")
        if not refs:  # bound by ``import *`` or assigned nowhere in this file
            return self._emit("attr", self._temp(), ("m:",), (name,))
        return self._union(sorted(set(refs)))

    def _is_import_path(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` is a name bound only by imports, or an attribute chain of one."""
        while isinstance(node, cst.Attribute):
            node = node.value
        if not isinstance(node, cst.Name):
            return False
        scope = self.scopes.get(node)
        assignments = scope[node.value] if scope is not None else set()
        return bool(assignments) and all(isinstance(a, ImportAssignment) for a in assignments)

    def _comprehension_name(self, scope: Scope) -> str:
        name = f"{self.frame.qualname}.<comprehension>"
        self.scope_names[id(scope)] = name
        return name

    def _bind(self, node: cst.Name, value: Ref) -> None:
        """``name = value`` in the current scope (a new version of it)."""
        name = node.value
        frame = self.frame
        scope = self.scopes.get(node)
        if name in frame.declared_global:
            self._write_shared(f"v::{name}", value)
            return
        if name in frame.declared_nonlocal:
            outer = next((f for f in reversed(self.frames[:-1]) if f.is_function), None)
            self._write_shared(f"v:{outer.qualname if outer else ''}:{name}", value)
            return
        if scope is not None and scope is not frame.scope:  # a comprehension's own variable
            owner = self.scope_names.get(id(scope))
            if owner is None:
                owner = self._comprehension_name(scope)
            self._emit("copy", f"v:{owner}:{name}", (value,))
            return
        self._new_version(name, value)

    def _new_version(self, name: str, value: Ref) -> Ref:
        frame = self.frame
        variable = f"v:{frame.qualname}:{name}"
        number = self._version_numbers.get(variable, 0) + 1
        self._version_numbers[variable] = number
        version = f"{variable}@{number}"
        if value == NONE:  # marks the version as holding None (for guards); gives no value
            self._emit("copy", version, (value,))
        elif value:
            self._emit("copy", version, (value,))
            self._emit("copy", variable, (version,))
        frame.versions[name] = version
        frame.created.append((name, version))
        if value in self._literals:
            self._fresh[version] = value
        return version

    def _write_shared(self, variable: str, value: Ref) -> None:
        self._shared.add(variable)
        self._emit("copy", variable, (value,))

    # -- branches and loops ----------------------------------------------------------------

    def _merge(self, states: Sequence[dict[str, Ref]]) -> None:
        """After branches: each name is what any branch left it as."""
        frame = self.frame
        merged: dict[str, Ref] = {}
        for name in dict.fromkeys(n for state in states for n in state):
            refs = [state.get(name, f"v:{frame.qualname}:{name}") for state in states]
            if len(set(refs)) == 1:
                merged[name] = refs[0]
                continue
            merged[name] = self._new_version(name, "")
            for ref in dict.fromkeys(refs):
                self._emit("copy", merged[name], (ref,))
        frame.versions = merged

    def _loop(
        self,
        body: cst.BaseSuite,
        orelse: cst.BaseSuite | None,
        rebound: dict[str, Ref] | None = None,
    ) -> None:
        """A loop body runs again with what it assigned: its head sees every version.

        ``rebound``: the names a ``for`` target binds anew at each iteration's start, with what
        they were before the loop. The body sees only the iteration's value of those; after
        the loop they are what any iteration left, or, when none ran, what they were before.
        """
        frame = self.frame
        rebound = rebound or {}
        heads: dict[str, Ref] = {}
        for name in _assigned_names(body):
            if name in frame.declared_global or name in frame.declared_nonlocal:
                continue
            if name in rebound:
                continue
            before = frame.versions.get(name, f"v:{frame.qualname}:{name}")
            heads[name] = self._new_version(name, "")
            self._emit("copy", heads[name], (before,))
        start = len(frame.created)
        iteration = {name: frame.versions[name] for name in rebound if name in frame.versions}
        self._suite(body)
        created = frame.created[start:]
        for name, version in created:
            if name in heads:
                self._emit("copy", heads[name], (version,))
        frame.versions.update(heads)
        for name, before in rebound.items():
            after = self._new_version(name, "")
            origins = [before, iteration.get(name, before)]
            origins += [version for created_name, version in created if created_name == name]
            for origin in dict.fromkeys(origins):
                self._emit("copy", after, (origin,))
        if orelse is not None:
            self._suite(orelse)

    # -- statements ------------------------------------------------------------------------

    def _suite(self, suite: cst.BaseSuite) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self._statements(suite.body)
        else:
            assert isinstance(suite, cst.SimpleStatementSuite)
            for small in suite.body:
                self._small(small)

    def _statements(self, statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            self.line = self.lines[statement]
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small)
            else:
                self._compound(statement)

    def _compound(self, node: cst.BaseStatement) -> None:
        if isinstance(node, cst.FunctionDef):
            self._function(node)
        elif isinstance(node, cst.ClassDef):
            self._class(node)
        elif isinstance(node, cst.If):
            self._if(node)
        elif isinstance(node, cst.For):
            self._for(node)
        elif isinstance(node, cst.While):
            self._test(node.test)
            self._loop(node.body, node.orelse.body if node.orelse else None)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._try(node)
        elif isinstance(node, cst.With):
            self._with(node)
        elif isinstance(node, cst.Match):
            self._match(node)

    def _small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, cst.Expr):
            self.expression(node.value)
        elif isinstance(node, cst.Assign):
            self._assign_statement(node)
        elif isinstance(node, cst.AnnAssign):
            self._annotated_assign(node)
        elif isinstance(node, cst.AugAssign):
            self._augmented_assign(node)
        elif isinstance(node, cst.Return):
            if node.value is not None:
                value = self.expression(node.value)
                if self.frame.is_function and value:
                    self._emit("copy", f"r:{self.frame.qualname}", (value,))
        elif isinstance(node, cst.Raise):
            if node.exc is not None:
                self._emit("raise", "", (self.expression(node.exc),))
            if node.cause is not None:
                self.expression(node.cause.item)
        elif isinstance(node, cst.Import):
            self._import(node)
        elif isinstance(node, cst.ImportFrom):
            self._import_from(node)
        elif isinstance(node, cst.Global):
            self.frame.declared_global.update(item.name.value for item in node.names)
        elif isinstance(node, cst.Nonlocal):
            self.frame.declared_nonlocal.update(item.name.value for item in node.names)
        elif isinstance(node, cst.Assert):
            self._test(node.test)
            if node.msg is not None:
                self.expression(node.msg)
        elif isinstance(node, cst.Del):
            self._children(node.target)

    def _assign_statement(self, node: cst.Assign) -> None:
        flag = node.targets[0].target if len(node.targets) == 1 else None
        if not self.frame.qualname and isinstance(flag, cst.Name):
            truth = python3_truth(node.value, self._constants)
            if truth is None:
                self._constants.pop(flag.value, None)  # rebound to something we cannot decide
            else:
                self._constants[flag.value] = truth
        value = self.expression(node.value)
        if self._binds_none(node.value) and all(
            isinstance(target.target, cst.Name) for target in node.targets
        ):
            value = NONE
        for target in node.targets:
            self._assign(target.target, value)

    def _binds_none(self, value: cst.BaseExpression | None) -> bool:
        """Whether ``value`` is ``None`` assigned in a function (what its guards may rule out)."""
        return self.frame.is_function and isinstance(value, cst.Name) and value.value == "None"

    def _annotated_assign(self, node: cst.AnnAssign) -> None:
        if self._binds_none(node.value):
            # ``x: Optional[T] = None`` in a function binds None: values of T come later
            self._assign(node.target, NONE if isinstance(node.target, cst.Name) else "")
            return
        types = self._annotation(node.annotation.annotation)
        value = self.expression(node.value) if node.value is not None else ""
        instances = ""
        if types:
            instances = self._temp()
            for type_ref in types:
                self._emit("annotation", instances, (type_ref,))
        if isinstance(node.target, cst.Name) and not self.frame.is_function and not value:
            # ``x: int`` in a class body or module declares, it does not bind
            if instances:
                self._emit("copy", f"v:{self.frame.qualname}:{node.target.value}", (instances,))
            return
        self._assign(node.target, self._union([value, instances]))

    def _augmented_assign(self, node: cst.AugAssign) -> None:
        current = self.expression(node.target)
        operand = self.expression(node.value)
        dunder = _AUGMENTED.get(type(node.operator), "")
        result = current
        if dunder:
            inplace = "__i" + dunder[2:]
            done = self._emit("operator", self._temp(), (current, operand), (inplace, dunder))
            result = self._union([current, done, self._reflected(operand, current, dunder)])
        self._assign(node.target, result)

    def _reflected(self, right: Ref, left: Ref, dunder: str) -> Ref:
        """``b.__radd__(a)``: Python's fallback for ``a + b`` when ``a`` cannot add ``b``."""
        if dunder not in REFLECTED:
            return ""
        return self._emit("operator", self._temp(), (right, left), (REFLECTED[dunder],))

    def _assign(self, target: cst.BaseExpression, value: Ref) -> None:
        if isinstance(target, cst.Name):
            self._bind(target, value)
        elif isinstance(target, cst.Attribute):
            base = self.expression(target.value)
            self._emit("store", "", (base, value), (target.attr.value,))
        elif isinstance(target, cst.Subscript):
            constant = self._constant_subscript(target)
            if self._strong_update(target.value, constant, value):
                return
            base = self.expression(target.value)
            key = self._key(target.slice)
            self._emit("substore", "", (base, value), (key,))
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = False
            for index, element in enumerate(target.elements):
                inner = element.value
                if isinstance(element, cst.StarredElement):
                    starred = True
                    item = self._emit("unpack", self._temp(), (value,), ("*",))
                else:
                    key = "*" if starred else repr(index)
                    item = self._emit("unpack", self._temp(), (value,), (key,))
                self._assign(inner, item)
        elif isinstance(target, cst.StarredElement):
            self._assign(target.value, value)

    def _if(self, node: cst.If) -> None:
        frame = self.frame
        if not frame.qualname and not self.main_block and is_main_guard(node):
            self.main_block = self.line
            frame.caller = MAIN_BLOCK  # its code is a function of its own
            self._suite(node.body)
            frame.caller = ""
            return
        truth = python3_truth(node.test, self._constants) if not frame.qualname else None
        if truth is not None:  # the branch only Python 2 would run is dead
            live = node.body if truth else node.orelse
            if isinstance(live, cst.If):
                self._if(live)
            elif isinstance(live, cst.Else):
                self._suite(live.body)
            elif live is not None:
                self._suite(live)
            return
        guard = self._guard_of(node.test)
        self._test(node.test)
        start = dict(frame.versions)
        outer_guard = self._guard
        self._guard = guard or outer_guard
        self._suite(node.body)
        self._guard = outer_guard
        after_body = frame.versions
        frame.versions = dict(start)
        if isinstance(node.orelse, cst.If):
            self._if(node.orelse)
        elif isinstance(node.orelse, cst.Else):
            self._suite(node.orelse.body)
        self._merge([after_body, frame.versions])

    def _guard_of(self, test: cst.BaseExpression) -> tuple[str, str, str] | None:
        """What the body of ``if test:`` waits for, when ``test`` is about a local variable.

        ``(caller, "callable", ref)`` for ``callable(x)``: the body runs once the variable may
        hold a callable. ``(caller, "some", ref)`` for ``x is not None`` and ``x``: once it may
        hold any value, or (the solver decides) may hold one it does not track, such as True or
        a number; not while each assignment that reaches the test binds None or never runs.
        Or the first such part of a conjunction.
        """
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return self._guard_of(test.left) or self._guard_of(test.right)
        if isinstance(test, cst.Name) and test.value not in ("None", "True", "False"):
            ref = self._local_variable(test)
            return (self.frame.caller, "some", ref) if ref else None
        if isinstance(test, cst.Comparison) and _is_not_none(test):
            ref = self._local_variable(test.left)
            return (self.frame.caller, "some", ref) if ref else None
        if not isinstance(test, cst.Call) or len(test.args) != 1:
            return None
        (argument,) = test.args
        if self._qualified_names(test.func) != {"builtins.callable"}:
            return None
        if argument.keyword or argument.star:
            return None
        ref = self._local_variable(argument.value)
        return (self.frame.caller, "callable", ref) if ref else None

    def _local_variable(self, node: cst.BaseExpression) -> Ref | None:
        """The reference of a variable of the current function that ``node`` reads, if it is one.

        Not a global's, a closure's or a ``nonlocal``: code elsewhere may set those at any time.
        """
        frame = self.frame
        if not isinstance(node, cst.Name) or not frame.is_function:
            return None
        if node.value in frame.declared_global or node.value in frame.declared_nonlocal:
            return None
        ref = self._read(node, keep_fresh=True)
        return ref if ref.startswith(f"v:{frame.qualname}:") else None

    def _for(self, node: cst.For) -> None:
        iterable = self.expression(node.iter)
        item = self._emit(
            "iter", self._temp(), (iterable,), ("async" if node.asynchronous else "",)
        )
        strings = _literal_strings(node.iter)
        if isinstance(node.target, cst.Name) and strings is not None:
            self._loop_constants.append((node.target.value, strings))
        frame = self.frame
        before = {
            name: frame.versions.get(name, f"v:{frame.qualname}:{name}")
            for name in _target_names(node.target)
            if name not in frame.declared_global and name not in frame.declared_nonlocal
        }
        self._assign(node.target, item)
        self._loop(node.body, node.orelse.body if node.orelse else None, before)
        if isinstance(node.target, cst.Name) and strings is not None:
            self._loop_constants.pop()

    def _try(self, node: cst.Try | cst.TryStar) -> None:
        frame = self.frame
        start = dict(frame.versions)
        first = len(frame.created)
        self._suite(node.body)
        after_body = dict(frame.versions)
        states = []
        for handler in node.handlers:
            # a handler may start after any statement of the body: it sees every version made
            frame.versions = dict(start)
            self._merge([start, *({n: v} for n, v in frame.created[first:])])
            if handler.type is not None:
                kinds = self.expression(handler.type)
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    caught = self._emit("annotation", self._temp(), (kinds,))
                    self._bind(handler.name.name, caught)
            self._suite(handler.body)
            states.append(frame.versions)
        frame.versions = after_body
        if node.orelse is not None:
            self._suite(node.orelse.body)
        self._merge([frame.versions, *states])
        if node.finalbody is not None:
            self._suite(node.finalbody.body)

    def _with(self, node: cst.With) -> None:
        kind = "async" if node.asynchronous else ""
        for item in node.items:
            manager = self.expression(item.item)
            entered = self._emit("with", self._temp(), (manager,), (kind,))
            if item.asname is not None:
                self._assign(item.asname.name, entered)
        self._suite(node.body)

    def _match(self, node: cst.Match) -> None:
        self.expression(node.subject)
        start = dict(self.frame.versions)
        states = []
        for case in node.cases:
            self.frame.versions = dict(start)
            if case.guard is not None:
                self.expression(case.guard)
            self._suite(case.body)
            states.append(self.frame.versions)
        self._merge([start, *states])

    # -- imports ---------------------------------------------------------------------------

    def _import(self, node: cst.Import) -> None:
        for alias in node.names:
            path = dotted(alias.name)
            if not path:
                continue
            self.imports.append(ImportFacts(path, self.frame.caller, self.line))
            bound = _asname(alias)
            if bound is not None:
                self._bind(bound, f"i:{path}")
            else:
                head = path.partition(".")[0]
                self._bind_text(head, f"i:{head}")

    def _bind_text(self, name: str, value: Ref) -> None:
        """Bind a name that has no node of its own (``import a.b`` binds ``a``)."""
        frame = self.frame
        if name in frame.declared_global:
            self._write_shared(f"v::{name}", value)
        else:
            self._new_version(name, value)

    def _import_from(self, node: cst.ImportFrom) -> None:
        base = "." * len(node.relative) + (dotted(node.module) if node.module else "")
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(ImportFacts(base, self.frame.caller, self.line, star=True))
            return
        self.imports.append(ImportFacts(base, self.frame.caller, self.line))
        for alias in node.names:
            # ``from pkg import sub`` may import a submodule: record it, the index checks
            name = dotted(alias.name)
            joined = f"{base}.{name}" if not base.endswith(".") else f"{base}{name}"
            self.imports.append(ImportFacts(joined, self.frame.caller, self.line))
            value = self._emit("attr", self._temp(), (f"i:{base}",), (name, STATIC_PATH))
            bound = _asname(alias)
            if bound is not None:
                self._bind(bound, value)
            else:
                self._bind_text(name, value)

    # -- definitions -----------------------------------------------------------------------

    def _function(self, node: cst.FunctionDef) -> None:
        if any(self._is_overload(d.decorator) for d in node.decorators):
            return  # never runs: the implementation that follows rebinds the name
        outer = self.frame
        qualname = outer.prefix(node.name.value)
        decorators = [self.expression(d.decorator) for d in node.decorators]
        texts = {dotted(_decorator_target(d.decorator)) for d in node.decorators}
        parameters = self._parameters(node.params, qualname)
        if node.returns is not None:
            for type_ref in self._annotation(node.returns.annotation):
                self._emit("annotation", f"r:{qualname}", (type_ref,))
        class_qualname = outer.qualname if self._is_class_frame(outer) else None
        is_static = "staticmethod" in texts
        # Python makes these two classmethods without the decorator
        implicit = class_qualname is not None and node.name.value in _IMPLICIT_CLASSMETHODS
        is_classmethod = "classmethod" in texts or implicit
        receiver = parameters.parameters[0] if parameters.parameters else None
        frame = _Frame(
            qualname,
            qualname,
            self.scopes.get(node.params),
            is_function=True,
            class_qualname=class_qualname if not is_static else None,
            receiver=receiver if class_qualname and not is_static else None,
        )
        self._enter(frame)
        self._suite(node.body)
        self.frames.pop()
        self.functions.append(
            replace(
                parameters,
                line=self.lines[node],
                class_qualname=class_qualname,
                is_property=any(_is_property(text) for text in texts),
                is_staticmethod=is_static,
                is_classmethod=is_classmethod,
                is_generator=frame.is_generator,
            )
        )
        self.line = self.lines[node]
        self._bind(node.name, self._decorated(f"d:{qualname}", decorators))

    def _is_overload(self, decorator: cst.BaseExpression) -> bool:
        """``@typing.overload``: a signature for type checkers, not code.

        At run time it gives back a dummy that raises, and the undecorated definition after it
        rebinds the name. Its annotations describe every variant at once, so taking it as the
        function would make each call return every overload's type (``click.command("x")``
        a ``Command`` as well as the decorator it gives).
        """
        found = self._qualified_names(decorator)
        return bool(found) and found <= _OVERLOAD

    def _qualified_names(self, node: cst.BaseExpression) -> set[str]:
        """The dotted names ``node`` may stand for, by where LibCST's scope says it is bound."""
        scope = self.scopes.get(node)
        found = scope.get_qualified_names_for(node) if scope is not None else set()
        return {name.name for name in found}

    def _decorated(self, value: Ref, decorators: Sequence[Ref]) -> Ref:
        for decorator in reversed(decorators):
            value = self._emit("call", self._temp(), (decorator, value), (DECORATION, ""))
        return value

    def _is_class_frame(self, frame: _Frame) -> bool:
        return bool(frame.qualname) and not frame.is_function

    def _parameters(self, params: cst.Parameters, qualname: str) -> FunctionFacts:
        """Evaluate defaults and annotations here (they run at definition time).

        Returns the function's facts as far as its parameters tell; the caller adds the rest.
        """
        positional = [*params.posonly_params, *params.params]
        for param in [*positional, *params.kwonly_params]:
            variable = f"v:{qualname}:{param.name.value}"
            if param.default is not None:
                self._emit("copy", variable, (self.expression(param.default),))
            if param.annotation is not None:
                for type_ref in self._annotation(param.annotation.annotation):
                    self._emit("annotation", variable, (type_ref,))
        star = params.star_arg.name.value if isinstance(params.star_arg, cst.Param) else None
        double = params.star_kwarg.name.value if params.star_kwarg is not None else None
        return FunctionFacts(
            qualname,
            0,
            None,
            parameters=tuple(p.name.value for p in positional),
            keyword_only=tuple(p.name.value for p in params.kwonly_params),
            star=star,
            double_star=double,
        )

    def _base(self, node: cst.BaseExpression) -> Ref:
        """A class base: ``Base[T]`` stands for ``Base`` (``__mro_entries__`` gives its origin)."""
        if isinstance(node, cst.Subscript):
            for element in node.slice:
                self._children(element)
            return self.expression(node.value)
        return self.expression(node)

    def _class(self, node: cst.ClassDef) -> None:
        outer = self.frame
        qualname = outer.prefix(node.name.value)
        decorators = [self.expression(d.decorator) for d in node.decorators]
        bases = tuple(self._base(arg.value) for arg in node.bases if arg.keyword is None)
        for keyword in node.keywords:
            self.expression(keyword.value)
        body = node.body.body
        first = body[0] if body else None
        frame = _Frame(qualname, outer.caller, self.scopes.get(first) if first else None)
        self._enter(frame)
        self._suite(node.body)
        self.frames.pop()
        self.classes.append(ClassFacts(qualname, self.lines[node], bases))
        self.line = self.lines[node]
        if bases:  # making the class runs its bases' ``__init_subclass__``
            self._emit("operator", self._temp(), (f"d:{qualname}",), ("__init_subclass__",))
        decorated = self._decorated(f"d:{qualname}", decorators)
        if decorators:
            # A class decorator gives back the class, or one made from it (``@dataclass``,
            # ``six.add_metaclass``): the name holds the class as well as what it returns.
            self._emit("copy", decorated, (f"d:{qualname}",))
        self._bind(node.name, decorated)

    def _lambda(self, node: cst.Lambda) -> Ref:
        outer = self.frame
        outer.lambdas += 1
        qualname = outer.prefix(f"<lambda{outer.lambdas}>")
        parameters = self._parameters(node.params, qualname)
        frame = _Frame(qualname, qualname, self.scopes.get(node.params), is_function=True)
        self._enter(frame)
        result = self.expression(node.body)
        if result:
            self._emit("copy", f"r:{qualname}", (result,))
        self.frames.pop()
        self.functions.append(
            replace(
                parameters,
                line=self.lines[node],
                is_generator=frame.is_generator,
                is_lambda=True,
            )
        )
        return f"d:{qualname}"

    # -- annotations -----------------------------------------------------------------------

    def _annotation(self, node: cst.BaseExpression) -> list[Ref]:
        """References to the classes an annotation names.

        ``X``, ``"X"``, ``Optional[X]``, ``Union[X, Y]`` and ``X | None`` name their members;
        other generics name the container itself (``MultiDict[str, str]`` is a ``MultiDict``).
        """
        if isinstance(node, cst.SimpleString):  # a forward reference: "Template"
            text = node.evaluated_value
            return self._forward_reference(text) if isinstance(text, str) else []
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return [*self._annotation(node.left), *self._annotation(node.right)]
        if isinstance(node, cst.Subscript):
            base = dotted(node.value).rpartition(".")[2]
            if base in ("Optional", "Union"):
                return [
                    ref
                    for element in node.slice
                    if isinstance(element.slice, cst.Index)
                    for ref in self._annotation(element.slice.value)
                ]
            return self._annotation(node.value)
        if isinstance(node, cst.Name) and node.value == "None":
            return []
        if isinstance(node, (cst.Name, cst.Attribute)):
            return [self.expression(node)]
        return []

    def _forward_reference(self, text: str) -> list[Ref]:
        """A string annotation, resolved like a module-level name."""
        text = text.strip()
        for prefix in ("Optional[", "t.Optional[", "typing.Optional["):
            if text.startswith(prefix) and text.endswith("]"):
                text = text[len(prefix) : -1]
        refs = []
        for member in text.split("[", 1)[0].split("|"):
            parts = member.strip().split(".")
            if not all(part.isidentifier() for part in parts) or parts == ["None"]:
                continue
            ref = self._emit("attr", self._temp(), ("m:",), (parts[0],))
            for part in parts[1:]:
                ref = self._emit("attr", self._temp(), (ref,), (part,))
            refs.append(ref)
        return refs

    # -- expressions -----------------------------------------------------------------------

    def expression(self, node: cst.BaseExpression) -> Ref:
        """Record what evaluating ``node`` does; return where its value lives."""
        if isinstance(node, cst.Name):
            return "" if node.value in ("None", "True", "False") else self._read(node)
        if isinstance(node, cst.Attribute):
            base = self.expression(node.value)
            path = (STATIC_PATH,) if self._is_import_path(node.value) else ()
            return self._emit("attr", self._temp(), (base,), (node.attr.value, *path))
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if isinstance(value, str) and len(value) <= _MAX_CONSTANT and "\n" not in value:
                return f"c:{value}"
            return "l:str"
        if isinstance(node, cst.FormattedString):
            self._formatted(node)
            first = node.parts[0] if node.parts else None
            if isinstance(first, cst.FormattedStringText) and first.value:
                return f"p:{first.value[:_MAX_CONSTANT]}"  # what the string starts with
            return "l:str"
        if isinstance(node, cst.ConcatenatedString):
            self._children(node)
            return "l:str"
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return self._sequence(node)
        if isinstance(node, cst.Dict):
            return self._dict(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, cst.Lambda):
            return self._lambda(node)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._comprehension(node)
        if isinstance(node, cst.BinaryOperation):
            left, right = self.expression(node.left), self.expression(node.right)
            dunder = _OPERATORS.get(type(node.operator), "")
            result = self._emit("operator", self._temp(), (left, right), (dunder,))
            return self._union([result, self._reflected(right, left, dunder)])
        if isinstance(node, cst.BooleanOperation):
            return self._union([self._test(node.left), self.expression(node.right)])
        if isinstance(node, cst.Comparison):
            self._comparison(node)
            return ""
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            self._test(node.expression)
            return ""
        if isinstance(node, cst.IfExp):
            self._test(node.test)
            return self._union([self.expression(node.body), self.expression(node.orelse)])
        if isinstance(node, cst.NamedExpr):
            value = self.expression(node.value)
            self._assign(node.target, value)
            return value
        if isinstance(node, cst.Await):
            return self.expression(node.expression)
        if isinstance(node, cst.Yield):
            return self._yield(node)
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return "l:int"
        self._children(node)
        return ""

    def _test(self, node: cst.BaseExpression) -> Ref:
        """A condition: Python asks its value's truth (``__bool__``, else ``__len__``)."""
        if isinstance(node, cst.BooleanOperation):
            return self._union([self._test(node.left), self._test(node.right)])
        ref = self.expression(node)
        self._special(ref, (), _TRUTH)
        return ref

    def _comparison(self, node: cst.Comparison) -> None:
        """``a < b == c``: each pair runs its special methods; the result is not followed."""
        left = self.expression(node.left)
        for target in node.comparisons:
            right = self.expression(target.comparator)
            operator = type(target.operator)
            if operator in (cst.In, cst.NotIn):
                self._special(right, (left,), _CONTAINMENT)
            elif operator in _COMPARISONS:
                dunders, reflected = _COMPARISONS[operator]
                self._special(left, (right,), dunders)
                self._special(right, (left,), reflected)
            left = right

    def _formatted(self, node: cst.FormattedString) -> None:
        """``f"{a!r:>{width}}"``: formatting runs a special method of each value."""
        for part in node.parts:
            if not isinstance(part, cst.FormattedStringExpression):
                continue
            value = self.expression(part.expression)
            self._special(value, (), _CONVERSIONS.get(part.conversion or "", _FORMATTING))
            if part.format_spec:
                for piece in part.format_spec:
                    self._children(piece)

    def _special(self, receiver: Ref, others: tuple[Ref, ...], dunders: tuple[str, ...]) -> None:
        """The interpreter runs the first of ``dunders`` defined on what ``receiver`` holds.

        Only for a variable or a computed value: a constant or literal is never an instance of
        an analyzed class.
        """
        if receiver.startswith(("v:", "t:")):
            self._emit("operator", self._temp(), (receiver, *others), dunders)

    def _children(self, node: cst.CSTNode) -> None:
        """Walk the expressions inside a node we model no further (calls in f-strings ...)."""
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.expression(child)
            else:
                self._children(child)

    def _call(self, node: cst.Call) -> Ref:
        func = node.func
        line = self.lines[node]
        if self._is_super(func) and self.frame.class_qualname:
            receiver = self._receiver()
            self._children(node)
            return self._emit(
                "super", self._temp(), (receiver,), (self.frame.class_qualname,), line=line
            )
        attribute = func.attr.value if isinstance(func, cst.Attribute) else ""
        if attribute == "update" and self._update_literal(node):
            return ""
        callee = self.expression(func)
        args, kinds = [callee], [attribute]
        for arg in node.args:
            args.append(self.expression(arg.value))
            if arg.keyword is not None:
                kinds.append(arg.keyword.value)
            else:
                kinds.append(arg.star)  # "", "*" or "**"
        last = func.attr.value if isinstance(func, cst.Attribute) else dotted(func)
        if last in _WATCHED_CALLS:
            self._watch(node, line)
        return self._emit("call", self._temp(), args, kinds, line=line)

    def _update_literal(self, node: cst.Call) -> bool:
        """``d.update({"a": f})`` on a literal ``d`` alone holds: a strong update per key."""
        func = node.func
        assert isinstance(func, cst.Attribute)
        if not isinstance(func.value, cst.Name) or len(node.args) != 1 or node.args[0].keyword:
            return False
        if self.frame.versions.get(func.value.value, "") not in self._fresh:
            return False
        if node.args[0].star or not isinstance(node.args[0].value, cst.Dict):
            return False
        update = self.expression(node.args[0].value)
        _kind, items, keys = self._literals[update]
        if not all(keys) or "*" in keys or "**" in keys:
            return False
        for ref, key in zip(items, keys, strict=True):
            if not self._strong_update(func.value, key, ref):
                return False
        return True

    def _is_super(self, func: cst.BaseExpression) -> bool:
        if not isinstance(func, cst.Name) or func.value != "super":
            return False
        scope = self.scopes.get(func)
        assignments = scope["super"] if scope is not None else set()
        return all(isinstance(a, BuiltinAssignment) for a in assignments)

    def _receiver(self) -> Ref:
        """The method's first parameter (what ``super()`` binds to)."""
        frame = next((f for f in reversed(self.frames) if f.receiver), self.frame)
        name = frame.receiver or ""
        if frame is self.frame and name in frame.versions:
            return frame.versions[name]
        return f"v:{frame.qualname}:{name}"

    def _watch(self, node: cst.Call, line: int) -> None:
        """Record dynamic features: ``eval``, computed imports and computed ``getattr``."""
        texts = self._qualified_names(node.func)
        caller = self.frame.caller
        if texts & _DYNAMIC_CALLS:
            self.dynamic.append((caller, f"{sorted(texts & _DYNAMIC_CALLS)[0][9:]} at line {line}"))
        if texts & _IMPORT_CALLS:
            constant = _constant_argument(node, 0)
            targets = (constant,) if constant is not None else self._loop_values(node)
            if targets is None:
                self.dynamic.append((caller, f"import of a computed module name at line {line}"))
            for target in targets or ():
                self.imports.append(ImportFacts(target, caller, line))
        if "builtins.getattr" in texts and _constant_argument(node, 1) is None:
            self.dynamic.append((caller, f"getattr with a computed name at line {line}"))

    def _loop_values(self, node: cst.Call) -> tuple[str, ...] | None:
        """The strings a loop variable argument takes: ``for m in ("a", "b"): import_module(m)``."""
        value = node.args[0].value if node.args else None
        if not isinstance(value, cst.Name):
            return None
        for variable, strings in reversed(self._loop_constants):
            if variable == value.value:
                return strings
        return None

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> Ref:
        kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[type(node)]
        args, keys = [], [kind]
        starred = False
        for index, element in enumerate(node.elements):
            args.append(self.expression(element.value))
            if isinstance(element, cst.StarredElement):
                starred = True
                keys.append("**")
            else:
                keys.append("*" if starred or kind == "set" else repr(index))
        return self._literal(kind, args, keys[1:])

    def _dict(self, node: cst.Dict) -> Ref:
        args, keys = [], ["dict"]
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = _constant_key(element.key)
                if not key:
                    self.expression(element.key)
                args.append(self.expression(element.value))
                keys.append(key or "*")
            else:
                args.append(self.expression(element.value))
                keys.append("**")
        return self._literal("dict", args, keys[1:])

    def _literal(self, kind: str, items: Sequence[Ref], keys: Sequence[str]) -> Ref:
        """A container literal: its items are remembered while a local name holds it alone."""
        temp = self._emit("container", self._temp(), items, (kind, *keys))
        self._literals[temp] = (kind, tuple(items), tuple(keys))
        return temp

    def _replaced(self, literal: Ref, key: str, value: Ref) -> Ref:
        """A copy of a literal with the item at ``key`` replaced (a strong update)."""
        kind, items, keys = self._literals[literal]
        kept = [(ref, k) for ref, k in zip(items, keys, strict=True) if k != key]
        kept.append((value, key))
        return self._literal(kind, [ref for ref, _ in kept], [k for _, k in kept])

    def _strong_update(self, base: cst.BaseExpression, key: str, value: Ref) -> bool:
        """A strong update: ``d["a"] = v`` where ``d`` alone holds a literal made here.

        Also ``d["a"]["b"] = v``: later reads of ``d`` see ``v`` at that key, and only ``v``.

        Any other use of ``d`` (passed on, aliased, a method called) ends this: from then on
        stores add to what the object holds, as everywhere else.
        """
        path: list[str] = []
        node = base
        while isinstance(node, cst.Subscript):
            inner = self._constant_subscript(node)
            if not inner:
                return False
            path.insert(0, inner)
            node = node.value
        if not isinstance(node, cst.Name) or not key:
            return False
        version = self.frame.versions.get(node.value, "")
        literals = [self._fresh.get(version, "")]
        for step in path:
            _kind, items, keys = self._literals.get(literals[-1], ("", (), ()))
            found = [ref for ref, k in zip(items, keys, strict=True) if k == step]
            if len(found) != 1 or found[0] not in self._literals:
                return False
            literals.append(found[0])
        if not literals[0]:
            return False
        new = self._replaced(literals[-1], key, value)
        for literal, step in zip(reversed(literals[:-1]), reversed(path), strict=True):
            new = self._replaced(literal, step, new)
        self._new_version(node.value, new)
        return True

    def _constant_subscript(self, node: cst.Subscript) -> str:
        elements = node.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            return _constant_key(elements[0].slice.value)
        return ""

    def _key(self, elements: Sequence[cst.SubscriptElement]) -> str:
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            index = elements[0].slice.value
            key = _constant_key(index)
            if not key:
                self.expression(index)
            return key
        for element in elements:
            self._children(element)
        return ""

    def _subscript(self, node: cst.Subscript) -> Ref:
        if isinstance(node.value, cst.Name):  # reading an item does not let the literal escape
            base = self._read(node.value, keep_fresh=True)
        else:
            base = self.expression(node.value)
        elements = node.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Slice):
            part = elements[0].slice
            bounds = []
            for bound in (part.lower, part.upper):
                key = _constant_key(bound) if bound is not None else "None"
                if bound is not None and not key:
                    self.expression(bound)
                bounds.append(key)
            if part.step is not None:
                self.expression(part.step)
                bounds = ["", ""]
            return self._emit("slice", self._temp(), (base,), tuple(bounds))
        return self._emit("sub", self._temp(), (base,), (self._key(elements),))

    def _comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp
    ) -> Ref:
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            iterable = self.expression(clause.iter)
            kind = "async" if clause.asynchronous else ""
            item = self._emit("iter", self._temp(), (iterable,), (kind,))
            self._assign(clause.target, item)
            for condition in clause.ifs:
                self._test(condition.test)
            clause = clause.inner_for_in
        if isinstance(node, cst.DictComp):
            self.expression(node.key)
            element = self.expression(node.value)
        else:
            element = self.expression(node.elt)
        kind = "dict" if isinstance(node, cst.DictComp) else "list"
        return self._emit("container", self._temp(), (element,), (kind, "*"))

    def _yield(self, node: cst.Yield) -> Ref:
        frame = self.frame
        frame.is_generator = True
        value = node.value
        if isinstance(value, cst.From):
            source = self.expression(value.item)
            item = self._emit("iter", self._temp(), (source,), ("",))
            self._emit("copy", f"y:{frame.qualname}", (item,))
        elif value is not None:
            self._emit("copy", f"y:{frame.qualname}", (self.expression(value),))
        return ""


class _AssignedNames(cst.CSTVisitor):
    """Names a block binds, not looking into nested functions, classes or lambdas."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, None] = {}

    def visit_Name(self, node: cst.Name) -> None:
        pass

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.add_targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.add_targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.add_targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.add_targets(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.add_targets(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.add_targets(node.target)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.add_targets(node.name.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        bound = _asname(node)
        self.names[bound.value if bound else dotted(node.name).partition(".")[0]] = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names[node.name.value] = None
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names[node.name.value] = None
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        return False

    def add_targets(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.names[node.value] = None
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self.add_targets(element.value)
        elif isinstance(node, cst.StarredElement):
            self.add_targets(node.value)


def _target_names(target: cst.BaseExpression) -> list[str]:
    """The names an assignment target binds (``x``, ``a, *b``; not ``self.x`` or ``d[k]``)."""
    collector = _AssignedNames()
    collector.add_targets(target)
    return list(collector.names)


def _assigned_names(block: cst.BaseSuite) -> list[str]:
    collector = _AssignedNames()
    block.visit(collector)
    return list(collector.names)


def _unversioned(ref: Ref, shared: set[str]) -> Ref:
    if ref.startswith("v:") and "@" in ref:
        variable = ref.rpartition("@")[0]
        if variable in shared:
            return variable
    return ref


def _all(refs: tuple[Ref, ...], shared: set[str]) -> tuple[Ref, ...]:
    return tuple(_unversioned(ref, shared) for ref in refs)


_OVERLOAD = frozenset({"typing.overload", "typing_extensions.overload"})


def _decorator_target(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.func if isinstance(node, cst.Call) else node


def _is_property(text: str) -> bool:
    last = text.rpartition(".")[2]
    return text == "property" or last in ("setter", "getter", "deleter", "cached_property")


def _asname(alias: cst.ImportAlias) -> cst.Name | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name
    return None


def _constant_key(node: cst.BaseExpression | None) -> str:
    """The ``repr`` of a constant subscript or dict key (``'a'``, ``1``, ``-1``), else ``""``."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return repr(value) if isinstance(value, str) and len(value) <= _MAX_CONSTANT else ""
    if isinstance(node, cst.Integer):
        return repr(int(node.value)) if node.value.isdigit() else ""
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, cst.Integer)
        and node.expression.value.isdigit()
    ):
        return repr(-int(node.expression.value))
    return ""


def _literal_strings(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The values of a tuple or list made only of string literals, else None."""
    if not isinstance(node, (cst.Tuple, cst.List)):
        return None
    values = []
    for element in node.elements:
        if not isinstance(element.value, cst.SimpleString):
            return None
        evaluated = element.value.evaluated_value
        if not isinstance(evaluated, str):
            return None
        values.append(evaluated)
    return tuple(values)


def _constant_argument(node: cst.Call, index: int) -> str | None:
    if len(node.args) <= index:
        return None
    value = node.args[index].value
    if isinstance(value, cst.SimpleString):
        evaluated = value.evaluated_value
        return evaluated if isinstance(evaluated, str) else None
    return None


def _is_not_none(test: cst.Comparison) -> bool:
    """Whether ``test`` is ``x is not None``."""
    if len(test.comparisons) != 1:
        return False
    (comparison,) = test.comparisons
    comparator = comparison.comparator
    return (
        isinstance(comparison.operator, cst.IsNot)
        and isinstance(comparator, cst.Name)
        and comparator.value == "None"
    )
