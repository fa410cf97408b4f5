"""Start lines from reachability.lines are exactly LibCST's PositionProvider start lines."""

from __future__ import annotations

from pathlib import Path

import click
import httpx
import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from sbom_enrich.reachability.lines import start_lines


def provider_lines(module: cst.Module) -> dict[cst.CSTNode, int]:
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {node: span.start.line for node, span in positions.items()}


def real_files() -> list[Path]:
    """Installed code nobody here wrote (the test environment's own dependencies)."""
    files: list[Path] = []
    for package in (click, httpx):
        files += sorted(Path(package.__file__).parent.rglob("*.py"))
    return files


@pytest.mark.parametrize("path", real_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lines_of_real_code_are_position_providers(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    assert start_lines(module) == provider_lines(module)


@pytest.mark.parametrize(
    "source",
    [
        "# comment\n\n@decorator\n# between\ndef f(\n    a,\n):\n    return g(\n        a)\n",
        "x = 1; y = f(x)\r\nif x:\r\n    z = '''a\r\nb'''\r\n    call()\r\n",
        "a = 1\rb = f(a)\rclass C(Base):\r    pass\r",
        "value = f(1,\\\n      2)\nlambda: (yield)\nwith a as b, c:\n    d()\n",
        "try:\n    pass\nexcept E:\n    h()\nelse:\n    i()\nfinally:\n    j()\n",
        "match x:\n    case [1, *rest]:\n        k(rest)\n    case _:\n        pass\n",
        "s = f'{g(1)}\\n'\nt = f'''{\nh()\n}'''\n",
    ],
    ids=["decorators", "crlf", "cr", "continuation", "try", "match", "fstrings"],
)
def test_lines_of_tricky_layouts_are_position_providers(source: str) -> None:
    module = cst.parse_module(source)
    assert start_lines(module) == provider_lines(module)
