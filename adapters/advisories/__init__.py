"""Advisories: OSV records, a local advisory database, and the sources the core asks."""
