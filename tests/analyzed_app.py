"""A small application and the library it imports, written to a directory and analyzed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.environment import from_site_packages
from sbom_enrich.reachability.index import IndexOptions
from sbom_enrich.reachability.query import Reachability


def reach(tmp_path: Path, files: Mapping[str, str]) -> Reachability:
    """Write ``files`` (``"site/..."`` installed, ``"app/..."`` the application) and analyze."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    site = from_site_packages(tmp_path / "site")
    return analyze([tmp_path / "app"], site, options=IndexOptions(jobs=1)).reachability


def reach_library(tmp_path: Path, library: str, main: str) -> Reachability:
    """``app/main.py`` analyzed with the installed package ``lib`` (``lib/__init__.py``)."""
    return reach(tmp_path, {"site/lib/__init__.py": library, "app/main.py": main})
