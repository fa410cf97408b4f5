"""One call: analyze application sources against an environment and answer reachability."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from sbom_enrich.reachability.cache import load_solution, solution_key, store_solution
from sbom_enrich.reachability.distributions import module_owners
from sbom_enrich.reachability.entry_points import declared_entry_points, entry_point_roots
from sbom_enrich.reachability.environment import Environment
from sbom_enrich.reachability.facts import MAIN_BLOCK
from sbom_enrich.reachability.graph import build_graph, caller_node
from sbom_enrich.reachability.index import (
    FileResult,
    IndexOptions,
    index_program,
    source_modules,
    with_operations,
)
from sbom_enrich.reachability.program import Program
from sbom_enrich.reachability.query import Reachability
from sbom_enrich.reachability.solve import CallGraphFacts, solve

__all__ = ["Analysis", "analyze", "to_adjacency", "to_pycg"]


@dataclass(frozen=True)
class Analysis:
    """The program, its call graph, what happened to each file, and reachability from roots."""

    program: Program
    graph: nx.DiGraph[str]
    files: tuple[FileResult, ...]
    application_modules: tuple[str, ...]
    reachability: Reachability


def analyze(
    sources: Sequence[str | Path],
    environment: Environment | None = None,
    *,
    entries: Sequence[str] = (),
    options: IndexOptions | None = None,
    on_round: Callable[[int, int], None] | None = None,
) -> Analysis:
    """Analyze ``sources`` (application roots) and the dependencies they import.

    Roots are every application module's top-level code (decorated handlers are reached through
    their decorators) and the entry points the application declares (console scripts, plugin
    entries: :mod:`~sbom_enrich.reachability.entry_points`), or only the ``module:function``
    names in ``entries`` when given. Raises
    :class:`~sbom_enrich.reachability.entry_points.UnreadableEntryPointsError` when the
    project's metadata cannot be parsed.
    """
    application = [module for root in sources for module in source_modules(root)]
    app_modules = tuple(module.module for module in application)
    site_packages = environment.site_packages if environment is not None else ()
    owners = module_owners(site_packages)
    declared = (
        ()
        if entries
        else declared_entry_points(  # first: a bad file fails at once
            [Path(root) for root in sources],
            site_packages,
            owners,
            {module.partition(".")[0] for module in app_modules},
        )
    )
    search = list(environment.dependency_path) if environment is not None else []
    program, files = index_program(application, search, options, on_round)
    graph = build_graph(program, _solution(program, files, options))
    if entries:
        roots = [entry.replace(":", ".") for entry in entries]
    else:
        # an application module's ``if __name__ == "__main__":`` block runs when it is executed
        scripts = [caller_node(m, MAIN_BLOCK) for m in app_modules]
        roots = [*app_modules, *scripts, *entry_point_roots(declared, graph, program.classes)]
    unanalyzed = [result.module for result in files if result.facts is None]
    reachability = Reachability(graph, program, roots, distributions=owners, unanalyzed=unanalyzed)
    return Analysis(program, graph, tuple(files), app_modules, reachability)


def _solution(
    program: Program, files: Sequence[FileResult], options: IndexOptions | None
) -> CallGraphFacts:
    """Solve ``program``, or take the cached solution of the same files."""
    limit = (options or IndexOptions()).max_values
    if options is None or options.cache_dir is None:
        return solve(program, limit)
    directory = options.cache_dir
    key = solution_key(
        ((r.module, r.path, "facts" if r.key else f"{r.status}: {r.reason}", r.key) for r in files),
        limit,
    )
    cached = load_solution(directory, key)
    if cached is not None:
        return cached
    with_operations(program, files, options)
    solved = solve(program, limit)
    store_solution(directory, key, solved)
    return solved


def to_adjacency(analysis: Analysis) -> dict[str, list[str]]:
    """The call graph as ``{"caller": ["callee", ...]}`` (the PyCG format), sorted.

    Every analyzed module and function is a key, even with no callees, and so is a module's
    ``if __name__ == "__main__":`` block (``module.<main>``).
    """
    graph = analysis.graph
    return {
        node: sorted(graph.successors(node))
        for node in sorted(graph.nodes)
        if graph.nodes[node].get("kind") in ("module", "function", "main-block")
    }


def to_pycg(analysis: Analysis) -> dict[str, list[str]]:
    """The call graph in the PyCG benchmark's naming, to compare with other generators.

    Only ``call`` edges (importing a module and handing a function to external code are not
    calls there); the main block's calls are the module's; every node is a key.
    """
    graph = analysis.graph
    adjacency: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") != "main-block":
            adjacency.setdefault(node, set())
    for source, target, data in graph.edges(data=True):
        if data.get("kind") == "call":
            caller = source.removesuffix(f".{MAIN_BLOCK}")
            adjacency.setdefault(caller, set()).add(target)
            adjacency.setdefault(target, set())
    return {node: sorted(callees) for node, callees in sorted(adjacency.items())}
