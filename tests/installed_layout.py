"""A view of the installed layout for tools that walk directories (mypy, import-linter).

setuptools installs ``reachability/`` and ``adapters/`` as ``sbom_enrich.reachability`` and
``sbom_enrich.adapters``; tools that read the package from disk cannot follow that mapping.
The view is ``sbom_enrich/`` with both folders linked in, one symlink per file, so a test can
replace one file with other text.
"""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

SUBPACKAGES = ("reachability", "adapters")


def build_view(root: Path, replaced: dict[str, str] | None = None) -> Path:
    """Lay out ``root/sbom_enrich``; ``replaced`` maps a repository path to the text it gets."""
    replaced = replaced or {}
    sources = [(REPO / "sbom_enrich", root / "sbom_enrich")]
    sources += [(REPO / name, root / "sbom_enrich" / name) for name in SUBPACKAGES]
    for source, target in sources:
        for path in source.rglob("*"):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            linked = target / path.relative_to(source)
            linked.parent.mkdir(parents=True, exist_ok=True)
            text = replaced.get(str(path.relative_to(REPO)))
            if text is None:
                linked.symlink_to(path)
            else:
                linked.write_text(text)
    return root


def repository_paths(output: str) -> str:
    """Tool output with the view's paths named as the repository's again."""
    for name in SUBPACKAGES:
        output = output.replace(f"sbom_enrich/{name}/", f"{name}/")
    return output
