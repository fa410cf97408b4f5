"""Resolution rules: what a name at a call site refers to, and what calling it runs.

Each rule is a small function. Values are what an expression evaluates to, as far as we can tell
statically: a module, a class, an instance of a class, a function, a builtin, or something outside
the analyzed code (``External``, named by its import path). ``None`` means "cannot tell": the
caller then records the site as unresolved, which makes verdicts ``unknown`` rather than
``not-reachable`` (see ``docs/reachability.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reachability.facts import Name
from reachability.program import Program

__all__ = [
    "Builtin",
    "ClassValue",
    "External",
    "FunctionValue",
    "Instance",
    "ModuleValue",
    "OneOf",
    "Resolver",
    "Value",
    "alternatives",
    "one_of",
]


@dataclass(frozen=True)
class ModuleValue:
    """An analyzed module."""

    name: str


@dataclass(frozen=True)
class ClassValue:
    """An analyzed class."""

    name: str


@dataclass(frozen=True)
class Instance:
    """An instance of an analyzed class."""

    name: str


@dataclass(frozen=True)
class FunctionValue:
    """An analyzed function or method."""

    name: str


@dataclass(frozen=True)
class Builtin:
    """A builtin such as ``print``; its graph name is ``<builtin>.print``."""

    name: str


@dataclass(frozen=True)
class External:
    """Something outside the analyzed code, named by its dotted import path."""

    name: str


@dataclass(frozen=True)
class OneOf:
    """Several possible values of one name; never nested.

    A variable annotated as one type and assigned another (``request: Request =
    LocalProxy(...)``), or assigned different types.
    """

    members: tuple[ModuleValue | ClassValue | Instance | FunctionValue | Builtin | External, ...]


Value = ModuleValue | ClassValue | Instance | FunctionValue | Builtin | External | OneOf


def alternatives(value: Value) -> tuple[Value, ...]:
    """The values ``value`` may be: its members for :class:`OneOf`, else itself."""
    return value.members if isinstance(value, OneOf) else (value,)


def one_of(values: list[Value | None]) -> Value | None:
    """Combine possible values: None when none is known, the value when only one is."""
    flat = list(dict.fromkeys(m for v in values if v is not None for m in alternatives(v)))
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return OneOf(tuple(flat))  # type: ignore[arg-type]


_MAX_DEPTH = 12  # alias chains and re-exports deeper than this are given up on

_EMPTY_BASES = frozenset(
    {"typing.Generic", "typing.Protocol", "typing_extensions.Protocol", "abc.ABC", "object"}
)
"""External bases that give instances no attributes of their own (a class whose only external
base is ``Generic[T]`` still lacks every attribute it does not define)."""


class Resolver:
    """Resolves names against a :class:`Program`."""

    def __init__(self, program: Program) -> None:
        self.program = program
        # Memo tables. An entry is set to None before it is computed, so a cycle (``a = b()``,
        # ``b = a()``, or a module re-exporting itself) resolves to "cannot tell" instead of
        # recursing, and no name is resolved twice.
        self._names: dict[tuple[Name, str], Value | None] = {}
        self._typed: dict[tuple[str, str], Value | None] = {}
        self._mros: dict[str, list[ClassValue | External]] = {}
        self._descendants: dict[str, list[str]] | None = None
        self._hooks: dict[tuple[Value, str], list[str]] = {}
        self._overrides: dict[tuple[str, str], list[FunctionValue]] = {}

    # -- names -----------------------------------------------------------------------------

    def resolve_name(self, name: Name, module: str, depth: int = 0) -> Value | None:
        """What a LibCST qualified name, seen in ``module``, refers to."""
        key = (name, module)
        if key in self._names:
            return self._names[key]
        self._names[key] = None
        value = self._resolve_name(name, module, depth)
        self._names[key] = value
        return value

    def _resolve_name(self, name: Name, module: str, depth: int) -> Value | None:
        if depth > _MAX_DEPTH:
            return None
        if name.source == "builtin":
            return Builtin(name.text.removeprefix("builtins."))
        if name.source == "import":
            return self.resolve_dotted(self.program.absolute(name.text, module), depth + 1)
        return self._resolve_local(name.text, module, depth)

    def resolve_dotted(self, dotted: str, depth: int = 0) -> Value | None:
        """Resolve an absolute dotted path through modules, re-exports and class members."""
        prefix = self.program.longest_module_prefix(dotted)
        if prefix is None:
            return External(dotted)
        value: Value | None = ModuleValue(prefix)
        for attribute in _split(dotted, prefix):
            if value is None:
                return None
            value = self.member(value, attribute, depth + 1)
        return value

    def _resolve_local(self, text: str, module: str, depth: int) -> Value | None:
        """``outer.<locals>.s.get`` -> look ``s`` up in scope ``outer`` of ``module``."""
        if text.startswith("<locals>."):
            return None  # a lambda's parameter: nothing known about it
        *scopes, chain = text.split(".<locals>.")
        parts = [part for part in chain.split(".") if part != "<comprehension>"]
        scope = ".".join(scopes)
        value = self._local_head(parts[0], scope, module, depth)
        for attribute in parts[1:]:
            if value is None:
                return None
            value = self.member(value, attribute, depth + 1)
        return value

    def _local_head(self, head: str, scope: str, module: str, depth: int) -> Value | None:
        """Rules for the first name of a local chain, in order."""
        defined = self._defined_in_scope(head, scope, module)
        if defined is not None:
            return defined
        receiver = self._method_receiver(head, scope, module)
        if receiver is not None:
            return receiver
        scope_name = f"{module}.{scope}" if scope else module
        typed = self.typed_variable(scope_name, head, module, depth)
        if typed is not None:
            return typed
        if not scope:
            return self.member(ModuleValue(module), head, depth + 1)
        return None

    def _defined_in_scope(self, head: str, scope: str, module: str) -> Value | None:
        """A function or class defined in ``scope`` (or the module) under that name."""
        qualified = f"{module}.{scope}.{head}" if scope else f"{module}.{head}"
        if qualified in self.program.functions:
            return FunctionValue(qualified)
        if qualified in self.program.classes:
            return ClassValue(qualified)
        return None

    def _method_receiver(self, head: str, scope: str, module: str) -> Value | None:
        """``self`` (an instance) or ``cls`` (the class) of a method: its first parameter."""
        function = self.program.functions.get(f"{module}.{scope}")
        if function is None or function.class_qualname is None or function.is_staticmethod:
            return None
        if head != function.first_parameter:
            return None
        klass = f"{module}.{function.class_qualname}"
        is_classmethod = any(
            name.text == "builtins.classmethod" for names in function.decorators for name in names
        )
        return ClassValue(klass) if is_classmethod else Instance(klass)

    def typed_variable(
        self, scope_name: str, variable: str, module: str, depth: int
    ) -> Value | None:
        """A variable whose type we know from a constructor call or an annotation."""
        key = (scope_name, variable)
        if key in self._typed:
            return self._typed[key]
        self._typed[key] = None
        found = one_of(
            [
                self.instance_of(self.resolve_name(type_name, module, depth + 1), depth)
                for type_name in dict.fromkeys(self.program.variable_types.get(key, ()))
            ]
        )
        self._typed[key] = found
        return found

    def instance_of(self, value: Value | None, depth: int = 0) -> Value | None:
        """What calling ``value`` gives: an instance of a class, or a function's return type."""
        if isinstance(value, OneOf):
            return one_of([self.instance_of(member, depth) for member in value.members])
        if isinstance(value, ClassValue):
            return Instance(value.name)
        if isinstance(value, FunctionValue):
            return self.returned(value, depth)
        if isinstance(value, External):
            return value  # an external call's result is named after the call
        return None

    def returned(self, function: FunctionValue, depth: int = 0) -> Value | None:
        """The instance a function returns, from its return annotation."""
        facts = self.program.functions[function.name]
        module = self.program.function_module[function.name]
        for type_name in facts.returns:
            value = self.resolve_name(type_name, module, depth + 1)
            if isinstance(value, ClassValue):
                return Instance(value.name)
            if isinstance(value, External):
                return value
        return None

    # -- members ---------------------------------------------------------------------------

    def member(self, value: Value, attribute: str, depth: int = 0) -> Value | None:
        """``value.attribute``."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(value, OneOf):
            return one_of([self.member(m, attribute, depth + 1) for m in value.members])
        if isinstance(value, ModuleValue):
            return self._module_member(value.name, attribute, depth)
        if isinstance(value, Instance):
            member = self.class_member(value.name, attribute, depth)
            if (
                isinstance(member, FunctionValue)
                and self.program.functions[member.name].is_property
            ):
                return self.returned(member, depth)  # reading a property gives what it returns
            return member
        if isinstance(value, ClassValue):
            return self.class_member(value.name, attribute, depth, instance=False)
        if isinstance(value, External):
            return External(f"{value.name}.{attribute}")
        return None

    def _module_member(self, module: str, attribute: str, depth: int) -> Value | None:
        program = self.program
        qualified = f"{module}.{attribute}"
        if qualified in program.functions:
            return FunctionValue(qualified)
        if qualified in program.classes:
            return ClassValue(qualified)
        if qualified in program.modules:
            return ModuleValue(qualified)
        for target in program.aliases.get(qualified, ()):
            value = self.resolve_name(target, module, depth + 1)
            if value is not None:
                return value
        typed = self.typed_variable(module, attribute, module, depth)
        if typed is not None:
            return typed
        for star in program.star_imports.get(module, ()):
            if star in program.modules:
                found = self._module_member(star, attribute, depth + 1)
            else:
                found = None
            if found is not None:
                return found
        return None

    def class_member(
        self,
        class_name: str,
        attribute: str,
        depth: int = 0,
        *,
        instance: bool = True,
        skip_empty_bases: bool = False,
    ) -> Value | None:
        """Look ``attribute`` up along the bases of ``class_name`` (its MRO).

        An external base ends the search with an :class:`External` member, unless
        ``skip_empty_bases`` and the base is one of :data:`_EMPTY_BASES`.
        """
        for klass in self.mro(class_name):
            if isinstance(klass, External):
                if skip_empty_bases and klass.name in _EMPTY_BASES:
                    continue
                return External(f"{klass.name}.{attribute}")
            qualified = f"{klass.name}.{attribute}"
            if qualified in self.program.functions:
                return FunctionValue(qualified)
            if qualified in self.program.classes:
                return ClassValue(qualified)
            module = self.program.class_module[klass.name]
            for target in self.program.aliases.get(qualified, ()):
                value = self.resolve_name(target, module, depth + 1)
                if value is not None:
                    return value
            if instance and (klass.name, attribute) in self.program.variable_types:
                typed = self.typed_variable(klass.name, attribute, module, depth)
                if typed is not None:
                    return typed
        return None

    def mro(self, class_name: str) -> list[ClassValue | External]:
        """The method resolution order: C3 linearization, as Python computes it.

        Bases outside the analyzed code end their branch. Where C3 has no solution (Python
        would refuse the class) the bases are taken depth first, left to right.
        """
        if class_name not in self._mros:
            self._mros[class_name] = []  # a cycle of bases resolves to nothing further
            self._mros[class_name] = self._c3(class_name) or self._depth_first_bases(class_name)
        return self._mros[class_name]

    def _bases(self, class_name: str) -> list[ClassValue | External]:
        facts = self.program.classes[class_name]
        module = self.program.class_module[class_name]
        return [
            base
            for names in facts.bases
            for base in _resolved(self, names, module)
            if isinstance(base, (ClassValue, External))
        ]

    def _c3(self, class_name: str) -> list[ClassValue | External] | None:
        bases = self._bases(class_name)
        sequences = [
            list(self.mro(base.name)) if isinstance(base, ClassValue) else [base] for base in bases
        ]
        sequences.append(list(bases))
        result: list[ClassValue | External] = [ClassValue(class_name)]
        while any(sequences):
            for sequence in sequences:
                if not sequence:
                    continue
                head = sequence[0]
                if not any(head in other[1:] for other in sequences):
                    break
            else:
                return None
            result.append(head)
            for other in sequences:
                if other and other[0] == head:
                    del other[0]
        return result

    def subclasses_defining(self, class_name: str, attribute: str) -> list[FunctionValue]:
        """Overrides of ``attribute`` in analyzed subclasses of ``class_name``.

        ``self.step()`` in a base class may run any subclass's ``step`` (template methods,
        mixins): this rule adds those, erring toward more edges.
        """
        key = (class_name, attribute)
        if key not in self._overrides:
            self._overrides[key] = self._subclasses_defining(class_name, attribute)
        return self._overrides[key]

    def _subclasses_defining(self, class_name: str, attribute: str) -> list[FunctionValue]:
        if self._descendants is None:
            self._descendants = {}
            for name in self.program.classes:
                for ancestor in self.mro(name)[1:]:
                    if isinstance(ancestor, ClassValue):
                        self._descendants.setdefault(ancestor.name, []).append(name)
        found = []
        for name in self._descendants.get(class_name, ()):
            member = self.class_member(name, attribute)
            if isinstance(member, FunctionValue) and member.name.rpartition(".")[0] != class_name:
                found.append(member)
        return found

    def _depth_first_bases(self, class_name: str) -> list[ClassValue | External]:
        order: list[ClassValue | External] = []
        seen: set[str] = set()

        def visit(name: str, depth: int) -> None:
            if name in seen or depth > _MAX_DEPTH:
                return
            seen.add(name)
            order.append(ClassValue(name))
            for base in self._bases(name):
                if isinstance(base, ClassValue):
                    visit(base.name, depth + 1)
                elif base.name not in seen:
                    seen.add(base.name)
                    order.append(base)

        visit(class_name, 0)
        return order

    # -- calls -----------------------------------------------------------------------------

    def callees(self, value: Value) -> list[str]:
        """The graph names that calling ``value`` runs."""
        if isinstance(value, OneOf):
            return [name for member in value.members for name in self.callees(member)]
        if isinstance(value, FunctionValue):
            return [value.name]
        if isinstance(value, Builtin):
            return [f"<builtin>.{value.name}"]
        if isinstance(value, External):
            return [value.name]
        if isinstance(value, ClassValue):
            return self.dunders(value.name, ("__new__", "__init__"))
        if isinstance(value, Instance):
            return self.dunders(value.name, ("__call__",))
        return []

    def lookup_hooks(self, receiver: Value, attribute: str) -> list[str]:
        """Code that merely looking up ``receiver.attribute`` runs, besides a property getter.

        A descriptor's ``__get__``: the member is a method decorated with an analyzed class
        that has ``__get__`` (``@cached_property`` from werkzeug or Django), or an attribute
        holding an instance of one (class and instance attributes are not told apart here, so
        an instance attribute holding such an object also counts: more edges, not fewer).

        And ``__getattr__`` when neither the class nor any ``self.x = ...`` gives instances the
        attribute: a method, or a descriptor instance (werkzeug's ``LocalProxy``), whose
        ``__get__`` and ``__call__`` then run.
        """
        key = (receiver, attribute)
        if key not in self._hooks:
            self._hooks[key] = self._lookup_hooks(receiver, attribute)
        return self._hooks[key]

    def _lookup_hooks(self, receiver: Value, attribute: str) -> list[str]:
        hooks: list[str] = []
        for candidate in alternatives(receiver):
            if not isinstance(candidate, Instance):
                continue
            member = self.class_member(candidate.name, attribute, skip_empty_bases=True)
            if member is None and not self._assigns(candidate.name, attribute):
                fallback = self.class_member(candidate.name, "__getattr__", skip_empty_bases=True)
                if isinstance(fallback, FunctionValue):
                    hooks.append(fallback.name)
                for held in alternatives(fallback) if fallback is not None else ():
                    if isinstance(held, Instance):
                        hooks += self.dunders(held.name, ("__get__", "__call__"))
                continue
            for held in alternatives(member) if member is not None else ():
                if isinstance(held, FunctionValue):
                    hooks += self._decorator_getters(held.name)
                elif isinstance(held, Instance):  # a descriptor held as a class attribute
                    hooks += self.dunders(held.name, ("__get__",))
        return list(dict.fromkeys(hooks))

    def _assigns(self, class_name: str, attribute: str) -> bool:
        """Whether some class of the MRO gives its instances ``attribute`` (typed or not)."""
        return any(
            isinstance(klass, ClassValue)
            and attribute in self.program.assigned_attributes.get(klass.name, ())
            for klass in self.mro(class_name)
        )

    def _decorator_getters(self, function: str) -> list[str]:
        facts = self.program.functions[function]
        module = self.program.function_module[function]
        getters: list[str] = []
        for names in facts.decorators:
            for value in _resolved(self, names, module):
                if isinstance(value, ClassValue):
                    getters += self.dunders(value.name, ("__get__",))
        return getters

    def dunders(self, class_name: str, names: tuple[str, ...]) -> list[str]:
        """The analyzed methods among ``names`` that ``class_name`` has (own or inherited)."""
        found = []
        for dunder in names:
            member = self.class_member(class_name, dunder)
            if isinstance(member, FunctionValue):
                found.append(member.name)
        return found


def _split(dotted: str, prefix: str) -> list[str]:
    rest = dotted[len(prefix) :].lstrip(".")
    return rest.split(".") if rest else []


def _resolved(resolver: Resolver, names: tuple[Name, ...], module: str) -> Iterator[Value]:
    for name in names:
        value = resolver.resolve_name(name, module)
        if value is not None:
            yield value
