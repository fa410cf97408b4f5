"""Advisories: known vulnerabilities per component, suppressions and VEX applied."""
