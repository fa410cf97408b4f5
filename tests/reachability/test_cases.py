"""Call-graph cases: each directory under cases/ is a small program and its expected graph.

Edges are compared per case and overall (precision and recall over all edges). A case may only
differ from its expected graph as recorded in KNOWN_MISSES, with the reason, so that a fix or a
regression both show up here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sbom_enrich.reachability.analysis import analyze, to_adjacency
from sbom_enrich.reachability.index import IndexOptions

CASES = Path(__file__).parent / "cases"
Edge = tuple[str, str]

KNOWN_MISSES: dict[str, tuple[set[Edge], set[Edge], str]] = {
    # case: (edges we miss, edges we add wrongly, why)
    "descriptor_class_attribute": (
        {("main", "main.Field.__set_name__")},
        set(),
        "type() calls __set_name__ of descriptors in a class body when it creates the class; "
        "that implicit call is not modeled",
    ),
}


def _edges(graph: dict[str, list[str]]) -> set[Edge]:
    return {(caller, callee) for caller, callees in graph.items() for callee in callees}


def _compare(case: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    expected = json.loads((case / "callgraph.json").read_text())
    ours = to_adjacency(analyze([case], options=IndexOptions(jobs=1)))
    return expected, ours


ALL = sorted(p for p in CASES.iterdir() if p.is_dir())


def test_there_are_enough_cases() -> None:
    assert len(ALL) >= 60


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.name)
def test_case(case: Path) -> None:
    expected, ours = _compare(case)
    assert set(ours) == set(expected), "every analyzed module and function is a key"
    missing = _edges(expected) - _edges(ours)
    extra = _edges(ours) - _edges(expected)
    known_missing, known_extra, _why = KNOWN_MISSES.get(case.name, (set(), set(), ""))
    assert (missing, extra) == (known_missing, known_extra)


def test_overall_precision_and_recall() -> None:
    true_positive = false_positive = false_negative = 0
    for case in ALL:
        expected, ours = _compare(case)
        true_positive += len(_edges(expected) & _edges(ours))
        false_positive += len(_edges(ours) - _edges(expected))
        false_negative += len(_edges(expected) - _edges(ours))
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"edges: precision {precision:.3f}, recall {recall:.3f} over {len(ALL)} cases")
    assert precision >= 0.98
    assert recall >= 0.96
