"""Real SBOM generators, run as separate processes: what turns an input into CycloneDX."""
