"""Framework roots: the methods a framework's own code calls once the application made it.

A WSGI server calls the application object it is given for every request, so a program that
constructs a Flask application runs its request pipeline (``wsgi_app``: the hooks, the view,
``process_response``, ``save_session``), though no analyzed code calls it: the server, or the
test client, is outside the analysis. Each rule names a constructor and the methods that then
become roots of the search, when the constructor is reached.
"""

from __future__ import annotations

from collections.abc import Container
from typing import NamedTuple

__all__ = ["FRAMEWORK_ROOTS", "FrameworkRoot", "framework_roots"]


class FrameworkRoot(NamedTuple):
    """Once ``constructor`` is reached, the framework calls ``methods``."""

    constructor: str
    methods: tuple[str, ...]


FRAMEWORK_ROOTS: tuple[FrameworkRoot, ...] = (
    # Flask 1.x to 3.x: ``Flask.__call__`` is ``return self.wsgi_app(environ, start_response)``
    FrameworkRoot("flask.app.Flask.__init__", ("flask.app.Flask.wsgi_app",)),
)
"""The rules, by fully-qualified name (a subclass's construction reaches the base's
``__init__`` unless it defines its own, which then calls it through ``super()``)."""


def framework_roots(reached: Container[str], nodes: Container[str]) -> list[str]:
    """The methods of the rules whose constructor is ``reached`` (those that are ``nodes``)."""
    return [
        method
        for rule in FRAMEWORK_ROOTS
        if rule.constructor in reached
        for method in rule.methods
        if method in nodes
    ]
