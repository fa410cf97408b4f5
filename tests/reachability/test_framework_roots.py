"""A framework calls some methods of the objects an application makes: they are roots.

The rule's real-world check is ``bench/real_apps.py`` (httpbin's request pipeline, which its
tests run through ``app.test_client()``); these stand-ins have the real modules' names and
shapes.
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
    assert verdict.path[0].caller == "flask.app.Flask.wsgi_app"


def test_importing_flask_without_making_an_application_starts_nothing(tmp_path: Path) -> None:
    reach = _reach(tmp_path, "import flask\n")
    assert reach.verdict(SAVE).verdict != "reachable"
