"""Questions asked of a call graph: what is reachable, by which path, with which verdict.

Verdicts, strongest first (DESIGN.md section 5):

* ``reachable``: a path of resolved calls leads from a root to the symbol.
* ``imported``: for a module or a distribution (symbol unknown): its code is imported on a path
  from the roots.
* ``not-reachable``: the analysis is complete for it and no path leads there.
* ``unknown``: the analysis could not see enough: the module was not analyzed (missing, failed
  or skipped), or a reachable call site that could not be resolved calls a method of that name,
  or reached code uses dynamic features (``eval``, computed imports or ``getattr``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import networkx as nx
from packaging.utils import canonicalize_name

from sbom_enrich.reachability.clones import canonical
from sbom_enrich.reachability.framework import framework_roots
from sbom_enrich.reachability.graph import CONTEXTS, INCOMPLETE, EdgeData, caller_node
from sbom_enrich.reachability.import_bounds import Pattern, may_import, split_assumptions
from sbom_enrich.reachability.program import Program
from sbom_enrich.reachability.verdict import Verdict

__all__ = ["CallStep", "Reachability", "Verdict", "VerdictResult"]


@dataclass(frozen=True)
class CallStep:
    """One call on a path: ``caller`` calls ``callee`` at ``path``:``line``."""

    caller: str
    callee: str
    path: str
    line: int


@dataclass(frozen=True)
class VerdictResult:
    """A verdict, the path that proves it (for ``reachable``) and why (for the others)."""

    verdict: Verdict
    path: tuple[CallStep, ...] = ()
    reason: str = ""


class Reachability:
    """Reachability from a set of roots over a call graph."""

    def __init__(
        self,
        graph: nx.DiGraph[str],
        program: Program,
        roots: Iterable[str],
        *,
        distributions: dict[str, set[str]] | None = None,
        unanalyzed: Iterable[str] = (),
    ) -> None:
        self.graph = graph
        self.program = program
        self.roots = tuple(root for root in roots if root in graph)
        self.distributions = distributions or {}
        self.unanalyzed = set(unanalyzed)
        # edges from or to clones of closure factories (graph.py): caller -> callee -> data
        self._contexts: dict[str, dict[str, EdgeData]] = graph.graph.get(CONTEXTS, {})
        self.incomplete: str = graph.graph.get(INCOMPLETE, "")
        """Why the graph has only some of the program's edges, or ``""``: when set, what no
        edge reaches is ``unknown`` for that reason, never ``not-reachable``."""
        self._searched = self._search()  # node as solved (clones apart) -> its parent
        while True:  # a server calls these once the application made its application object
            started = framework_roots(self._searched, program.functions)
            started = [root for root in started if root not in self.roots]
            if not started:
                break
            self.roots += tuple(started)
            self._searched = self._search()
        # node (clones as their factory's) -> the node as solved first reached for it
        self._reached: dict[str, str] = {}
        for node in self._searched:
            self._reached.setdefault(canonical(node), node)
        self._import_reasons: dict[str, str] = {}  # package -> why it may be imported

    def _search(self) -> dict[str, str | None]:
        """Breadth-first from all roots at once: the parent of each reached node.

        The clones of closure factories are searched as nodes of their own (the graph's
        ``contexts``), so a wrapper reached for one decorated function calls that one only;
        the graph's edges that only clones made (not ``plain``) are not followed.
        """
        parents: dict[str, str | None] = dict.fromkeys(self.roots)
        queue = deque(self.roots)
        while queue:
            node = queue.popleft()
            for successor in self._successors(node):
                if successor not in parents:
                    parents[successor] = node
                    queue.append(successor)
        return parents

    def _successors(self, node: str) -> list[str]:
        """What ``node`` (a clone's function as the solver names it, or any other) calls."""
        plain = (
            []
            if "#" in node
            else [s for s, data in self.graph.adj[node].items() if data.get("plain", True)]
        )
        return [*plain, *self._contexts.get(node, ())]

    def reachable_set(self) -> frozenset[str]:
        """Every node reachable from the roots (the roots included)."""
        return frozenset(self._reached)

    def is_reachable(self, symbol: str) -> bool:
        """Whether a path of resolved calls leads to ``symbol``."""
        return symbol in self._reached

    def path_to(self, symbol: str) -> tuple[CallStep, ...]:
        """A shortest path from a root to ``symbol`` (empty if none or if it is a root)."""
        if symbol not in self._reached:
            return ()
        steps: list[CallStep] = []
        node = self._reached[symbol]
        while (parent := self._searched[node]) is not None:
            data = self._contexts.get(parent, {}).get(node) or self.graph.edges[parent, node]
            path, line = str(data.get("path", "")), int(str(data.get("line", 0)))
            steps.append(CallStep(canonical(parent), canonical(node), path, line))
            node = parent
        return tuple(reversed(steps))

    def module_reachable(self, module: str) -> bool:
        """Whether the top-level code of ``module`` (or anything in it) is reached."""
        prefix = module + "."
        return any(node == module or node.startswith(prefix) for node in self._reached)

    def distribution_reachable(self, distribution: str) -> bool:
        """Whether any top-level module of an installed distribution is reached."""
        return self.distribution_verdict(distribution).verdict == "imported"

    def verdict(self, symbol: str) -> VerdictResult:
        """The verdict for a function, method or class.

        ``reachable``, ``unknown`` or ``not-reachable``; a module name gets
        :meth:`module_verdict`.
        """
        if symbol in self.program.modules:
            return self.module_verdict(symbol)
        if self.is_reachable(symbol):
            return VerdictResult("reachable", self.path_to(symbol))
        if self.incomplete:
            return VerdictResult("unknown", reason=self.incomplete)
        absent = self.absent(symbol)
        if absent:
            fallback = self.module_verdict(absent)
            reason = f"{symbol} is not in the installed version of {absent}; {fallback.reason}"
            return replace(fallback, reason=reason)
        module = self._module_of(symbol)
        top = symbol.partition(".")[0]
        if module is None and any(top in modules for modules in self.distributions.values()):
            # an installed package no analyzed code imports was never parsed
            fallback = self.module_verdict(top)
            return replace(fallback, reason=f"{symbol}: {fallback.reason}")
        open_reason = self._open_reason(symbol, module)
        if open_reason:
            return VerdictResult("unknown", reason=open_reason)
        return VerdictResult("not-reachable", reason="no path from the roots")

    def absent(self, symbol: str) -> str:
        """The analyzed module that should define ``symbol`` but does not, or ``""``.

        ``""`` when it is defined, or when its module is one that was not parsed (nothing
        imports it, or its package was not analyzed): then nothing says it is absent. A name
        that does not exist in the installed code cannot be proven unreachable by the graph,
        only its module can (a curated symbol written for another version, a renamed method).
        """
        program = self.program
        if symbol in program.functions or symbol in program.classes:
            return ""
        module = program.longest_module_prefix(symbol)
        if module is None or module in self.unanalyzed:
            return ""
        facts = program.modules[module]
        directory = Path(facts.path).parent
        first = symbol[len(module) + 1 :].partition(".")[0]
        if facts.is_package and (
            (directory / first).is_dir()
            or (directory / f"{first}.py").is_file()
            or (directory / f"{first}.pyc").is_file()
            or program.has_compiled_submodule(module, first)
        ):
            return ""  # a submodule nothing imports, or a compiled one
        return module

    def module_verdict(self, module: str) -> VerdictResult:
        """``imported`` when the module's code runs on a path from the roots."""
        if self.module_reachable(module):
            witness = module if module in self._reached else self._first_reached_in(module)
            return VerdictResult("imported", self.path_to(witness), f"{module} is imported")
        if self.incomplete:
            return VerdictResult("unknown", reason=self.incomplete)
        if module in self.unanalyzed:
            return VerdictResult("unknown", reason=f"{module} was not analyzed")
        dynamic_import = self._reached_dynamic_import(module.partition(".")[0])
        if dynamic_import:
            return VerdictResult("unknown", reason=dynamic_import)
        # Dependencies are parsed along imports, so a module that was never parsed is one that
        # no analyzed code imports; with no dynamic import in reached code, it is not reachable.
        return VerdictResult("not-reachable", reason=f"{module} is not imported from the roots")

    def distribution_verdict(self, distribution: str) -> VerdictResult:
        """The strongest module verdict among an installed distribution's top-level modules."""
        modules = sorted(self.distributions.get(_normalize(distribution), set()))
        if not modules:
            return VerdictResult("unknown", reason=f"{distribution}: no installed metadata found")
        verdicts = [self.module_verdict(module) for module in modules]
        for wanted in ("imported", "unknown"):
            for result in verdicts:
                if result.verdict == wanted:
                    return result
        return verdicts[0]

    def _first_reached_in(self, module: str) -> str:
        prefix = module + "."
        return min(node for node in self._reached if node.startswith(prefix))

    def _module_of(self, symbol: str) -> str | None:
        if symbol in self.program.modules:
            return symbol
        known = self.program.module_of(symbol)
        if known is not None:
            return known
        return self.program.longest_module_prefix(symbol)

    def _open_reason(self, symbol: str, module: str | None) -> str:
        """Why the analysis cannot rule ``symbol`` out, or ``""`` when it can."""
        if module is None or module in self.unanalyzed:
            return f"{symbol}: its module was not analyzed"
        parts = symbol.split(".")
        failed = next(
            (
                ".".join(parts[:end])
                for end in range(len(parts), 0, -1)
                if ".".join(parts[:end]) in self.unanalyzed
            ),
            None,
        )
        if failed is not None:  # a module below the analyzed one whose file failed
            return f"{symbol}: its module {failed} was not analyzed"
        method = symbol.rpartition(".")[2]
        if _is_dunder(method) and self.module_reachable(module):
            return (
                f"{method} is a special method: the interpreter and native code call it "
                "implicitly (str(), ==, hash(), protocols), which the graph does not model"
            )
        if symbol in self._maybe:
            origin, use, name = self._maybe[symbol] or ("", "", "")
            onward = "" if origin == symbol else ", and it may lead here"
            if use == "special":
                return (
                    f"{origin} is a special method, which the interpreter and native code call "
                    f"implicitly{onward}"
                )
            if use == "inherited":
                return (
                    f"{origin} is a method of a subclass of {name}, whose code (outside the "
                    f"analysis) may call it{onward}"
                )
            if use == "handed":
                return (
                    f"{origin} is handed to {name} code, which runs dynamic code that may "
                    f"call it{onward}"
                )
            if use == "hands":
                onward = "" if symbol.rpartition(".")[0] == name else onward
                return (
                    f"{origin} hands an object of {name} to code outside the analysis, which "
                    f"may call its methods{onward}"
                )
            if use == "getattr":
                return (
                    f"{origin} uses getattr with a computed name at line {name}, on objects "
                    "whose attributes may lead here"
                )
            shown = f".{name}()" if use == "calls" else f".{name}"
            what = f"{origin} {use} {shown} on an object of unknown type"
            return what if name == method else f"{what}, which may lead here"
        package = module.partition(".")[0]
        return self._reached_dynamic(lambda _what: True, package, loading=package)

    @cached_property
    def _maybe(self) -> dict[str, tuple[str, str, str] | None]:
        """What code using objects of unknown type might run, and the first such use.

        ``x.send()`` with ``x`` of unknown type may run any analyzed method called ``send``,
        and ``x.path_url`` any property getter of that name; and then everything those call.
        So may the methods of an object handed to code outside the analysis. Maps each node
        reached that way (or by resolved calls: ``None``) to the (node, "calls", "reads" or
        "hands", name or class) of the first such use on its way.

        Searched like :meth:`_search`, clones apart; a function reached through such a use
        is reached in every clone of it (``x.wrapper()`` may be any decorated function's).
        """
        by_name: dict[tuple[str, str], list[str]] = {}
        for node, data in self.graph.nodes(data=True):
            if data.get("kind") == "function":
                facts = self.program.functions.get(node)
                name = node.rpartition(".")[2]
                by_name.setdefault(("calls", name), []).append(node)
                if facts is not None and facts.is_property:
                    by_name.setdefault(("reads", name), []).append(node)
        clones: dict[str, list[str]] = {}
        contexts = self._contexts
        for node in {*contexts, *(c for callees in contexts.values() for c in callees)}:
            if "#" in node:
                clones.setdefault(canonical(node), []).append(node)
        maybe: dict[str, tuple[str, str, str] | None] = dict.fromkeys(self._searched)
        queue = deque(self._searched)

        def enter(target: str, cause: tuple[str, str, str] | None) -> None:
            for node in (target, *sorted(clones.get(target, ()))):
                if node not in maybe:
                    maybe[node] = cause
                    queue.append(node)

        for node, why in self._implicit_callers():
            enter(node, why)
        while queue:
            node = queue.popleft()
            cause = maybe[node]
            data = self.graph.nodes[canonical(node)]
            uses = [("calls", m) for m in sorted(data.get("unresolved", ()))]
            uses += [("reads", a) for a in sorted(data.get("unresolved_reads", ()))]
            for use, name in uses:
                for target in by_name.get((use, name), ()):
                    enter(target, cause or (canonical(node), use, name))
            given = [
                ("hands", klass, methods)
                for klass, methods in sorted(data.get("hands_objects", {}).items())
            ]
            given += [
                ("getattr", str(line), functions)
                for line, functions in sorted(data.get("computed_reads", {}).items())
            ]
            for use, what, functions in given:
                for target in sorted(functions):
                    if target in self.graph:
                        enter(target, cause or (canonical(node), use, what))
            for successor in self._successors(node):
                if successor not in maybe:
                    maybe[successor] = cause
                    queue.append(successor)
        found: dict[str, tuple[str, str, str] | None] = {}
        for node, cause in maybe.items():
            found.setdefault(canonical(node), cause)
        return found

    def _implicit_callers(self) -> list[tuple[str, tuple[str, str, str]]]:
        """Functions that code the graph does not see may call, with why (for :attr:`_maybe`).

        The special methods of classes in reached modules (``str()``, ``==``, protocols and
        native code call them), the methods of their classes with a base outside the analysis
        (``threading.Thread.start`` calls ``run``), and functions handed to a package that has
        dynamic code (``eval``, computed ``getattr``) in reached modules.
        """
        dynamic = {
            module.partition(".")[0]
            for module, facts in self.program.modules.items()
            if module in self._reached
            and any(not what.startswith("import") for _caller, what in facts.dynamic)
        }
        found: list[tuple[str, tuple[str, str, str]]] = []
        for node, data in self.graph.nodes(data=True):
            if data.get("kind") != "function":
                continue
            in_reached_module = data.get("module") in self._reached
            handed = sorted(set(data.get("handed_to", ())) & dynamic)
            if in_reached_module and _is_dunder(node.rpartition(".")[2]):
                found.append((node, (node, "special", "")))
            elif in_reached_module and "external_base" in data:
                found.append((node, (node, "inherited", data["external_base"])))
            elif handed:
                found.append((node, (node, "handed", handed[0])))
        return found

    def _reached_dynamic_import(self, package: str) -> str:
        """The first computed import in code that may run and may load ``package``'s code."""
        if package not in self._import_reasons:
            self._import_reasons[package] = self._reached_dynamic(
                lambda what: what.startswith("import"), loading=package
            )
        return self._import_reasons[package]

    def _reached_dynamic(
        self, wanted: Callable[[str], bool], package: str | None = None, loading: str = ""
    ) -> str:
        """The dynamic feature (``wanted``) in reached code nearest the roots, with its file.

        A feature counts when the function around it may run (reached, or reachable through a
        call on an object of unknown type), or, for a function the graph has no node for
        (nested in an expression), when its module may. A computed import whose names are
        known counts only when one of them may load ``loading``'s modules. Of those that
        count, the one whose function the search met first is named: the shortest way there.
        """
        found: list[tuple[int, str]] = []
        for module, facts in self.program.modules.items():
            if not facts.dynamic or (package and module.partition(".")[0] != package):
                continue
            for caller, what in facts.dynamic:
                node = caller_node(module, caller)
                met = self._met.get(node if node in self.graph else module)
                if met is None or not wanted(what) or self._bounded(node, what):
                    continue
                names = self._import_bound(node, what)
                if names is None:
                    found.append((met, f"{node} uses {what}, in {facts.path}"))
                    continue
                loads = sorted(
                    p.text
                    for p in names
                    if loading and may_import(p, loading) and self._may_run_new_code(p)
                )
                if loads:
                    line = what.rpartition(" ")[2]
                    found.append(
                        (
                            met,
                            f"{node} imports a module by a computed name at line {line} of "
                            f"{facts.path}, made from {loads[0]!r}, which may load {loading}",
                        )
                    )
        return min(found)[1] if found else ""

    @cached_property
    def _met(self) -> dict[str, int]:
        """Each node that may run -> when the search met it (:attr:`_maybe`'s order)."""
        return {node: order for order, node in enumerate(self._maybe)}

    def _may_run_new_code(self, pattern: Pattern) -> bool:
        """Whether importing a name ``pattern`` allows may run code not yet taken to run.

        Importing ``a.b.c`` runs ``a``, ``a.b`` and ``a.b.c`` unless they ran already. So it
        runs nothing new when each of those that the analysis has may already run, and when
        the rest lie below a module that is not a package: no file can be found there, only an
        import hook serves such a name (urllib3's vendored six loads
        ``urllib3.packages.six.moves.urllib`` through its own finder, an object handed to the
        import system, whose methods are followed as such).
        """
        if pattern.kind != "exact":
            return True
        parts = pattern.text.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            if name in self.unanalyzed:
                return True
            if name not in self.program.modules:
                parent = self.program.modules.get(".".join(parts[: end - 1]))
                return parent is None or parent.is_package
            if name not in self._maybe:
                return True
        return False

    def _import_bound(self, node: str, what: str) -> frozenset[Pattern] | None:
        """The names a computed import may load (see ``import_bounds``), or None."""
        line = what.rpartition(" ")[2]
        if not what.startswith("import") or node not in self.graph or not line.isdigit():
            return None
        names = self.graph.nodes[node].get("import_bounds", {}).get(int(line))
        if names is None:
            return None
        patterns, assumed = split_assumptions(names)
        if any(function in self._maybe or function not in self.graph for function in assumed):
            return None  # code taken to never run may: what it passes is not known
        return patterns

    def _bounded(self, node: str, what: str) -> bool:
        """Whether a computed ``getattr`` reads only from objects of known classes.

        What it may give is then followed like a call (:attr:`_maybe`), not a reason for the
        whole package.
        """
        if not what.startswith("getattr") or node not in self.graph:
            return False
        line = what.rpartition(" ")[2]
        reads = self.graph.nodes[node].get("computed_reads", {})
        return line.isdigit() and int(line) in reads


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _normalize(name: str) -> str:
    return str(canonicalize_name(name))
