"""The commands of the ``sbom-enrich`` command line, one module per family.

:mod:`sbom_enrich.cli` imports each when it runs, so that a command loads only what it needs.
"""
