"""Inputs beside CycloneDX: lockfiles, requirements files and environments, read as CycloneDX.

:mod:`.kinds` tells what a file is; :mod:`.pylock`, :mod:`.uv_lock` and :mod:`.poetry_lock`
read the lockfiles no real generator turns into CycloneDX; :mod:`.locked` writes what they
hold as a CycloneDX 1.6 document. Environments and requirements files go through
cyclonedx-py (:mod:`sbom_enrich.adapters.generators.cyclonedx_py`).
"""
