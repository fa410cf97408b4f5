"""Reachability: a LibCST call graph from an application into its installed dependencies.

Knows nothing about SBOMs or PyPI. Never imports or executes the analyzed code::

    from reachability import analyze, from_python

    analysis = analyze(["samples/app"], from_python(".venv-of-the-app/bin/python"))
    result = analysis.reachability.verdict("requests.sessions.Session.request")
    print(result.verdict)                      # reachable / not-reachable / unknown
    for step in result.path:                   # the call path, with file and line
        print(step.caller, "->", step.callee, f"{step.path}:{step.line}")
    print(analysis.reachability.distribution_verdict("itsdangerous").verdict)

``docs/reachability.md`` says what is resolved, what is not, and which way each gap errs.
"""

from reachability.analysis import Analysis, analyze, to_adjacency
from reachability.environment import (
    Environment,
    UnreadableEnvironmentError,
    from_python,
    from_site_packages,
)
from reachability.index import FileResult, IndexOptions
from reachability.query import CallStep, Reachability, Verdict, VerdictResult

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
