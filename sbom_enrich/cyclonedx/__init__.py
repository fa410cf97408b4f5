"""CycloneDX in and out: decode, validate and read a document; apply additions; write it back.

What is added comes from :mod:`sbom_enrich.writeback`; this package knows the format, not the
findings.
"""
