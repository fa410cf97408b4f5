"""A MockTransport over the recorded PyPI responses, with named derivations for scenarios.

Every answer starts from a real recording in ``tests/fixtures/pypi`` (or real provenance in
``tests/fixtures/attestations``). Scenarios the live index could not show from our machines are
made by the explicit methods below (add provenance URLs, set a project status, change the
owners), so a reader sees exactly what differs from the real response.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from conftest import FIXTURES

from sbom_enrich.adapters.http.recording import ReplayTransport, recording_name
from sbom_enrich.adapters.pypi.index import INTEGRITY_ACCEPT, SIMPLE_ACCEPT
from sbom_enrich.model.index import file_version

PYPI = FIXTURES / "pypi"
ATTESTATIONS = FIXTURES / "attestations"
ROOT = "https://pypi.org/"

Handler = Callable[[httpx.Request], httpx.Response]


def attestation_index() -> dict[str, dict[str, Any]]:
    """The fixture manifest (``index.json``) keyed by fixture id."""
    data = json.loads((ATTESTATIONS / "index.json").read_text())
    return {entry["id"]: entry for entry in data["fixtures"]}


def project_url(name: str) -> str:
    return f"{ROOT}pypi/{name}/json"


def simple_url(name: str) -> str:
    return f"{ROOT}simple/{name}/"


def integrity_url(name: str, version: str, filename: str) -> str:
    return f"{ROOT}integrity/{name}/{version}/{filename}/provenance"


class FixtureIndex:
    """Serve recordings; ``overrides`` (by URL) take precedence; every request is logged."""

    def __init__(self, directory: Path = PYPI) -> None:
        self._replay = ReplayTransport(directory)
        self._directory = directory
        self.overrides: dict[str, Handler] = {}
        self.requests: list[str] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        override = self.overrides.get(str(request.url))
        if override is not None:
            return override(request)
        return self._replay.handle_request(request)

    def recorded(self, url: str, accept: str = "application/json") -> dict[str, Any]:
        """The recorded JSON body for ``url``."""
        record = json.loads((self._directory / recording_name("GET", url, accept)).read_text())
        body: dict[str, Any] = copy.deepcopy(record["json"])
        return body

    def serve_json(
        self, url: str, body: object, *, status: int = 200, content_type: str = "application/json"
    ) -> None:
        content = json.dumps(body).encode()
        self.overrides[url] = lambda request: httpx.Response(
            status, headers={"content-type": content_type}, content=content
        )

    def serve_status(self, url: str, status: int) -> None:
        self.overrides[url] = lambda request: httpx.Response(status)

    # Derivations

    def project(self, name: str) -> dict[str, Any]:
        return self.recorded(project_url(name))

    def simple(self, name: str) -> dict[str, Any]:
        return self.recorded(simple_url(name), SIMPLE_ACCEPT)

    def only_files(self, name: str, version: str, filenames: set[str]) -> None:
        """Derived: keep only ``filenames`` of ``version`` (the ones we hold provenance for)."""
        project = self.project(name)
        project["releases"][version] = [
            f for f in project["releases"][version] if f["filename"] in filenames
        ]
        self.serve_json(project_url(name), project)
        simple = self._current_simple(name)
        simple["files"] = [
            f
            for f in simple["files"]
            if f["filename"] in filenames or _version_of(name, f["filename"]) != version
        ]
        self._serve_simple(name, simple)

    def with_provenance(self, name: str, provenance: dict[str, str | int]) -> None:
        """Derived: Simple API 1.3 whose files carry provenance URLs.

        ``provenance`` maps a filename to the fixture file served at its Integrity URL, or to an
        HTTP status (404, 403) served there instead. Other files get ``"provenance": null``.
        """
        simple = self._current_simple(name)
        simple["meta"]["api-version"] = "1.3"
        for file in simple["files"]:
            filename = file["filename"]
            if filename not in provenance:
                file["provenance"] = None
                continue
            version = _version_of(name, filename)
            url = integrity_url(name, version, filename)
            file["provenance"] = url
            served = provenance[filename]
            if isinstance(served, int):
                self.serve_status(url, served)
            else:
                content = (ATTESTATIONS / served).read_bytes()
                self.overrides[url] = _provenance_handler(content)
        self._serve_simple(name, simple)

    def with_status(self, name: str, status: str, reason: str, *, under_meta: bool) -> None:
        """Derived: a PEP 792 ``project-status`` at the top level or under ``meta``."""
        simple = self._current_simple(name)
        block = {"status": status, "reason": reason}
        if under_meta:
            simple["meta"]["project-status"] = block
        else:
            simple["project-status"] = block
        simple["meta"]["api-version"] = "1.4"
        if status == "quarantined":
            simple["files"] = []
            self.serve_status(project_url(name), 404)
        self._serve_simple(name, simple)

    def with_roles(self, name: str, roles: list[tuple[str, str]], organization: str | None) -> None:
        """Derived: the project route with other ``ownership`` (as after a takeover)."""
        project = self.project(name)
        project["ownership"] = {
            "roles": [{"role": role, "user": user} for user, role in roles],
            "organization": organization,
        }
        self.serve_json(project_url(name), project)

    def _current_simple(self, name: str) -> dict[str, Any]:
        url = simple_url(name)
        if url in self.overrides:
            response = self.overrides[url](httpx.Request("GET", url))
            body: dict[str, Any] = json.loads(response.content)
            return body
        return self.simple(name)

    def _serve_simple(self, name: str, body: dict[str, Any]) -> None:
        self.serve_json(simple_url(name), body, content_type=SIMPLE_ACCEPT)


def _provenance_handler(content: bytes) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept"] == INTEGRITY_ACCEPT
        return httpx.Response(200, headers={"content-type": INTEGRITY_ACCEPT}, content=content)

    return handle


def _version_of(name: str, filename: str) -> str:
    version = file_version(filename)
    return str(version) if version is not None else ""
