"""Adapters: everything that talks to the outside (PyPI, attestations, HTTP, cache, advisories).

Built in the trust and advisories issues; empty until then.
"""
