"""An application's declared entry points are roots: their launcher calls them.

``pip install`` writes a ``tool`` script that imports ``tool.cli`` and calls ``main()``; no
analyzed code calls it. Before, everything only ``main`` reached was ``not-reachable``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.entry_points import (
    UnreadableEntryPointsError,
    declared_entry_points,
)
from sbom_enrich.reachability.environment import from_site_packages
from sbom_enrich.reachability.index import IndexOptions
from sbom_enrich.reachability.query import Reachability

CLI = "import lib\n\ndef main():\n    lib.used_by_main()\n\ndef unused():\n    lib.unused()\n"
LIBRARY = "def used_by_main():\n    pass\n\ndef unused():\n    pass\n"


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    project = tmp_path / "project"
    for name, text in {"tool/__init__.py": "", "tool/cli.py": CLI, **files}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    return project


def _reach(tmp_path: Path, source: Path, site_files: dict[str, str] | None = None) -> Reachability:
    site = tmp_path / "site"
    for name, text in {"lib.py": LIBRARY, **(site_files or {})}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    options = IndexOptions(jobs=1)
    return analyze([source], from_site_packages(site), options=options).reachability


PYPROJECT = '[project]\nname = "tool"\n\n[project.scripts]\ntool = "tool.cli:main"\n'
SETUP_CFG = "[options.entry_points]\nconsole_scripts =\n    tool = tool.cli:main [extra]\n"
POETRY = '[tool.poetry]\nname = "tool"\n\n[tool.poetry.scripts]\ntool = "tool.cli:main"\n'


@pytest.mark.parametrize(
    ("name", "text"),
    [("pyproject.toml", PYPROJECT), ("setup.cfg", SETUP_CFG), ("pyproject.toml", POETRY)],
)
def test_a_console_script_in_the_project_metadata_is_a_root(
    tmp_path: Path, name: str, text: str
) -> None:
    reach = _reach(tmp_path, _project(tmp_path, {name: text}))
    verdict = reach.verdict("lib.used_by_main")
    assert verdict.verdict == "reachable"
    assert verdict.path[0].caller == "tool.cli.main"
    assert reach.verdict("lib.unused").verdict == "not-reachable"


def test_the_package_directory_given_finds_its_project_above(tmp_path: Path) -> None:
    project = _project(tmp_path, {"pyproject.toml": PYPROJECT})
    reach = _reach(tmp_path, project / "tool")
    assert reach.verdict("lib.used_by_main").verdict == "reachable"


def test_an_installed_application_brings_its_entry_points_txt(tmp_path: Path) -> None:
    installed = {
        "tool-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tool\nVersion: 1.0\n",
        "tool-1.0.dist-info/RECORD": "tool/__init__.py,,\ntool/cli.py,,\n",
        "tool-1.0.dist-info/entry_points.txt": "[tool.plugins]\nmain = tool.cli:main\n",
    }
    reach = _reach(tmp_path, _project(tmp_path, {}), installed)
    assert reach.verdict("lib.used_by_main").verdict == "reachable"


def test_without_declared_entry_points_main_is_not_a_root(tmp_path: Path) -> None:
    reach = _reach(tmp_path, _project(tmp_path, {}))
    assert reach.verdict("lib.used_by_main").verdict == "not-reachable"


def test_unreadable_metadata_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    project = _project(tmp_path, {"pyproject.toml": "[project\nname = "})
    with pytest.raises(UnreadableEntryPointsError, match=r"project/pyproject\.toml: "):
        declared_entry_points([project], [], {}, set())
