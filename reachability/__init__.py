"""Reachability: a LibCST call graph from an application into its installed dependencies.

Knows nothing about SBOMs or PyPI. Never imports or executes the analyzed code::

    from sbom_enrich.reachability import analyze, from_python

    analysis = analyze(["samples/app"], from_python(".venv-of-the-app/bin/python"))
    result = analysis.reachability.verdict("requests.sessions.Session.request")
    print(result.verdict)                      # reachable / not-reachable / unknown
    for step in result.path:                   # the call path, with file and line
        print(step.caller, "->", step.callee, f"{step.path}:{step.line}")
    print(analysis.reachability.distribution_verdict("itsdangerous").verdict)

``docs/reachability.md`` says what is resolved, what is not, and which way each gap errs.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from sbom_enrich.reachability.analysis import Analysis, analyze, to_adjacency
    from sbom_enrich.reachability.environment import (
        Environment,
        UnreadableEnvironmentError,
        from_python,
        from_site_packages,
    )
    from sbom_enrich.reachability.index import FileResult, IndexOptions
    from sbom_enrich.reachability.query import CallStep, Reachability, Verdict, VerdictResult

__all__ = [
    "Analysis",
    "CallStep",
    "Environment",
    "FileResult",
    "IndexOptions",
    "Reachability",
    "UnreadableEnvironmentError",
    "Verdict",
    "VerdictResult",
    "analyze",
    "from_python",
    "from_site_packages",
    "to_adjacency",
]


_EXPORTS = {
    "Analysis": "sbom_enrich.reachability.analysis",
    "analyze": "sbom_enrich.reachability.analysis",
    "to_adjacency": "sbom_enrich.reachability.analysis",
    "Environment": "sbom_enrich.reachability.environment",
    "UnreadableEnvironmentError": "sbom_enrich.reachability.environment",
    "from_python": "sbom_enrich.reachability.environment",
    "from_site_packages": "sbom_enrich.reachability.environment",
    "FileResult": "sbom_enrich.reachability.index",
    "IndexOptions": "sbom_enrich.reachability.index",
    "CallStep": "sbom_enrich.reachability.query",
    "Reachability": "sbom_enrich.reachability.query",
    "Verdict": "sbom_enrich.reachability.query",
    "VerdictResult": "sbom_enrich.reachability.query",
}
"""Public name -> the module that defines it; imported on first use, so that a program using one
part (the command line's ``--version``, one command) does not load them all."""


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value
