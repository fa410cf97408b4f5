"""A server calls the application object an application makes: its ``__call__`` is a root.

The rule's real-world check is ``bench/real_apps.py`` (httpbin's request pipeline, which its
tests run through ``app.test_client()``); these stand-ins have the real modules' names and
shapes (Flask's ``__call__`` and ``wsgi_app``, Starlette's ASGI ``__call__``).
"""

from __future__ import annotations

from pathlib import Path

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.environment import from_site_packages
from sbom_enrich.reachability.index import IndexOptions
from sbom_enrich.reachability.query import Reachability

FLASK = {
    "flask/__init__.py": "from .app import Flask\n",
    "flask/app.py": (
        "from .sessions import SecureCookieSessionInterface\n\n"
        "class Flask:\n"
        "    def __init__(self, import_name):\n"
        "        self.session_interface = SecureCookieSessionInterface()\n\n"
        "    def wsgi_app(self, environ, start_response):\n"
        "        return self.process_response(environ)\n\n"
        "    def process_response(self, response):\n"
        "        self.session_interface.save_session(self, response)\n"
        "        return response\n\n"
        "    def __call__(self, environ, start_response):\n"
        "        return self.wsgi_app(environ, start_response)\n"
    ),
    "flask/sessions.py": (
        "class SecureCookieSessionInterface:\n    def save_session(self, app, response):\n"
        "        pass\n"
    ),
}


def _reach(tmp_path: Path, main: str) -> Reachability:
    site = tmp_path / "site"
    for name, text in FLASK.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(main)
    options = IndexOptions(jobs=1)
    return analyze([tmp_path / "app"], from_site_packages(site), options=options).reachability


SAVE = "flask.sessions.SecureCookieSessionInterface.save_session"


def test_a_constructed_flask_application_runs_its_request_pipeline(tmp_path: Path) -> None:
    reach = _reach(tmp_path, "from flask import Flask\n\napp = Flask(__name__)\n")
    verdict = reach.verdict(SAVE)
    assert verdict.verdict == "reachable"
    assert [step.caller for step in verdict.path[:2]] == [
        "flask.app.Flask.__call__",
        "flask.app.Flask.wsgi_app",
    ]


def test_importing_flask_without_making_an_application_starts_nothing(tmp_path: Path) -> None:
    reach = _reach(tmp_path, "import flask\n")
    assert reach.verdict(SAVE).verdict != "reachable"


STARLETTE = {
    "starlette/__init__.py": "",
    "starlette/applications.py": (
        "from starlette.routing import Router\n\n"
        "class Starlette:\n"
        "    def __init__(self, routes=None):\n"
        "        self.router = Router(routes)\n\n"
        "    async def __call__(self, scope, receive, send):\n"
        "        await self.router(scope, receive, send)\n"
    ),
    "starlette/routing.py": (
        "class Router:\n"
        "    def __init__(self, routes):\n"
        "        self.routes = routes\n\n"
        "    async def __call__(self, scope, receive, send):\n"
        "        await self.app(scope, receive, send)\n\n"
        "    async def app(self, scope, receive, send):\n"
        "        pass\n"
    ),
}


def test_a_constructed_asgi_application_is_called_by_its_server(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name, text in {**FLASK, **STARLETTE}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(
        "from starlette.applications import Starlette\n\napp = Starlette()\n"
    )
    options = IndexOptions(jobs=1)
    reach = analyze([tmp_path / "app"], from_site_packages(site), options=options).reachability
    assert reach.verdict("starlette.applications.Starlette.__call__").verdict == "reachable"
    assert reach.verdict("starlette.routing.Router.app").verdict == "reachable"
    assert reach.path_to("starlette.applications.Starlette.__call__") == ()  # a root itself


def test_a_call_method_of_another_shape_is_not_a_root(tmp_path: Path) -> None:
    main = (
        "class Compare:\n"
        "    def __init__(self):\n"
        "        pass\n\n"
        "    def __call__(self, left, right):\n"
        "        return left < right\n\n"
        "compare = Compare()\n"
    )
    reach = _reach(tmp_path, main)
    assert reach.verdict("main.Compare.__init__").verdict == "reachable"
    assert reach.verdict("main.Compare.__call__").verdict != "reachable"
