"""Framework roots: what a server calls once the application made its application object.

A WSGI server calls the application object it is given for every request, and an ASGI server
for every connection, so a program that constructs a Flask, Django (``WSGIHandler``,
``ASGIHandler``), Starlette, FastAPI or Quart application runs that object's ``__call__`` (and
so its request pipeline: the hooks, the view dispatch, ``process_response``, ``save_session``),
though no analyzed code calls it: the server, or the test client, is outside the analysis.

One rule decides them all, by the shape the server interfaces fix rather than by framework:
once a class's ``__init__`` is reached (the program makes an instance, or a subclass's
constructor runs it through ``super()``), a ``__call__`` the same class defines whose
parameters after ``self`` are a server interface's is a root.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sbom_enrich.reachability.clones import canonical
from sbom_enrich.reachability.facts import FunctionFacts

__all__ = ["SERVER_INTERFACES", "framework_roots"]

SERVER_INTERFACES = frozenset({("environ", "start_response"), ("scope", "receive", "send")})
"""The parameters of an application object's ``__call__`` after ``self``: WSGI's (PEP 3333)
and ASGI 3's, named as both specifications and every framework named above name them."""


def framework_roots(reached: Iterable[str], functions: Mapping[str, FunctionFacts]) -> list[str]:
    """The ``__call__`` methods a server calls, of the classes whose ``__init__`` is reached."""
    roots: list[str] = []
    for node in reached:
        name = canonical(node)
        if not name.endswith(".__init__"):
            continue
        call = name.removesuffix(".__init__") + ".__call__"
        facts = functions.get(call)
        if facts is None or call in roots:
            continue
        if tuple(facts.parameters[1:]) in SERVER_INTERFACES and not facts.keyword_only:
            roots.append(call)
    return roots
