"""Reachability: a LibCST call graph from an application into its installed dependencies.

Knows nothing about SBOMs or PyPI. Built in its own issue; empty until then.
"""
