"""Build the call graph: a ``networkx.DiGraph`` of fully-qualified functions and modules.

Nodes are analyzed functions (``pkg.mod.Class.method``), analyzed modules (their top-level code,
named by the module), builtins (``<builtin>.print``) and external names (``requests.get``).
Edges carry the ``path``, ``line`` and ``column`` of the call site. Sites that could not be
resolved are kept per caller in the node attribute ``unresolved`` (the attribute names called on
receivers of unknown type), so that queries can say ``unknown`` instead of ``not-reachable``.
"""

from __future__ import annotations

import networkx as nx

from reachability.facts import MAIN_BLOCK, CallSite, ModuleFacts, Name
from reachability.program import Program
from reachability.resolve import (
    ClassValue,
    FunctionValue,
    Instance,
    Resolver,
    Value,
    alternatives,
)

__all__ = ["build_graph", "caller_node"]


def caller_node(module: str, caller: str) -> str:
    """The graph node of a caller: the function, or the module for top-level code."""
    return f"{module}.{caller}" if caller else module


def build_graph(program: Program) -> nx.DiGraph[str]:
    """Resolve every site of every module in ``program`` into edges."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    resolver = Resolver(program)
    for module, facts in program.modules.items():
        graph.add_node(module, kind="module", path=facts.path, line=1, module=module)
        if facts.main_block:
            graph.add_node(
                caller_node(module, MAIN_BLOCK),
                kind="main-block",
                path=facts.path,
                line=facts.main_block,
                module=module,
            )
        for function in facts.functions:
            graph.add_node(
                f"{module}.{function.qualname}",
                kind="function",
                path=facts.path,
                line=function.line,
                module=module,
            )
    for facts in program.modules.values():
        _add_import_edges(graph, program, facts)
        for site in facts.sites:
            _add_site(graph, resolver, facts, site)
    return graph


def _add_edge(
    graph: nx.DiGraph[str], source: str, target: str, facts: ModuleFacts, line: int
) -> None:
    if target not in graph:
        graph.add_node(target, kind="builtin" if target.startswith("<builtin>.") else "external")
    if not graph.has_edge(source, target):
        graph.add_edge(source, target, path=facts.path, line=line)


def _add_import_edges(graph: nx.DiGraph[str], program: Program, facts: ModuleFacts) -> None:
    """Importing an analyzed module runs its top-level code (and its parent packages')."""
    for record in facts.imports:
        target = program.absolute(record.module, facts.module)
        source = caller_node(facts.module, record.caller)
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            if module in program.modules and module != facts.module:
                _add_edge(graph, source, module, facts, record.line)


def _add_site(
    graph: nx.DiGraph[str], resolver: Resolver, facts: ModuleFacts, site: CallSite
) -> None:
    source = caller_node(facts.module, site.caller)
    targets, unresolved = _site_targets(resolver, facts, site)
    for target in targets:
        _add_edge(graph, source, target, facts, site.line)
    if unresolved:
        key = "unresolved_reads" if site.kind == "attribute" else "unresolved"
        graph.nodes[source].setdefault(key, set()).add(unresolved)


def _site_targets(
    resolver: Resolver, facts: ModuleFacts, site: CallSite
) -> tuple[list[str], str | None]:
    """The callees of one site, and the attribute called (or read) when it was not resolved."""
    module = facts.module
    if site.kind == "decorated":
        function = f"{module}.{site.names[0].text}"
        if _only_pass_through_decorators(resolver, module, function):
            return [], None
        return [function], None
    if site.kind == "super":
        return _super_call(resolver, facts, site), None
    if site.kind == "attribute":
        return _property_reads(resolver, facts, site), _unknown_receiver_read(resolver, facts, site)
    values = [resolver.resolve_name(name, module) for name in site.names]
    known = [m for value in values if value is not None for m in alternatives(value)]
    if not known:
        overrides = _overrides(resolver, facts, site) if site.kind == "call" else []
        return overrides, None if overrides else _attribute_of(site)
    targets: list[str] = []
    for value in known:
        targets.extend(_targets_for(resolver, site, value))
    if site.kind == "call":
        targets.extend(_overrides(resolver, facts, site))
        targets.extend(_lookup_hooks(resolver, facts, site))
    return targets, None


PASS_THROUGH_DECORATORS = frozenset(
    {
        "abc.abstractmethod",
        "contextlib.asynccontextmanager",
        "contextlib.contextmanager",
        "functools.cache",
        "functools.lru_cache",
        "functools.wraps",
        "typing.final",
        "typing.overload",
        "typing_extensions.final",
        "typing_extensions.overload",
    }
)
"""Decorators that wrap or mark a function without calling or registering it."""


def _only_pass_through_decorators(resolver: Resolver, module: str, function: str) -> bool:
    """Whether no decorator of ``function`` could call it or hand it on."""
    facts = resolver.program.functions.get(function)
    if facts is None or not facts.decorators:
        return False
    return all(
        _passes_through(resolver, name, module) for names in facts.decorators for name in names
    )


def _passes_through(resolver: Resolver, name: Name, module: str) -> bool:
    """Whether the decorator ``name`` neither calls nor keeps the function it decorates.

    True for a known wrapper, or for analyzed functions that only return their argument
    (:attr:`reachability.facts.FunctionFacts.returns_argument`).
    """
    if name.source == "builtin" or name.text in PASS_THROUGH_DECORATORS:
        return True
    value = resolver.resolve_name(name, module)
    if value is None:
        return False
    for candidate in alternatives(value):
        if not isinstance(candidate, FunctionValue):
            return False
        decorator = resolver.program.functions.get(candidate.name)
        if decorator is None or not decorator.returns_argument:
            return False
    return True


def _overrides(resolver: Resolver, facts: ModuleFacts, site: CallSite) -> list[str]:
    """For ``self.method()``, the overrides in subclasses of the enclosing class."""
    function = resolver.program.functions.get(f"{facts.module}.{site.caller}")
    if function is None or function.class_qualname is None or function.first_parameter is None:
        return []
    chain = site.names[0].text.rpartition("<locals>.")[2].split(".")
    if len(chain) != 2 or chain[0] != function.first_parameter:
        return []
    own = f"{facts.module}.{function.class_qualname}"
    return [value.name for value in resolver.subclasses_defining(own, chain[1])]


def _targets_for(resolver: Resolver, site: CallSite, value: Value) -> list[str]:
    if site.kind in ("call", "decorator"):
        return resolver.callees(value)
    if site.kind == "call-result":
        result = resolver.instance_of(value)
        member = resolver.member(result, site.attribute) if result is not None else None
        return resolver.callees(member) if member is not None else []
    if site.kind == "reference":
        return [value.name] if isinstance(value, FunctionValue) else []
    instance = value if isinstance(value, Instance) else resolver.instance_of(value)
    if not isinstance(instance, Instance):
        return []
    if site.kind in ("with", "iter"):
        return resolver.dunders(instance.name, _PROTOCOLS[site.kind, site.attribute == "async"])
    return resolver.dunders(instance.name, (site.attribute,))  # operator


_PROTOCOLS = {
    ("with", False): ("__enter__", "__exit__"),
    ("with", True): ("__aenter__", "__aexit__"),
    ("iter", False): ("__iter__", "__next__"),
    ("iter", True): ("__aiter__", "__anext__"),
}
"""The special methods ``with``/``for`` (and ``async with``/``async for``) call."""


def _property_reads(resolver: Resolver, facts: ModuleFacts, site: CallSite) -> list[str]:
    """``obj.name``: the getter when ``name`` is a property, and the lookup's hooks."""
    getters = []
    for name in site.names:
        receiver_text, _, attribute = name.text.rpartition(".")
        if not receiver_text or receiver_text.endswith("<locals>"):
            continue
        receiver = resolver.resolve_name(Name(receiver_text, name.source), facts.module)
        for candidate in alternatives(receiver) if receiver is not None else ():
            if isinstance(candidate, Instance):
                member = resolver.class_member(candidate.name, attribute)
                if (
                    isinstance(member, FunctionValue)
                    and resolver.program.functions[member.name].is_property
                ):
                    getters.append(member.name)
    return getters + _lookup_hooks(resolver, facts, site)


def _unknown_receiver_read(resolver: Resolver, facts: ModuleFacts, site: CallSite) -> str | None:
    """For ``obj.name`` with ``obj`` of unknown type, ``name``: a property of that name may run."""
    attributes = set()
    for name in site.names:
        receiver_text, _, attribute = name.text.rpartition(".")
        if not receiver_text or receiver_text.endswith("<locals>"):
            continue
        if resolver.resolve_name(Name(receiver_text, name.source), facts.module) is not None:
            return None
        attributes.add(attribute)
    return attributes.pop() if len(attributes) == 1 else None


def _lookup_hooks(resolver: Resolver, facts: ModuleFacts, site: CallSite) -> list[str]:
    """Descriptor ``__get__`` and ``__getattr__`` that looking up ``obj.name`` runs."""
    hooks: list[str] = []
    for name in site.names:
        receiver_text, _, attribute = name.text.rpartition(".")
        if not receiver_text or receiver_text.endswith("<locals>"):
            continue
        receiver = resolver.resolve_name(Name(receiver_text, name.source), facts.module)
        if receiver is not None:
            hooks += resolver.lookup_hooks(receiver, attribute)
    return hooks


def _super_call(resolver: Resolver, facts: ModuleFacts, site: CallSite) -> list[str]:
    function = resolver.program.functions.get(f"{facts.module}.{site.caller}")
    if function is None or function.class_qualname is None:
        return []
    own = f"{facts.module}.{function.class_qualname}"
    for klass in resolver.mro(own)[1:]:
        if isinstance(klass, ClassValue):
            member = resolver.class_member(klass.name, site.attribute)
            if isinstance(member, FunctionValue):
                return [member.name]
        else:
            return [f"{klass.name}.{site.attribute}"]
    return [f"<builtin>.object.{site.attribute}"]  # every class ends in object


def _attribute_of(site: CallSite) -> str | None:
    """For an unresolved ``x.method()``, the method name (what a verdict must stay open for)."""
    if site.kind not in ("call", "call-result"):
        return None
    if site.kind == "call-result":
        return site.attribute
    chain = site.names[0].text.rpartition("<locals>.")[2] if site.names else ""
    return chain.rpartition(".")[2] if "." in chain else None
