"""Protocols on instances: ``next(x)``, iteration, ``getattr`` with an f-string name, and
the accessors a subclass of the builtin ``property`` reads back.

``next(x)`` on an instance calls ``x.__next__``; iterating over it calls ``__iter__`` first.

jinja2's ``TokenStream`` is both: ``next(stream)`` runs ``TokenStream.__next__``, while
``for token in stream`` runs ``TokenStreamIterator.__next__`` (``bench/dynamic_recall.py``).
"""

from __future__ import annotations

from pathlib import Path

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.index import IndexOptions

STREAM = (
    "class Walker:\n    def __init__(self, stream):\n        self.stream = stream\n\n"
    "    def __next__(self):\n        return 1\n\n"
    "class Stream:\n    def __iter__(self):\n        return Walker(self)\n\n"
    "    def __next__(self):\n        return 2\n\n"
)


def _calls(tmp_path: Path, main: str) -> set[tuple[str, str]]:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(main)
    graph = analyze([tmp_path / "app"], options=IndexOptions(jobs=1)).graph
    return {(a, b) for a, b, kind in graph.edges(data="kind") if kind == "call"}


def test_next_calls_the_iterators_own_dunder_next(tmp_path: Path) -> None:
    calls = _calls(tmp_path, STREAM + "def step():\n    return next(Stream())\n\nstep()\n")
    assert ("main.step", "main.Stream.__next__") in calls
    assert ("main.step", "main.Walker.__next__") not in calls


def test_a_for_loop_calls_dunder_iter_then_its_results_dunder_next(tmp_path: Path) -> None:
    loop = "def walk():\n    for _ in Stream():\n        pass\n\nwalk()\n"
    calls = _calls(tmp_path, STREAM + loop)
    assert {("main.walk", "main.Stream.__iter__"), ("main.walk", "main.Walker.__next__")} <= calls


def test_getattr_with_an_fstring_name_reads_every_method_with_that_start(tmp_path: Path) -> None:
    visitor = (
        "class Visitor:\n    def visit(self, node):\n"
        '        method = getattr(self, f"visit_{type(node).__name__}", None)\n'
        "        return method(node)\n\n"
        "    def visit_Name(self, node):\n        pass\n\n"
        "    def helper(self):\n        pass\n\n"
        "class Printer(Visitor):\n    def visit_Call(self, node):\n        pass\n\n"
        "Printer().visit(1)\n"
    )
    calls = _calls(tmp_path, visitor)
    assert {("main.Visitor.visit", "main.Visitor.visit_Name")} <= calls
    assert ("main.Visitor.visit", "main.Printer.visit_Call") in calls
    assert ("main.Visitor.visit", "main.Visitor.helper") not in calls


def test_a_property_subclass_calls_the_getter_builtin_property_init_stored(
    tmp_path: Path,
) -> None:
    """werkzeug's ``cached_property``: ``super().__init__(fget)``, then ``self.fget(obj)``."""
    cached = (
        "class cached(property):\n    def __init__(self, fget):\n        super().__init__(fget)\n\n"
        "    def __get__(self, obj, type=None):\n        return self.fget(obj)\n\n"
        "class Plain(property):\n    def __init__(self, fget):\n"
        "        property.__init__(self, fget)\n\n"
        "    def __get__(self, obj, type=None):\n        return self.fget(obj)\n\n"
        "class Request:\n    @cached\n    def form(self):\n        return Form()\n\n"
        "    @Plain\n    def args(self):\n        return 1\n\n"
        "class Form:\n    def getlist(self):\n        pass\n\n"
        "def view():\n    Request().form.getlist()\n    Request().args\n\nview()\n"
    )
    calls = _calls(tmp_path, cached)
    assert ("main.cached.__get__", "main.Request.form") in calls
    assert ("main.Plain.__get__", "main.Request.args") in calls
    assert ("main.view", "main.Form.getlist") in calls
