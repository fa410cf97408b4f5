"""Data shipped with sbom-enrich.

The style sheet and script the HTML report inlines, the curated vulnerable symbols
(``symbols.toml``), and the 15,000 most-downloaded PyPI projects (``top-pypi-packages.csv``,
read by :mod:`sbom_enrich.trust.lookalike`).
"""
