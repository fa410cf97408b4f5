"""The domain records sbom-enrich works on."""
