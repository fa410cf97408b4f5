from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import find_server_binaries, throwaway_server

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_SBOMS = REPO / "samples" / "sbom"
SAMPLE_RECORDING = REPO / "samples" / "pypi-recording"


def bom_of(*components: dict[str, object]) -> dict[str, object]:
    """A CycloneDX 1.6 JSON document holding ``components``."""
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [*components],
    }


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real HTTP request fail loudly (also to end a test's fake network)."""
    import httpx

    def refuse(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"test tried to reach the network: {request.method} {request.url}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests are offline: any real HTTP request fails loudly unless the test is ``online``."""
    if "online" not in request.keywords:
        refuse_network(monkeypatch)


@pytest.fixture(autouse=True)
def _private_caches(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep sigstore's trust-root cache and our state file out of the home directory.

    Fresh for every test: a stale cached trust root wins over the embedded one offline.
    """
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("SBOM_ENRICH_STATE", str(base / "state.sqlite"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os

    if os.environ.get("SBOM_ENRICH_ONLINE") == "1":
        return
    skip = pytest.mark.skip(reason="online test; set SBOM_ENRICH_ONLINE=1 to run")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL server's ``postgres`` database, for the session."""
    binaries = find_server_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    work = Path(tempfile.mkdtemp(prefix="sbom-enrich-pg-"))  # not under pytest's 0700 tree
    try:
        with throwaway_server(binaries, work) as url:
            yield url
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_server: str) -> str:
    """The URL of a new, empty database on the throwaway server."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return postgres_server.replace("/postgres?", f"/{name}?")


@pytest.fixture(params=["sqlite", "postgresql"])
def state_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new state store's ``--state`` value, once for each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "state.sqlite")
    return str(request.getfixturevalue("postgres_database"))
