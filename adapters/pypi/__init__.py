"""The package index: PyPI's JSON and Simple APIs, PEP 740 attestations, distribution files."""
