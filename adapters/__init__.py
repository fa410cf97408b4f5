"""Adapters: everything that talks to the outside, behind the ports in :mod:`sbom_enrich.ports`.

- :mod:`~sbom_enrich.adapters.http`: the HTTP client stack (timeouts, retries, size limit, cache)
  and recorded responses for tests and replay.
- :mod:`~sbom_enrich.adapters.pypi`: the package index (JSON and Simple APIs), PEP 740
  attestation checks, distribution files, and the per-release facts built from them.
- :mod:`~sbom_enrich.adapters.advisories`: OSV records, a local advisory database and the
  advisory sources the core asks.
- :mod:`~sbom_enrich.adapters.store`: the state file (HTTP cache, facts cache, advisory
  indexes, release diffs, ownership and publisher baseline).
- :mod:`~sbom_enrich.adapters.errors`: :class:`~sbom_enrich.adapters.errors.AdapterError`, the
  root of what an adapter raises when its input or its state cannot be used.
"""
