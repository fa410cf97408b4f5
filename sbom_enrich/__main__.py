"""``python -m sbom_enrich``: the same as the ``sbom-enrich`` command."""

from sbom_enrich.cli import main

main()
