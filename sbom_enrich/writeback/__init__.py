"""Write what the stages found back into the BOM: properties, references, vulnerabilities, VEX.

:mod:`~sbom_enrich.writeback.additions` gathers every stage's properties per component;
:mod:`~sbom_enrich.writeback.vulnerabilities` turns findings into CycloneDX ``vulnerabilities``
with their VEX ``analysis``. :mod:`sbom_enrich.cyclonedx` then applies and writes them.
"""
