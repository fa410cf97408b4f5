"""The picture of the dependency graph of the components with findings, as inline SVG.

Each component with a finding is drawn with the shortest dependency route from the
application (the SBOM's root) to it, one row per step, so the picture reads top to bottom from
the application. Components with a ``reachable`` finding, and every edge on the way to them,
are highlighted, and the vulnerable functions the application reaches are named under the
component. The SVG scales down to the page's width rather than overflowing it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sbom_enrich.rank.prioritize import Finding

__all__ = ["dependency_graph_svg"]

_ROW = 74  # vertical distance between rows
_BOX = 40  # node height
_GAP = 18  # horizontal space between nodes
_CHAR = 7.2  # width of one character of the 12px monospace labels
_FUNCTIONS_SHOWN = 2


@dataclass
class _Node:
    ref: str
    label: str
    depth: int
    parent: str | None
    findings: list[Finding] = field(default_factory=list)
    on_reached_route: bool = False
    x: float = 0.0

    @property
    def reached_functions(self) -> list[str]:
        return sorted(
            {
                f.reach.path[-1][1]
                for f in self.findings
                if f.reach.verdict == "reachable" and f.reach.path
            }
        )

    @property
    def note(self) -> str:
        if not self.findings:
            return ""
        verdicts = {f.reach.verdict for f in self.findings}
        worst = next(
            (v for v in ("reachable", "imported", "unknown", "not-reachable") if v in verdicts),
            "unknown",
        )
        count = len(self.findings)
        return f"{count} finding{'s' if count != 1 else ''}, {worst}"

    @property
    def lines(self) -> list[str]:
        functions = self.reached_functions
        shown = [f"→ {name.rpartition('.')[2]}()" for name in functions[:_FUNCTIONS_SHOWN]]
        if len(functions) > _FUNCTIONS_SHOWN:
            shown.append(f"+{len(functions) - _FUNCTIONS_SHOWN} more")
        return [self.label, *(line for line in [self.note] if line), *shown]

    @property
    def width(self) -> float:
        return 16 + _CHAR * max(len(line) for line in self.lines)

    @property
    def height(self) -> float:
        return max(_BOX, 10 + 15 * len(self.lines))


def dependency_graph_svg(
    findings: Sequence[Finding],
    routes: Mapping[str, tuple[str, ...]],
    labels: Mapping[str, str],
) -> str:
    """The SVG picture, or ``""`` when no active finding has a dependency route."""
    nodes: dict[str, _Node] = {}
    for finding in findings:
        route = routes.get(finding.component.bom_ref or "")
        if finding.suppressed or not route:
            continue
        for depth, ref in enumerate(route):
            parent = route[depth - 1] if depth else None
            nodes.setdefault(ref, _Node(ref, labels.get(ref, ref), depth, parent))
        target = nodes[route[-1]]
        target.findings.append(finding)
        if finding.reach.verdict == "reachable":
            for ref in route:
                nodes[ref].on_reached_route = True
    if len(nodes) < 2:
        return ""
    rows = _rows(nodes)
    width = max(sum(n.width for n in row) + _GAP * (len(row) - 1) for row in rows) + 8
    heights = [max(n.height for n in row) for row in rows]
    tops = [4 + sum(heights[:i]) + (_ROW - _BOX) * i for i in range(len(rows))]
    for row in rows:
        x = 4 + (width - 8 - (sum(n.width for n in row) + _GAP * (len(row) - 1))) / 2
        for node in row:
            node.x = x
            x += node.width + _GAP
    edges = [
        _edge(nodes[node.parent], node, tops) for node in nodes.values() if node.parent is not None
    ]
    boxes = [_box(node, tops[node.depth]) for row in rows for node in row]
    height = tops[-1] + heights[-1] + 4
    return (
        f'<svg class="graph" role="img" aria-label="dependency graph of the components with '
        f'findings" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">' + "".join(edges) + "".join(boxes) + "</svg>"
    )


def _rows(nodes: Mapping[str, _Node]) -> list[list[_Node]]:
    """Nodes by depth; each row ordered by its parents' order, so that few edges cross."""
    rows: list[list[_Node]] = []
    order: dict[str, int] = {}
    for depth in range(max(n.depth for n in nodes.values()) + 1):
        row = sorted(
            (n for n in nodes.values() if n.depth == depth),
            key=lambda n: (order.get(n.parent or "", 0), not n.on_reached_route, n.label),
        )
        order.update((n.ref, index) for index, n in enumerate(row))
        rows.append(row)
    return rows


def _edge(parent: _Node, child: _Node, tops: Sequence[float]) -> str:
    x1, x2 = parent.x + parent.width / 2, child.x + child.width / 2
    bottom, y2 = tops[parent.depth] + parent.height, tops[child.depth]
    middle = (bottom + y2) / 2
    style = (
        'stroke="#cf222e" stroke-width="2.5"'
        if child.on_reached_route
        else 'stroke="#8c959f" stroke-width="1.2"'
    )
    return (
        f'<path d="M{x1:.1f} {bottom:.1f} C{x1:.1f} {middle:.1f} {x2:.1f} {middle:.1f} '
        f'{x2:.1f} {y2:.1f}" fill="none" {style}/>'
    )


def _box(node: _Node, top: float) -> str:
    if any(f.reach.verdict == "reachable" for f in node.findings):
        fill = 'fill="#ffebe9"'
    elif node.findings:
        fill = 'fill="#fff8c5"'
    else:
        fill = 'fill="#ddf4ff"'
    if node.on_reached_route:
        stroke = 'stroke="#cf222e" stroke-width="2"'
    else:
        stroke = 'stroke="#bf8700"' if node.findings else 'stroke="#54aeff"'
    colors = f"{fill} {stroke}"
    tip = "; ".join(
        [node.label, *(f"{f.title}: {f.severity}, {f.reach.verdict}" for f in node.findings)]
        + [f"reaches {name}" for name in node.reached_functions]
    )
    texts = "".join(
        f'<text x="{node.x + 8:.1f}" y="{top + 17 + 15 * index:.1f}"'
        + (' class="muted"' if index else "")
        + f">{html.escape(line)}</text>"
        for index, line in enumerate(node.lines)
    )
    return (
        f"<g><title>{html.escape(tip)}</title>"
        f'<rect x="{node.x:.1f}" y="{top:.1f}" width="{node.width:.1f}" '
        f'height="{node.height:.1f}" rx="6" {colors}/>{texts}</g>'
    )
