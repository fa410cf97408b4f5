"""Files that crash, hang or exhaust the parser take only themselves down, never the run.

Each input is the kind found by hostile-input testing: libcst's native parser segfaults on a
long unary chain and runs for minutes on a 10,000-term expression; brackets nested past
CPython's limit; a FIFO, a link to /dev/zero and a link loop in the tree being analyzed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_engine import _write

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.environment import from_site_packages
from sbom_enrich.reachability.index import IndexOptions, nesting_depth, source_modules

HOSTILE = {
    "crash": "x = " + "-" * 100_000 + "1\n",  # segfaults libcst 1.x's native parser
    "slow": "x = " + "+".join(["a"] * 10_000) + "\n",  # minutes of CPU in the parser
    "deep": "x = " + "f(" * 1_500 + ")" * 1_500 + "\n",  # past CPython's 200 nesting levels
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_one_hostile_file_fails_alone_and_the_run_goes_on(tmp_path: Path) -> None:
    names = [*HOSTILE, "fifo", "zero", "fine"]
    site = _write(
        tmp_path / "site",
        {
            "dep/__init__.py": "".join(f"from dep import {name}\n" for name in names),
            "dep/fine.py": "def ok():\n    pass\n",
            **{f"dep/{name}.py": text for name, text in HOSTILE.items()},
        },
    )
    os.mkfifo(site / "dep" / "fifo.py")
    (site / "dep" / "zero.py").symlink_to("/dev/zero")
    app = _write(tmp_path / "app", {"main.py": "import dep\n\ndep.fine.ok()\n"})
    (tmp_path / "app" / "loop").symlink_to(tmp_path / "app", target_is_directory=True)

    options = IndexOptions(jobs=2, seconds_per_file=3)
    analysis = analyze([app], from_site_packages(site), options=options)

    status = {r.module: (r.status, r.reason or "") for r in analysis.files}
    assert status["dep.fine"] == ("analyzed", "")
    assert status["main"][0] == "analyzed"
    assert status["dep.crash"][0] == "failed" and "worker died" in status["dep.crash"][1]
    assert status["dep.slow"][0] == "failed" and "worker died" in status["dep.slow"][1]
    assert status["dep.deep"] == ("failed", "brackets nested 1500 deep (CPython accepts 200)")
    assert status["dep.fifo"] == ("failed", "not a regular file")
    assert status["dep.zero"] == ("failed", "not a regular file")
    reach = analysis.reachability
    assert reach.verdict("dep.fine.ok").verdict == "reachable"
    assert reach.verdict("dep.crash.anything").verdict == "unknown"


def test_a_directory_link_loop_is_walked_once(tmp_path: Path) -> None:
    app = _write(tmp_path / "app", {"main.py": "x = 1\n", "pkg/mod.py": "y = 2\n"})
    (app / "pkg" / "again").symlink_to(app, target_is_directory=True)
    (app / "a").symlink_to(app / "b", target_is_directory=True)
    (app / "b").symlink_to(app / "a", target_is_directory=True)
    modules = sorted(m.module for m in source_modules(app))
    assert modules == ["main", "pkg.mod"]


def test_a_file_over_the_size_limit_is_never_read_whole(tmp_path: Path) -> None:
    app = _write(tmp_path / "app", {"main.py": "import big\n", "big.py": "x = 1\n" * 100})
    analysis = analyze([app], options=IndexOptions(jobs=1, max_file_bytes=100))
    status = {r.module: (r.status, r.reason) for r in analysis.files}
    assert status["big"] == ("skipped", "larger than 100 bytes")


@pytest.mark.parametrize(
    ("source", "depth"),
    [
        (b"f(g[h{1}])", 3),
        (b"s = '((((' + \"[[\"  # (((\nt = (1)", 1),
        (b'"""\n((((\n"""\nx = (((1)))', 3),
        (b"s = 'it\\'s ((('\nx = [1]", 1),
    ],
)
def test_nesting_depth_ignores_strings_and_comments(source: bytes, depth: int) -> None:
    assert nesting_depth(source) == depth
