"""Enrichment: compute what to add to each PyPI component of a loaded SBOM."""

from __future__ import annotations

from collections.abc import Callable

from sbom_enrich.additions import Additions, Property
from sbom_enrich.model import BomDocument, Component

__all__ = ["ECOSYSTEM_PYPI", "ProgressCallback", "base_additions"]

ECOSYSTEM_PYPI = "pypi"

ProgressCallback = Callable[[Component], None]
"""Called once per component as its enrichment finishes (drives the progress bar)."""


def base_additions(
    document: BomDocument, on_component: ProgressCallback | None = None
) -> Additions:
    """The additions every run makes: ``sbom-enrich:ecosystem`` on each PyPI component.

    Skipped components (no ``pkg:pypi`` purl) get nothing: they pass through untouched.
    """
    properties: dict[str, list[Property]] = {}
    for component in document.components:
        properties[component.json_path] = [Property("ecosystem", ECOSYSTEM_PYPI)]
        if on_component is not None:
            on_component(component)
    return Additions(component_properties=properties)
