"""Which installed distribution owns which top-level modules, from its metadata.

``RECORD`` lists the files a distribution installed; ``top_level.txt`` (setuptools) names its
import packages. Names are never guessed from the distribution name (``PyYAML`` is ``yaml``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from importlib.metadata import Distribution, distributions
from pathlib import Path

from packaging.utils import canonicalize_name

__all__ = ["module_owners"]


def module_owners(site_packages: Iterable[Path]) -> dict[str, set[str]]:
    """Map each normalized distribution name to the top-level module names it installs."""
    owners: dict[str, set[str]] = defaultdict(set)
    for distribution in distributions(path=[str(p) for p in site_packages]):
        name = distribution.metadata["Name"]
        if not name:
            continue
        owners[canonicalize_name(name)].update(_top_level_modules(distribution))
    return dict(owners)


def _top_level_modules(distribution: Distribution) -> set[str]:
    modules: set[str] = set()
    for file in distribution.files or ():
        parts = file.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] == "..":
            continue
        if len(parts) == 1:
            if file.suffix == ".py" or file.suffix in (".so", ".pyd"):
                modules.add(parts[0].split(".")[0])
        elif parts[0] != "__pycache__":
            modules.add(parts[0])
    top_level = distribution.read_text("top_level.txt")
    if top_level:
        modules.update(line.strip() for line in top_level.splitlines() if line.strip())
    return modules
