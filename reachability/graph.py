"""Build the call graph: a ``networkx.DiGraph`` of fully-qualified functions and modules.

Nodes are analyzed functions (``pkg.mod.Class.method``, lambdas as ``pkg.mod.f.<lambda1>``),
analyzed modules (their top-level code, named by the module), builtins (``<builtin>.print``)
and external names (``requests.get``). Edges carry the ``path`` and ``line`` of the site and
their ``kind``: ``call`` (the code calls it), ``import`` (importing a module runs its top-level
code) or ``escape`` (a function handed to code outside the analysis, which may call it).
Callers whose calls or attribute reads had receivers of unknown type keep those names in the
node attributes ``unresolved`` and ``unresolved_reads``, so that queries can say ``unknown``
instead of ``not-reachable``.

A closure factory's clones (:mod:`~sbom_enrich.reachability.clones`) are shown as the factory:
the wrapper node calls every function any clone's wrapper calls. Reachability searches them as
their own: edges with a clone at either end are kept in the graph attribute ``contexts``
(caller -> callee -> edge data, names as the solver has them), and an edge of the graph
that no plain caller made has ``plain`` false.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from sbom_enrich.reachability.clones import canonical
from sbom_enrich.reachability.facts import MAIN_BLOCK, ModuleFacts
from sbom_enrich.reachability.program import Program
from sbom_enrich.reachability.solve import CallGraphFacts, caller_node

__all__ = ["CONTEXTS", "INCOMPLETE", "EdgeData", "build_graph", "caller_node"]

CONTEXTS = "contexts"
"""The graph attribute of the edges from or to clones: caller -> callee -> their data."""
INCOMPLETE = "incomplete"
"""The graph attribute saying why solving stopped early (:attr:`CallGraphFacts.incomplete`):
then the graph has only some of the program's edges."""

EdgeData = dict[str, object]


def build_graph(program: Program, solved: CallGraphFacts) -> nx.DiGraph[str]:
    """The graph of ``program``'s modules and functions, with the edges ``solved`` found."""
    graph: nx.DiGraph[str] = nx.DiGraph()
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
    contexts: dict[str, dict[str, EdgeData]] = {}
    for (source, target), (path, line, kind) in solved.edges.items():
        plain = "#" not in source and "#" not in target
        if not plain:
            found = contexts.setdefault(source, {})
            if target not in found or (found[target]["kind"] != "call" and kind == "call"):
                found[target] = {"path": path, "line": line, "kind": kind}
        _add_edge(graph, canonical(source), canonical(target), path, line, kind, plain)
    graph.graph[CONTEXTS] = contexts
    if solved.incomplete:
        graph.graph[INCOMPLETE] = solved.incomplete
    for node, names in solved.unresolved_calls.items():
        if node in graph:
            graph.nodes[node].setdefault("unresolved", set()).update(names)
    for node, names in solved.unresolved_reads.items():
        if node in graph:
            graph.nodes[node].setdefault("unresolved_reads", set()).update(names)
    attributes: tuple[tuple[str, Mapping[str, object]], ...] = (
        ("computed_reads", solved.computed_reads),
        ("external_base", solved.external_bases),
        ("handed_to", solved.handed),
        ("hands_objects", solved.handed_objects),
        ("import_bounds", solved.import_bounds),
    )
    for attribute, by_node in attributes:
        for node, value in by_node.items():
            if node in graph:
                graph.nodes[node][attribute] = value
    return graph


def _add_edge(
    graph: nx.DiGraph[str],
    source: str,
    target: str,
    path: str,
    line: int,
    kind: str,
    plain: bool = True,
) -> None:
    if target not in graph:
        graph.add_node(target, kind="builtin" if target.startswith("<") else "external")
    known = graph.get_edge_data(source, target)
    if known is None:
        graph.add_edge(source, target, path=path, line=line, kind=kind, plain=plain)
        return
    if known["kind"] != "call" and kind == "call":
        known.update(path=path, line=line, kind=kind)
    known["plain"] = known["plain"] or plain


def _add_import_edges(graph: nx.DiGraph[str], program: Program, facts: ModuleFacts) -> None:
    """Importing an analyzed module runs its top-level code (and its parent packages')."""
    for record in facts.imports:
        target = program.absolute(record.module, facts.module)
        source = caller_node(facts.module, record.caller)
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            if module in program.modules and module != facts.module:
                _add_edge(graph, source, module, facts.path, record.line, "import")
