"""The call edges of a one-file application, for tests of resolution rules."""

from __future__ import annotations

from pathlib import Path

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.index import IndexOptions


def call_edges(tmp_path: Path, main: str) -> set[tuple[str, str]]:
    """The ``call`` edges of the graph of an application whose only module is ``main``."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(main)
    graph = analyze([tmp_path / "app"], options=IndexOptions(jobs=1)).graph
    return {(a, b) for a, b, kind in graph.edges(data="kind") if kind == "call"}
