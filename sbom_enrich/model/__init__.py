"""The domain records every stage works on: the BOM, index facts, advisories, baselines.

Nothing here talks to the outside or imports another part of sbom-enrich; adapters build these
records and the stages read them.
"""
